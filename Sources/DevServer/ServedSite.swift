import Foundation
import LocalGovSite

/// What `serve` answers from: the files of the last build that succeeded (pages in memory,
/// processed pictures in the build's image cache), and the errors of the latest build if it
/// failed. A request only ever names one of these files, so nothing outside the built site
/// (a `..`, a symlink) can be served.
public struct ServedSite: Sendable {
    public var files: [String: OutputFile.Content]
    /// The latest build's errors; empty when it succeeded.
    public var errors: [Diagnostic]
    /// Where the site lives under the server's root: the path of `base_url` (`/` or `/network/`).
    public var basePath: String
    /// Counts builds, so a tab reloads once per build.
    public var version: Int

    public init(files: [String: OutputFile.Content] = [:], errors: [Diagnostic] = [], basePath: String = "/", version: Int = 0) {
        self.files = files
        self.errors = errors
        self.basePath = basePath
        self.version = version
    }

    /// What answers a request for `rawPath` (as sent: percent-encoded, without the query).
    public enum Answer: Equatable, Sendable {
        case file(path: String, bytes: Data, contentType: String)
        /// `/blog` → `/blog/`, as a static server does for a folder.
        case redirect(to: String)
        /// The site's own 404 page (or a plain one when it has none), with status 404.
        case notFound(page: Data)
        /// A path that tries to leave the site or is not a path at all, with the reason.
        case refused(String)
    }

    public func answer(_ rawPath: String) -> Answer {
        guard let path = rawPath.removingPercentEncoding else { return .refused("the address is not valid percent-encoding") }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." || $0 == "." }) || path.contains("\\") || path.contains("\0") {
            return .refused("the address leaves the site or holds characters a path cannot")
        }
        guard path.hasPrefix(basePath) || path + "/" == basePath else { return notFound }
        if path + "/" == basePath { return .redirect(to: basePath) }
        let relative = String(path.dropFirst(basePath.count))
        let file = relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
        if let content = files[file] {
            return .file(path: file, bytes: content.bytes, contentType: MediaType.forPath(file))
        }
        if files[relative + "/index.html"] != nil { return .redirect(to: path + "/") }
        return notFound
    }

    private var notFound: Answer {
        .notFound(page: files["404.html"]?.bytes ?? Data("<!DOCTYPE html><title>Not found</title><h1>Page not found</h1>".utf8))
    }
}

/// Content types by file extension, for what a site build writes.
enum MediaType {
    static func forPath(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last!).lowercased() : ""
        return types[ext] ?? "application/octet-stream"
    }

    private static let types: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        // Feeds and the sitemap as XML, so a browser shows them rather than downloading them.
        "xml": "application/xml; charset=utf-8",
        "json": "application/json",
        "opml": "text/x-opml; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "ico": "image/x-icon",
        "pdf": "application/pdf",
        "woff2": "font/woff2",
        "woff": "font/woff",
        "webmanifest": "application/manifest+json",
        "gz": "application/gzip",
    ]
}
