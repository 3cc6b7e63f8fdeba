import Foundation

/// A Blogger export: the Atom feed of Blogger's own Settings → Back up content (posts, pages,
/// comments, settings and the template, told apart by a `kind` category), or the newer one
/// from Google Takeout, which says what each entry is in elements of its own.
public struct BloggerExport: Sendable, Hashable {
    public var title = ""
    public var subtitle: String?
    public var link: String?
    public var entries: [BloggerEntry] = []
}

public struct BloggerEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case post, page, comment
        case other(String)
    }

    public enum Status: Sendable, Hashable {
        case live, draft, trashed
    }

    public var kind: Kind
    public var status: Status = .live
    public var title = ""
    /// The body as HTML.
    public var content = ""
    public var published: Date?
    public var updated: Date?
    public var author: String?
    public var labels: [String] = []
    /// The post's address on blogspot.com (or the blog's own domain).
    public var link: String?
    /// `/2016/03/slug.html`: the Takeout export's name for the post's address.
    public var fileName: String?
    public var metaDescription: String?
}

public enum BloggerReader {
    static let atom = "http://www.w3.org/2005/Atom"
    static let kindScheme = "http://schemas.google.com/g/2005#kind"
    static let takeout = "http://schemas.google.com/blogger/2018"
    static let publishing = ["http://purl.org/atom/app#", "http://www.w3.org/2007/app"]

    public static func read(_ data: Data, file: String) throws(ImportError) -> BloggerExport {
        let read = try LibXML.withXMLDocument(data, url: file) { root throws(ImportError) in try export(root, file: file) }
        switch read {
        case .success(let export): return export
        case .failure(let failure): throw .reading(failure, file: file)
        }
    }

    private static func export(_ root: LibXML.Node, file: String) throws(ImportError) -> BloggerExport {
        let expected = "a Blogger export"
        let hint = "in Blogger, choose Settings → Back up content (or Google Takeout → Blogger) and import the .xml or .atom file"
        guard LibXML.name(of: root) == "feed", LibXML.namespace(of: root) == atom else {
            let isRSS = LibXML.name(of: root) == "rss"
            let found = isRSS ? "an RSS document" : "an XML document whose root element is <\(LibXML.name(of: root))>"
            throw .notAnExport(
                file: file, line: LibXML.line(of: root), expected: expected, found: found,
                hint: isRSS ? hint + "; a WordPress export is read by localgov import wordpress" : hint)
        }
        let entryNodes = LibXML.elements(of: root, named: "entry", namespace: atom)
        let isTakeout = LibXML.declaredNamespaces(of: root).contains(takeout)
            || entryNodes.contains { LibXML.child(of: $0, named: "type", namespace: takeout) != nil }
        var export = BloggerExport()
        export.title = text(root, "title")
        export.subtitle = trimmedNonEmpty(text(root, "subtitle"))
        export.link = alternateLink(root)
        for node in entryNodes {
            guard let entry = isTakeout ? takeoutEntry(node) : classicEntry(node) else { continue }
            export.entries.append(entry)
        }
        let generator = LibXML.child(of: root, named: "generator", namespace: atom).map(plainText)
        guard isTakeout || !export.entries.isEmpty || generator == "Blogger" else {
            throw .notAnExport(
                file: file, line: LibXML.line(of: root), expected: expected,
                found: "an Atom feed whose entries say nothing of Blogger's kinds", hint: hint)
        }
        return export
    }

    /// The classic export: `<category scheme="…#kind" term="…/kind#post"/>`, drafts in
    /// `app:control`, labels as other categories. Nil for an entry with no kind.
    private static func classicEntry(_ node: LibXML.Node) -> BloggerEntry? {
        let categories = LibXML.elements(of: node, named: "category", namespace: atom)
        guard let kindTerm = categories.first(where: { LibXML.attribute("scheme", of: $0) == kindScheme })
            .flatMap({ LibXML.attribute("term", of: $0) }),
            let hash = kindTerm.lastIndex(of: "#")
        else { return nil }
        var entry = common(node, kind: kind(String(kindTerm[kindTerm.index(after: hash)...])))
        let draft = publishing.lazy.compactMap { namespace in
            LibXML.child(of: node, named: "control", namespace: namespace)
                .flatMap { LibXML.child(of: $0, named: "draft", namespace: namespace) }
        }.first
        if let draft, LibXML.text(of: draft).trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "yes" {
            entry.status = .draft
        }
        return entry
    }

    /// Google Takeout's export: `blogger:type`, `blogger:status` and `blogger:filename`.
    private static func takeoutEntry(_ node: LibXML.Node) -> BloggerEntry? {
        func text(_ name: String) -> String? {
            LibXML.child(of: node, named: name, namespace: takeout).map(LibXML.text).flatMap(trimmedNonEmpty)
        }
        guard let type = text("type") else { return nil }
        var entry = common(node, kind: kind(type.lowercased()))
        switch text("status")?.uppercased() {
        case "LIVE", nil: entry.status = .live
        case "SOFT_TRASHED", "DELETED": entry.status = .trashed
        default: entry.status = .draft
        }
        entry.fileName = text("filename")
        entry.metaDescription = text("metaDescription")
        if entry.published == nil { entry.published = text("created").flatMap(FeedDate.parse) }
        return entry
    }

    private static func kind(_ name: String) -> BloggerEntry.Kind {
        switch name {
        case "post": .post
        case "page": .page
        case "comment": .comment
        default: .other(name)
        }
    }

    /// What both exports write the same Atom way.
    private static func common(_ node: LibXML.Node, kind: BloggerEntry.Kind) -> BloggerEntry {
        var entry = BloggerEntry(kind: kind)
        entry.title = text(node, "title")
        if let content = LibXML.child(of: node, named: "content", namespace: atom) {
            let text = LibXML.text(of: content)
            let type = LibXML.attribute("type", of: content) ?? "text"
            entry.content = type == "html" || type == "xhtml" ? text : FeedParser.textAsHTML(text).html
        }
        entry.published = LibXML.child(of: node, named: "published", namespace: atom).map(LibXML.text).flatMap(FeedDate.parse)
        entry.updated = LibXML.child(of: node, named: "updated", namespace: atom).map(LibXML.text).flatMap(FeedDate.parse)
        entry.author = LibXML.child(of: node, named: "author", namespace: atom)
            .flatMap { LibXML.child(of: $0, named: "name", namespace: atom) }.map(plainText).flatMap(trimmedNonEmpty)
        entry.labels = LibXML.elements(of: node, named: "category", namespace: atom)
            .filter { LibXML.attribute("scheme", of: $0) != kindScheme }
            .compactMap { LibXML.attribute("term", of: $0).map(FeedParser.plainText).flatMap(trimmedNonEmpty) }
        entry.link = alternateLink(node)
        return entry
    }

    /// An Atom text construct, `title` or `subtitle`, as plain text whichever its type.
    private static func text(_ node: LibXML.Node, _ name: String) -> String {
        guard let element = LibXML.child(of: node, named: name, namespace: atom) else { return "" }
        let isHTML = LibXML.attribute("type", of: element) == "html"
        return isHTML ? HTMLSanitiser.plainText(html: LibXML.text(of: element)) : plainText(element)
    }

    private static func plainText(_ node: LibXML.Node) -> String {
        FeedParser.plainText(LibXML.text(of: node))
    }

    private static func alternateLink(_ node: LibXML.Node) -> String? {
        LibXML.elements(of: node, named: "link", namespace: atom)
            .first { LibXML.attribute("rel", of: $0) == "alternate" }
            .flatMap { LibXML.attribute("href", of: $0) }.flatMap(trimmedNonEmpty)
    }
}
