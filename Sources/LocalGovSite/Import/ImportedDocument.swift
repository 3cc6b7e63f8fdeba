import Foundation

/// One post or page brought in from another system, ready to be written as a content file.
public struct ImportedDocument: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case post, page
    }

    /// When a post was published: an instant, or a wall-clock time in the site's time zone when
    /// the export gives no zone (WordPress drafts), which front matter writes without an offset.
    public enum PublishedDate: Sendable, Hashable {
        case instant(Date)
        case local(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)

        var frontMatter: String {
            switch self {
            case .instant(let date):
                return Format.rfc3339(date)
            case let .local(year, month, day, hour, minute, second):
                return "\(Format.pad(year, 4))-\(Format.pad(month))-\(Format.pad(day))T"
                    + "\(Format.pad(hour)):\(Format.pad(minute)):\(Format.pad(second))"
            }
        }
    }

    public var kind: Kind
    public var slug: String
    public var title: String
    public var date: PublishedDate?
    public var authors: [String] = []
    public var tags: [String] = []
    public var summary: String?
    public var draft = false
    /// Addresses the post had before, for the site to redirect from.
    public var aliases: [String] = []
    public var body: String
    /// What a person should look at in this file.
    public var notes: [ImportNote] = []

    /// A document without a title is called Untitled, and noted: the site needs one.
    public init(kind: Kind, slug: String, title: String, body: String) {
        self.kind = kind
        self.slug = slug
        self.title = title.isEmpty ? "Untitled" : title
        self.body = body
        if title.isEmpty { notes.append(.noTitle) }
    }

    /// Tags once each: `Open data` and `open-data` are one tag to the site.
    mutating func addTags(_ names: [String]) {
        for name in names where !name.isEmpty && !tags.contains(where: { Slug.make($0) == Slug.make(name) }) {
            tags.append(name)
        }
    }

    /// Old addresses once each, and never the new one, which would redirect to itself.
    mutating func addAliases(_ candidates: [String?]) {
        for alias in candidates.compactMap({ $0 }) where alias != address && !aliases.contains(alias) {
            aliases.append(alias)
        }
    }

    public var path: String {
        switch kind {
        case .post: "content/blog/\(slug).md"
        case .page: "content/pages/\(slug).md"
        }
    }

    /// The address the site gives it, which no alias may repeat.
    public var address: String { Self.address(of: kind, slug: slug) }

    static func address(of kind: Kind, slug: String) -> String {
        switch kind {
        case .post: "/blog/\(slug)/"
        case .page: "/\(slug)/"
        }
    }

    /// The file: YAML front matter, then a blank line and the body. Pages carry no date,
    /// authors or tags, which the site reads only on posts.
    public var text: String {
        let body = "\n" + (self.body.isEmpty ? "" : self.body + "\n")
        var lines = ["---", "title: \(PostScaffold.quoted(title))"]
        if kind == .post {
            if let date { lines.append("date: \(date.frontMatter)") }
            if !authors.isEmpty { lines.append("authors: \(Self.list(authors))") }
            if !tags.isEmpty { lines.append("tags: \(Self.list(tags))") }
        }
        if let summary { lines.append("summary: \(PostScaffold.quoted(summary))") }
        if draft { lines.append("draft: true") }
        if !aliases.isEmpty { lines.append("aliases: \(Self.list(aliases))") }
        lines.append("import_checksum: \(PostScaffold.quoted(ImportChecksum.of(body: body)))")
        lines.append("---")
        return lines.joined(separator: "\n") + "\n" + body
    }

    private static func list(_ items: [String]) -> String {
        "[" + items.map(PostScaffold.quoted).joined(separator: ", ") + "]"
    }
}
