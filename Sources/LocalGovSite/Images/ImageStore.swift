import Foundation

/// Where processed images are kept between builds, by a key naming the source's content and
/// everything that decides the result; nil from `load` means "make it".
public protocol ImageStore: Sendable {
    func load(_ key: String) -> StoredImage?
    /// Keeps `bytes`, and says where the output takes them from.
    func save(_ key: String, _ bytes: Data) -> OutputFile.Content
    /// What the store noted of the source image at `path` while it had `version`: its digest
    /// and header, so that an unchanged image is neither read nor decoded. Nil where it must be.
    func notedSource(at path: String, version: FileVersion) -> NotedSource?
    func noteSource(at path: String, version: FileVersion, _ source: NotedSource)
    /// The copy kept under `key` with its size, where the store vouches for its file without
    /// decoding it; nil where the copy must be loaded and decoded to be trusted.
    func vouchedCopy(_ key: String) -> (content: OutputFile.Content, width: Int, height: Int)?
    /// Notes the size of the copy kept under `key`, checked or made just now.
    func noteCopy(_ key: String, width: Int, height: Int)
    /// Keeps what this build noted for the next one.
    func saveNotes()
}

/// A store without notes reads, digests and decodes every image on every build.
extension ImageStore {
    public func notedSource(at path: String, version: FileVersion) -> NotedSource? { nil }
    public func noteSource(at path: String, version: FileVersion, _ source: NotedSource) {}
    public func vouchedCopy(_ key: String) -> (content: OutputFile.Content, width: Int, height: Int)? { nil }
    public func noteCopy(_ key: String, width: Int, height: Int) {}
    public func saveNotes() {}
}

/// A source image as a build found it: the digest of its bytes, which names its copies, and its header.
public struct NotedSource: Sendable, Equatable {
    public var digest: String
    public var header: ImageHeader
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

/// `.localgov/cache/images/` in the site's folder: one file per processed copy, and the notes
/// (`ImageNotes`) of each source image's version and header and each copy's size and file stamp.
/// A copy is vouched for by its stamp, as the build store vouches for a page: a write in place
/// (a deploy step editing the published copy, which is the same file) changes the time, and
/// the copy is then decoded again to be checked.
public struct DiskImageStore: ImageStore {
    public let folder: URL
    private let notes: ImageNotes

    public init(folder: URL) {
        self.folder = folder
        notes = ImageNotes(file: folder.appendingPathComponent(ImageNotes.fileName))
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

    public func notedSource(at path: String, version: FileVersion) -> NotedSource? { notes.source(at: path, version: version) }

    public func noteSource(at path: String, version: FileVersion, _ source: NotedSource) {
        notes.noteSource(at: path, version: version, source)
    }

    public func vouchedCopy(_ key: String) -> (content: OutputFile.Content, width: Int, height: Int)? {
        let file = folder.appendingPathComponent(key).path
        guard let (width, height) = notes.copy(key, at: file) else { return nil }
        return (.file(file), width, height)
    }

    public func noteCopy(_ key: String, width: Int, height: Int) {
        notes.noteCopy(key, at: folder.appendingPathComponent(key).path, width: width, height: height)
    }

    public func saveNotes() { notes.save() }

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
