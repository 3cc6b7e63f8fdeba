import Foundation
import Synchronization

/// `notes` in the image store: each source image's version with its digest and header, and each
/// kept copy's size with the length and stamp (inode, modification time) its file had when it
/// was written or last decoded. A later build takes an image that keeps its version, and a copy
/// whose file keeps its stamp, without reading or decoding either, so libvips need not start:
/// reading, digesting and decoding every photo again was most of a build that changed none.
/// Only what a build used is written back, so the notes do not grow with each edit.
final class ImageNotes: Sendable {
    static let fileName = "notes"

    struct Source: Equatable {
        var version: FileVersion
        var noted: NotedSource
    }

    struct Copy: Equatable {
        var width: Int
        var height: Int
        var size: Int
        var stamp: FileStamp
    }

    /// Notes are read back only by the same processing: headers are libvips's reading.
    private static var madeBy: String { "pipeline \(ImageRecipe.pipelineVersion), libvips \(ImageCodec.version)" }

    private struct Noted: Codable {
        var sources: [String: Source] = [:]
        var copies: [String: Copy] = [:]

        init() {}

        func encode(to encoder: any Encoder) throws {
            var list = encoder.unkeyedContainer()
            try list.encode(ImageNotes.madeBy)
            var packed = PackedValues()
            packed.append(sources.count)
            for path in sources.keys.sorted() {
                let source = sources[path]!
                packed.append(path)
                packed.append(source.version)
                packed.append(source.noted.digest)
                packed.append(source.noted.header.format.rawValue)
                for number in [source.noted.header.width, source.noted.header.height, source.noted.header.frames] { packed.append(number) }
            }
            packed.append(copies.count)
            for key in copies.keys.sorted() {
                let copy = copies[key]!
                packed.append(key)
                for number in [copy.width, copy.height, copy.size, Int(truncatingIfNeeded: copy.stamp.inode), Int(copy.stamp.modified)] {
                    packed.append(number)
                }
            }
            try list.encode(packed)
        }

        init(from decoder: any Decoder) throws {
            var list = try decoder.unkeyedContainer()
            guard try list.decode(String.self) == ImageNotes.madeBy else { return }
            var packed = PackedValues.Reader(try list.decode(PackedValues.self))
            let damaged = DecodingError.dataCorruptedError(in: list, debugDescription: "image notes that do not read back")
            for _ in 0..<max(0, try packed.number()) {
                let path = try packed.text()
                let version = try packed.version()
                let digest = try packed.text()
                guard let format = RasterFormat(rawValue: try packed.text()) else { throw damaged }
                let header = ImageHeader(format: format, width: try packed.number(), height: try packed.number(), frames: try packed.number())
                sources[path] = Source(version: version, noted: NotedSource(digest: digest, header: header))
            }
            for _ in 0..<max(0, try packed.number()) {
                let key = try packed.text()
                let (width, height, size) = (try packed.number(), try packed.number(), try packed.number())
                let stamp = FileStamp(inode: UInt64(truncatingIfNeeded: try packed.number()), modified: Int64(try packed.number()))
                copies[key] = Copy(width: width, height: height, size: size, stamp: stamp)
            }
        }
    }

    private let file: URL
    /// What the last build noted, and what this one used or noted.
    private let state: Mutex<(known: Noted, used: Noted)>

    init(file: URL) {
        self.file = file
        let known = (try? Data(contentsOf: file)).flatMap { BinaryCoding.decodeChecked(Noted.self, from: $0) } ?? Noted()
        state = Mutex((known, Noted()))
    }

    func source(at path: String, version: FileVersion) -> NotedSource? {
        state.withLock { state in
            guard let source = state.known.sources[path], source.version == version else { return nil }
            state.used.sources[path] = source
            return source.noted
        }
    }

    func noteSource(at path: String, version: FileVersion, _ noted: NotedSource) {
        state.withLock { $0.used.sources[path] = Source(version: version, noted: noted) }
    }

    /// The size of the copy whose file is at `path`, while the file keeps its length and stamp.
    func copy(_ key: String, at path: String) -> (width: Int, height: Int)? {
        guard let copy = state.withLock({ $0.known.copies[key] }), FileStamp(path, size: copy.size) == copy.stamp else { return nil }
        state.withLock { $0.used.copies[key] = copy }
        return (copy.width, copy.height)
    }

    func noteCopy(_ key: String, at path: String, width: Int, height: Int) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let copy = Copy(width: width, height: height, size: Int(info.st_size), stamp: FileStamp(info))
        state.withLock { $0.used.copies[key] = copy }
    }

    /// Notes that cannot be written only make the next build slower.
    func save() {
        guard let bytes = try? BinaryCoding.checkedBytes(state.withLock { $0.used }) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? bytes.writeAtomically(to: file)
    }
}
