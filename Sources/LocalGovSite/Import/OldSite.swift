import Foundation

/// The addresses of the site being moved in: which links point into it, and what their paths
/// are on the new site, which may live at the domain's root where the old one was in a folder.
struct OldSite {
    private let home: URLComponents?
    /// The home page's host without `www.`: both forms are the same site to its readers.
    private let host: String?
    /// The home page's path without its final `/`: `""` for a site at the root.
    private let basePath: String

    init(link: String?) {
        var home = link.flatMap(trimmedNonEmpty).flatMap(URLComponents.init(string:))
        // `https://example.org/blog` is the folder `blog/`, against which `?p=1` is `/blog/?p=1`.
        if let path = home?.percentEncodedPath, !path.hasSuffix("/") { home?.percentEncodedPath = path + "/" }
        self.home = home
        host = home?.host.map(Self.withoutWWW)
        let path = home.map { Self.decodedPath($0) } ?? ""
        basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The absolute form of a link in the old site's content, resolved against its home page.
    func absolute(_ raw: String) -> URLComponents? {
        guard let base = home?.url, let url = URL(string: raw, relativeTo: base)?.absoluteURL else {
            return URLComponents(string: raw)
        }
        return URLComponents(url: url, resolvingAgainstBaseURL: true)
    }

    /// Whether the link leads to a page of the old site.
    func contains(_ url: URLComponents) -> Bool {
        guard let host, let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let other = url.host.map(Self.withoutWWW)
        else { return false }
        return other == host
    }

    /// The same key for every way of writing one old address: `http` or `https`, with or
    /// without `www.` or the final `/`, percent-encoded or not.
    func key(_ raw: String) -> String? {
        guard let url = absolute(raw), contains(url) else { return nil }
        var path = Self.decodedPath(url)
        while path.hasSuffix("/") { path.removeLast() }
        return path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// The new address of a link to an imported post or page, by the keys of their old
    /// addresses, with the link's `#fragment` kept.
    func newAddress(of raw: String, in addresses: [String: String]) -> String? {
        let (page, fragment) = Self.splitFragment(raw)
        return key(page).flatMap { addresses[$0] }.map { $0 + fragment }
    }

    static func splitFragment(_ raw: String) -> (String, String) {
        guard let hash = raw.firstIndex(of: "#") else { return (raw, "") }
        return (String(raw[..<hash]), String(raw[hash...]))
    }

    /// An old address as a path on the new site, to redirect from: `/2016/03/01/my-post/` or
    /// `/?p=123`, relative to where the old site's home page was. Nil for the home page itself
    /// and for other sites.
    func alias(_ raw: String) -> String? {
        guard let url = absolute(raw), contains(url) else { return nil }
        var path = Self.decodedPath(url)
        if !basePath.isEmpty {
            guard path == basePath || path.hasPrefix(basePath + "/") else { return nil }
            path.removeFirst(basePath.count)
        }
        if !path.hasPrefix("/") { path = "/" + path }
        let query = url.percentEncodedQuery.flatMap(trimmedNonEmpty).map { "?" + $0 } ?? ""
        guard path != "/" || !query.isEmpty else { return nil }
        return path + query
    }

    /// The part of a link to the old site's uploads folder after `wp-content/uploads/`, as a
    /// path inside a copy of that folder: decoded, and nil if it would leave the folder.
    func uploadPath(_ url: URLComponents) -> String? {
        guard contains(url) else { return nil }
        let path = Self.decodedPath(url)
        guard let range = path.range(of: "/wp-content/uploads/") else { return nil }
        let inside = String(path[range.upperBound...])
        let parts = inside.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy(isSafeFileName) else { return nil }
        return inside
    }

    /// A name in a path that stays where it is: not empty, not `.` or `..`, no controls.
    private func isSafeFileName(_ part: Substring) -> Bool {
        !part.isEmpty && part != "." && part != ".." && !part.contains("\\")
            && !part.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    private static func withoutWWW(_ host: String) -> String {
        let lowered = host.lowercased()
        return lowered.hasPrefix("www.") ? String(lowered.dropFirst(4)) : lowered
    }

    private static func decodedPath(_ url: URLComponents) -> String {
        let path = url.percentEncodedPath
        return (path.removingPercentEncoding ?? path).precomposedStringWithCanonicalMapping
    }
}

/// Percent-encodes a decoded path for a link, leaving `/` and the characters a path may hold.
func encodedPath(_ path: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "?#")
    return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
}
