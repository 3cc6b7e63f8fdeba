import Foundation

/// A post's address pattern, `site.toml`'s `[blog] permalink`: literal folders and the tokens
/// `:year`, `:month`, `:day` and `:slug` (or Jekyll's `:title`), as Jekyll writes them. A blog moving in keeps its old
/// addresses by setting the pattern it had.
public struct Permalink: Sendable, Hashable {
    public enum Token: String, Sendable, CaseIterable {
        case year, month, day, slug
    }

    enum Part: Sendable, Hashable {
        case literal(String)
        case token(Token)
    }

    public static let standard = try! Permalink("/blog/:slug/")

    let parts: [Part]
    public let pattern: String

    public enum Problem: Error, Equatable {
        case shape
        case unknownToken(String)
        case noSlug
    }

    /// Each folder of the pattern is a literal or one token; it starts and ends with `/`.
    public init(_ pattern: String) throws(Problem) {
        guard pattern.hasPrefix("/"), pattern.hasSuffix("/"), pattern.count > 1, !pattern.contains("//") else { throw .shape }
        var parts: [Part] = []
        for segment in pattern.dropFirst().dropLast().split(separator: "/", omittingEmptySubsequences: false) {
            if segment.hasPrefix(":") {
                // Jekyll's `:title` is the name the file gives, which is our slug.
                let name = segment.dropFirst() == "title" ? "slug" : String(segment.dropFirst())
                guard let token = Token(rawValue: name) else { throw .unknownToken(String(segment)) }
                parts.append(.token(token))
            } else {
                guard Slug.isSafe(String(segment)) else { throw .shape }
                parts.append(.literal(String(segment)))
            }
        }
        // Without the slug every post of a day (or of all time) would share one address.
        guard parts.contains(.token(.slug)) else { throw .noSlug }
        self.parts = parts
        self.pattern = pattern
    }

    /// `2016/03/01/slug/`: relative to the site, as `Routes` paths are.
    func path(slug: String, date: ContentDate) -> String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .token(.year): Format.pad(date.year, 4)
            case .token(.month): Format.pad(date.month)
            case .token(.day): Format.pad(date.day)
            case .token(.slug): slug
            }
        }.joined(separator: "/") + "/"
    }
}

/// An address written in front matter (`permalink`, `aliases`, `redirect_from`), as a path
/// relative to the site: `/2016/03/01/old/` → `2016/03/01/old/`, `/old.html` stays a file.
public enum WrittenAddress {
    /// No spaces or controls, and nothing that a server's redirect map would read as syntax
    /// (nginx: quotes, `$` variables, braces, `;`), so every address is written there as it is.
    static func isPlain(_ written: String) -> Bool {
        written.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !"\\\"$'{};".unicodeScalars.contains($0) }
    }

    /// Nil for what cannot be a path of the site: no leading `/`, `..`, a scheme, a query or a fragment.
    public static func relative(_ written: String) -> String? {
        // Checked as decoded, since that is what a server reads: `%2e%2e` is `..`.
        guard let decoded = written.removingPercentEncoding, decoded.hasPrefix("/"), !decoded.hasPrefix("//"),
            !written.contains("?"), !written.contains("#"), isPlain(decoded)
        else { return nil }
        let segments = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        let path = String(decoded.dropFirst()).precomposedStringWithCanonicalMapping
        // `/2016/03/slug.html` is a file; anything else is a folder with an index page.
        if path.isEmpty || segments.last?.contains(".") == true || path.hasSuffix("/") { return path }
        return path + "/"
    }
}

extension WrittenAddress {
    public enum AliasTarget: Equatable {
        /// Answered by a redirect page at this output path.
        case page(String)
        /// `/?p=123`: a query is not part of a file's name, so only a server's map answers it.
        case serverOnly
    }

    public static func alias(_ written: String) -> AliasTarget? {
        if let path = relative(written) { return path.isEmpty ? nil : .page(path) }
        guard let query = written.firstIndex(of: "?"), !written.contains("#"),
            relative(String(written[..<query])) != nil,
            isPlain(written)
        else { return nil }
        return .serverOnly
    }
}
