import Foundation

/// Where processed images are kept between builds, by a key naming the source's content and
/// everything that decides the result; nil from `load` means "make it".
public protocol ImageStore: Sendable {
    func load(_ key: String) -> StoredImage?
    /// Keeps `bytes`, and says where the output takes them from.
    func save(_ key: String, _ bytes: Data) -> OutputFile.Content
}

/// A processed copy found in a store.
public struct StoredImage: Sendable {
    /// Enough of the file to read its header from; a mapped file reads only what is touched.
    public var header: Data
    public var content: OutputFile.Content

    public init(header: Data, content: OutputFile.Content) {
        self.header = header
        self.content = content
    }
}

/// `.localgov/cache/images/` in the site's folder: one file per processed copy.
public struct DiskImageStore: ImageStore {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// The folder a site's build keeps its processed images in.
    public static func inSite(_ root: URL) -> DiskImageStore {
        DiskImageStore(folder: root.appendingPathComponent(".localgov/cache/images"))
    }

    public func load(_ key: String) -> StoredImage? {
        let file = folder.appendingPathComponent(key)
        guard let mapped = try? Data(contentsOf: file, options: .alwaysMapped) else { return nil }
        return StoredImage(header: mapped, content: .file(file.path))
    }

    /// A cache that cannot be written only makes the next build slower, and the copy is
    /// published from memory.
    public func save(_ key: String, _ bytes: Data) -> OutputFile.Content {
        let target = folder.appendingPathComponent(key)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try bytes.writeAtomically(to: target)
            return .file(target.path)
        } catch {
            return .bytes(bytes)
        }
    }
}

/// What one processed copy is made from and how, as a file name for the store.
struct ImageRecipe: Sendable, Hashable {
    var sourceDigest: String
    /// nil: the full-size copy.
    var width: Int?
    var format: RasterFormat
    var quality: Int

    /// Bump when the stage's own processing changes what it writes. 3: libvips's Orc vector
    /// paths turned off, whose resized copies differ slightly from those made with them.
    static let pipelineVersion = 3

    var key: String {
        "\(sourceDigest)-\(width.map { "w\($0)" } ?? "full")-q\(quality)-p\(Self.pipelineVersion)-vips\(ImageCodec.version).\(format.fileExtension)"
    }

    static func digest(_ bytes: Data) -> String {
        Fingerprint.sha256(of: bytes).description
    }
}
