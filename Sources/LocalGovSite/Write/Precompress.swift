import CompressNIO
import Foundation
import NIOCore

public enum PrecompressError: DiagnosticConvertible {
    case compression(path: String, reason: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .compression(path, reason):
            Diagnostic(
                .error, code: "output.precompress",
                "could not gzip \(path): \(reason); nothing was written and the previous site was left as it was",
                at: nil)
        }
    }
}

/// `X.gz` beside the site's text files, for servers that send a file's gzipped twin as it is
/// (nginx `gzip_static`) rather than compressing it again on every request.
///
/// The twins are ordinary outputs made before anything is written, so they go into the same
/// atomic swap as the rest of the site: a failed build never leaves some of them behind.
public enum Precompress {
    /// Text formats the build writes or a site's `static/` may hold. Raster images and fonts
    /// are compressed already; gzip makes them no smaller.
    public static let textExtensions: Set<String> = [
        "html", "css", "js", "xml", "json", "opml", "svg", "txt", "csv", "webmanifest",
    ]
    /// Below 1 KiB a response fits in one packet gzipped or not, so a twin saves nothing worth
    /// a file; `gzip_min_length` in deploy/nginx.conf uses the same limit.
    public static let minimumBytes = 1024

    /// The `.gz` twin of every text output of at least `minimumBytes`, when gzip makes it
    /// smaller; a twin the site supplies itself (a static `X.gz`) is left as it is.
    public static func gzipped(_ files: [OutputFile]) throws(PrecompressError) -> [OutputFile] {
        let existing = Set(files.map(\.path))
        let candidates = files.filter { isCompressible($0) && !existing.contains($0.path + ".gz") }
        let results = parallelMap(candidates) { file in
            Result { () throws(PrecompressError) in try twin(of: file) }
        }
        var twins: [OutputFile] = []
        for result in results {
            if let twin = try result.get() { twins.append(twin) }
        }
        return twins
    }

    static func isCompressible(_ file: OutputFile) -> Bool {
        // By name first: a photo's bytes need not be read to know it is no text.
        guard let ext = fileExtension(file.path), textExtensions.contains(ext.lowercased()) else { return false }
        return file.bytes.count >= minimumBytes
    }

    /// `blog/feed.xml` → `xml`; nil for `CNAME` or `.well-known/x`, whose dots are not extensions.
    static func fileExtension(_ path: String) -> Substring? {
        let name = path[(path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex)...]
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return name[name.index(after: dot)...]
    }

    private static func twin(of file: OutputFile) throws(PrecompressError) -> OutputFile? {
        let compressed: Data
        do {
            compressed = try gzip(file.bytes)
        } catch {
            throw .compression(path: file.path, reason: String(describing: error))
        }
        guard compressed.count < file.bytes.count else { return nil }
        return OutputFile(path: file.path + ".gz", bytes: compressed, origin: "--precompress of \(file.origin)")
    }

    /// zlib's gzip wrapper without `deflateSetHeader` writes no file name and a zero time, so
    /// the bytes depend only on the input, the fixed level and zlib: the same every build.
    static func gzip(_ bytes: Data) throws -> Data {
        var input = ByteBuffer(bytes: bytes)
        let output = try input.compress(with: .gzip, configuration: configuration)
        return Data(output.readableBytesView)
    }

    /// zlib's usual level 6: on the sample site level 9 saved 0.2 % more for 30 % more time.
    static let configuration = ZlibConfiguration(compressionLevel: .compressionLevel6)
}
