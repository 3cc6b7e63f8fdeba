import Foundation

/// One post from a member's feed, as the site shows it. Everything in it is safe to place in a
/// page: text fields are plain text (templates escape them) and HTML fields are sanitised.
public struct FeedEntry: Sendable, Hashable {
    /// The feed's own id (`guid`, Atom `id`, JSON `id`), else the link.
    public var id: String
    public var title: String
    /// The original post: absolute, and http or https. Nil when the feed gives none: the river
    /// then shows the title as plain text rather than send the reader to the wrong page.
    public var link: String?
    /// As the feed gives them, never later than the `now` the feed was parsed at.
    public var published: Date?
    public var updated: Date?
    /// When the entry was first seen, for an entry without any date; see `FeedParser.parse`.
    public var firstSeen: Date?
    public var author: String?
    /// The feed's summary; empty when it has none.
    public var summaryHTML: String
    /// The full post, or the summary when the feed carries only one.
    public var contentHTML: String
    public var language: String?
    /// Images in the summary or content that had no alt text (written with `alt=""`).
    public var imagesWithoutAlt: [String]
    /// RSS `category`, Atom `category` terms and JSON Feed `tags`, for moderation.
    public var categories: [String] = []

    /// Where the entry sorts in the river: its publication, else its last update, else when first seen.
    public var date: Date? { published ?? updated ?? firstSeen }
}

public enum FeedDialect: Sendable, Hashable, CustomStringConvertible {
    /// RSS 0.91 to 2.0, which share a shape; `version` is the root's `version` attribute.
    case rss(version: String)
    /// RSS 1.0, and Netscape's RSS 0.90: RDF documents.
    case rdf
    case atom
    /// Atom 0.3, which older Blogger and WordPress.com blogs still serve.
    case atom03
    /// JSON Feed; `version` is `1` or `1.1`.
    case jsonFeed(version: String)

    public var description: String {
        switch self {
        case let .rss(version): "RSS \(version)"
        case .rdf: "RSS 1.0 (RDF)"
        case .atom: "Atom 1.0"
        case .atom03: "Atom 0.3"
        case let .jsonFeed(version): "JSON Feed \(version)"
        }
    }
}

public struct ParsedFeed: Sendable, Hashable {
    public var dialect: FeedDialect
    public var title: String
    /// The blog's home page, when the feed names one.
    public var homeLink: String?
    public var language: String?
    /// In the feed's order, each id once.
    public var entries: [FeedEntry]
    /// What was wrong with the document and was repaired to read it, for `feeds inspect` and
    /// the feed health page: feed readers recover such feeds, so the river does too.
    public var repairs: [String] = []
}

/// Why a feed could not be read. Each names the feed, since one build reads many.
public enum FeedError: DiagnosticConvertible, Equatable {
    case empty(feed: String)
    /// Well-formed, but not a feed: an HTML page, another XML format, other JSON.
    case notAFeed(feed: String, found: String)
    case unsupported(feed: String, format: String)
    case malformedXML(feed: String, line: Int, column: Int, message: String)
    case malformedJSON(feed: String, message: String)
    /// `<!ENTITY` in the document type: how billion-laughs and external-entity (XXE) attacks
    /// start, and never needed by a feed, so refused before anything is expanded or loaded.
    case entityDeclaration(feed: String, line: Int, column: Int)

    public var diagnostic: Diagnostic {
        switch self {
        case let .empty(feed):
            Diagnostic(.error, code: "feed.empty", "the feed is empty", at: SourceLocation(file: feed))
        case let .notAFeed(feed, found):
            Diagnostic(
                .error, code: "feed.not-a-feed", "this is \(found), not an RSS, Atom or JSON feed",
                at: SourceLocation(file: feed),
                hint: "check the feed address: a blog's page names its feed in <link rel=\"alternate\">")
        case let .unsupported(feed, format):
            Diagnostic(
                .error, code: "feed.unsupported", "\(format) is not supported; use the blog's RSS 2.0, Atom 1.0 or JSON Feed",
                at: SourceLocation(file: feed))
        case let .malformedXML(feed, line, column, message):
            Diagnostic(
                .error, code: "feed.malformed-xml", "the feed is not well-formed XML: \(message)",
                at: SourceLocation(file: feed, line: line, column: column))
        case let .malformedJSON(feed, message):
            Diagnostic(
                .error, code: "feed.malformed-json", "the feed is not valid JSON Feed: \(message)",
                at: SourceLocation(file: feed))
        case let .entityDeclaration(feed, line, column):
            Diagnostic(
                .error, code: "feed.entities",
                "the feed declares XML entities, which are refused: they are how entity-expansion and file-reading attacks work",
                at: SourceLocation(file: feed, line: line, column: column))
        }
    }
}
