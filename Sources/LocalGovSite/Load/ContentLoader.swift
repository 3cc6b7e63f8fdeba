import Foundation

/// One content file as text: UTF-8, byte-order mark removed, line endings made `\n`
/// (so line numbers match what an editor shows).
public struct SourceFile: Sendable, Hashable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// A content file as a build takes it. With a build store, a file that still has the version
/// an earlier build read it at comes as the digest of the text it had then, unread: its parse is
/// found in the store by that digest, as git tells unchanged files by their stat. A file that
/// is read comes with its text's digest there too, for the same look-up.
public enum ContentFile: Sendable {
    case read(SourceFile, digest: Fingerprint?)
    case unchanged(path: String, digest: Fingerprint)

    public var path: String {
        switch self {
        case .read(let file, _): file.path
        case .unchanged(let path, _): path
        }
    }
}

public enum LoadError: DiagnosticConvertible, Sendable {
    case unreadable(path: String, reason: String)
    case notUTF8(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case tooMany(count: Int, limit: Int)

    public var diagnostic: Diagnostic {
        switch self {
        case let .unreadable(path, reason):
            Diagnostic(.error, code: "load.unreadable", "cannot read this file: \(reason)", at: SourceLocation(file: path))
        case let .notUTF8(path):
            Diagnostic(
                .error, code: "load.encoding", "this file is not UTF-8 text; save it as UTF-8 in your editor",
                at: SourceLocation(file: path))
        case let .tooLarge(path, bytes, limit):
            Diagnostic(
                .error, code: "load.too-large",
                "this file is \(English.number(bytes)) bytes, more than the \(English.number(limit)) a content file may be; split it into smaller files, or raise limits.max_file_bytes in site.toml if it really must be this big",
                at: SourceLocation(file: path))
        case let .tooMany(count, limit):
            Diagnostic(
                .error, code: "load.too-many",
                "content/ holds \(English.number(count)) content files, more than limits.max_files (\(English.number(limit))); none were read. Remove files that are not content, or raise the limit in site.toml",
                at: SourceLocation(file: ContentLoader.contentFolder))
        }
    }
}

public enum ContentLoader {
    public static let contentFolder = "content"
    static let contentExtensions: Set<String> = ["md", "toml", "yaml", "yml"]

    /// Content files in path order, so everything after this is independent of listing order,
    /// and the paths of the other files in content/ (images beside a post), which are not read here.
    /// With a cache, a file whose version the file system vouches for is taken as the last build
    /// read it; in `serve`, so is a file its watcher did not name.
    public static func load(
        from fileSystem: some SiteFileSystem, limits: SiteConfig.Limits = SiteConfig.Limits(), cache: BuildCache? = nil
    ) -> (files: [ContentFile], assets: [String], reread: Set<String>?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var listed: Listing
        do {
            listed = try listing(in: fileSystem, cache: cache, maxBytes: limits.maxFileBytes)
        } catch {
            return ([], [], nil, [LoadError.unreadable(path: contentFolder, reason: error.localizedDescription).diagnostic])
        }
        let wanted = listed.wanted
        guard wanted.count <= limits.maxFiles else {
            return ([], [], nil, [LoadError.tooMany(count: wanted.count, limit: limits.maxFiles).diagnostic])
        }
        let read = { @Sendable (path: String) -> Result<ContentFile, LoadError> in
            let read = { Result { () throws(LoadError) in try readText(path, from: fileSystem, maxBytes: limits.maxFileBytes) } }
            guard let cache else { return read().map { .read($0, digest: nil) } }
            return cache.source(path, version: fileSystem.version(of: path), maxBytes: limits.maxFileBytes, read)
        }
        var results: [Result<ContentFile, LoadError>]
        var reread: Set<String>?
        // Taken out of the listing, so that the few readings put in copy none of the rest.
        if var reused = listed.reused.take() {
            reread = Set(reused.stale.map { wanted[$0] })
            for index in reused.stale { reused.results[index] = read(wanted[index]) }
            results = reused.results
        } else {
            // Read on every core: decoding and checking UTF-8 is most of the time.
            results = parallelMap(wanted, read)
            cache?.keepSources(wanted)
        }
        cache?.keepContent(
            BuildCache.ContentReading(
                wanted: wanted, results: results, assets: listed.assets, files: listed.files, maxBytes: limits.maxFileBytes))
        var files: [ContentFile] = []
        for result in results {
            switch result {
            case .success(let file): files.append(file)
            case .failure(let error): diagnostics.append(error.diagnostic)
            }
        }
        return (files, listed.assets, reread, diagnostics)
    }

    /// Content files in path order, the other files, and all of them; with the last build's
    /// readings and which of them to read again, where the watcher named every file that
    /// changed and none came or went.
    private struct Listing {
        var wanted: [String]
        var assets: [String]
        var files: Set<String>
        var reused: (results: [Result<ContentFile, LoadError>], stale: [Int])?
    }

    /// An edit to files already there is taken from what `serve`'s watcher named; a file added,
    /// removed or renamed, a folder, or a build told nothing lists content/ afresh.
    private static func listing(in fileSystem: some SiteFileSystem, cache: BuildCache?, maxBytes: Int) throws -> Listing {
        if let (changes, last) = cache?.contentSinceLastBuild(maxBytes: maxBytes) {
            let named = changes.filter { $0 == contentFolder || $0.hasPrefix(contentFolder + "/") }
            if named.allSatisfy({ last.files.contains($0) && fileSystem.fileExists($0) }) {
                let stale = named.compactMap { path in
                    let index = last.wanted.partitioningIndex { $0 >= path }
                    return index < last.wanted.count && last.wanted[index] == path ? index : nil
                }
                return Listing(wanted: last.wanted, assets: last.assets, files: last.files, reused: (last.results, stale))
            }
        }
        let paths = try fileSystem.files(under: contentFolder)
        let (wanted, assets) = paths.sorted().reduce(into: ([String](), [String]())) { split, path in
            if contentExtensions.contains(PathText.pathExtension(path).lowercased()) {
                split.0.append(path)
            } else {
                split.1.append(path)
            }
        }
        return Listing(wanted: wanted, assets: assets, files: Set(paths), reused: nil)
    }

    /// One text file of the site, decoded as `load` decodes content.
    public static func readText(
        _ path: String, from fileSystem: some SiteFileSystem, maxBytes: Int = SiteConfig.Limits().maxFileBytes
    ) throws(LoadError) -> SourceFile {
        if let size = fileSystem.size(of: path), size > maxBytes { throw .tooLarge(path: path, bytes: size, limit: maxBytes) }
        let data: Data
        do {
            data = try fileSystem.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        // A file that grew after it was measured, or a file system that cannot say.
        if data.count > maxBytes { throw .tooLarge(path: path, bytes: data.count, limit: maxBytes) }
        guard let text = decode(data) else { throw .notUTF8(path: path) }
        return SourceFile(path: path, text: text)
    }

    static func decode(_ data: Data) -> String? {
        guard var text = String(validating: data, as: UTF8.self) else { return nil }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // memchr: the generic search over a string's UTF-8 view was 2 % of a warm build.
        let hasReturn = data.withUnsafeBytes { raw in raw.count > 0 && memchr(raw.baseAddress!, 13, raw.count) != nil }
        if hasReturn {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }
}
