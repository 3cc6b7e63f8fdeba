import Foundation

/// A WordPress export (WXR), as WordPress's Tools → Export writes it: the parts the importer
/// uses, as text.
public struct WordPressExport: Sendable, Hashable {
    public var title = ""
    public var link: String?
    public var description: String?
    public var language: String?
    /// Display names by login, from the channel's `wp:author` entries.
    public var authors: [String: String] = [:]
    public var items: [WordPressItem] = []
}

public struct WordPressItem: Sendable, Hashable {
    public var title = ""
    public var link: String?
    public var creator: String?
    public var content = ""
    public var excerpt = ""
    public var id: Int?
    /// `2016-03-01 09:30:00`, in the site's time zone and in UTC; `0000-00-00 00:00:00` when unset.
    public var date: String?
    public var dateGMT: String?
    public var name: String?
    public var status = ""
    public var type = ""
    public var parent: Int?
    public var menuOrder = 0
    public var password: String?
    public var terms: [WordPressTerm] = []
    public var attachmentURL: String?
    public var meta: [String: String] = [:]
    public var comments = 0
}

/// A category or tag on an item.
public struct WordPressTerm: Sendable, Hashable {
    /// `category` or `post_tag` (or a custom taxonomy's name).
    public var domain: String
    public var name: String
    public var nicename: String?
}

/// Reads WXR 1.0 to 1.2: RSS 2.0 with WordPress's `wp` namespace, whose version is in its address.
public enum WXRReader {
    static let contentNamespace = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let exportNamespacePrefix = "http://wordpress.org/export/"

    public static func read(_ data: Data, file: String) throws(ImportError) -> WordPressExport {
        let read = try LibXML.withXMLDocument(data, url: file) { root throws(ImportError) in try export(root, file: file) }
        switch read {
        case .success(let export): return export
        case .failure(let failure): throw .reading(failure, file: file)
        }
    }

    private static func export(_ root: LibXML.Node, file: String) throws(ImportError) -> WordPressExport {
        let expected = "a WordPress export (WXR)"
        let hint = "in WordPress, choose Tools → Export → All content and import the file it downloads"
        guard LibXML.name(of: root) == "rss", LibXML.namespace(of: root) == nil else {
            let found = LibXML.name(of: root) == "feed" ? "an Atom feed" : "an XML document whose root element is <\(LibXML.name(of: root))>"
            let more = LibXML.name(of: root) == "feed" ? "; a Blogger export is read by localgov import blogger" : ""
            throw .notAnExport(file: file, line: LibXML.line(of: root), expected: expected, found: found, hint: hint + more)
        }
        // `http://wordpress.org/export/1.2/`, and its `excerpt/` namespace beside it.
        let wp = LibXML.declaredNamespaces(of: root).first {
            $0.hasPrefix(exportNamespacePrefix) && !$0.hasSuffix("/excerpt/")
        }
        guard let wp, let channel = LibXML.child(of: root, named: "channel", namespace: nil) else {
            throw .notAnExport(
                file: file, line: LibXML.line(of: root), expected: expected,
                found: "an RSS feed without WordPress's export namespace", hint: hint)
        }
        let excerpt = wp + "excerpt/"
        func text(_ node: LibXML.Node, _ name: String, _ namespace: String?) -> String? {
            LibXML.child(of: node, named: name, namespace: namespace).map(LibXML.text)
        }
        func number(_ node: LibXML.Node, _ name: String) -> Int? {
            text(node, name, wp).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }

        var export = WordPressExport()
        export.title = text(channel, "title", nil) ?? ""
        export.link = text(channel, "link", nil).flatMap(trimmedNonEmpty)
        export.description = text(channel, "description", nil).flatMap(trimmedNonEmpty)
        export.language = text(channel, "language", nil).flatMap(trimmedNonEmpty)
        for author in LibXML.elements(of: channel, named: "author", namespace: wp) {
            guard let login = text(author, "author_login", wp).flatMap(trimmedNonEmpty) else { continue }
            export.authors[login] = text(author, "author_display_name", wp).flatMap(trimmedNonEmpty) ?? login
        }
        for node in LibXML.elements(of: channel, named: "item", namespace: nil) {
            var item = WordPressItem()
            item.title = text(node, "title", nil) ?? ""
            item.link = text(node, "link", nil).flatMap(trimmedNonEmpty)
            item.creator = text(node, "creator", dublinCore).flatMap(trimmedNonEmpty)
            item.content = text(node, "encoded", contentNamespace) ?? ""
            item.excerpt = text(node, "encoded", excerpt) ?? ""
            item.id = number(node, "post_id")
            item.date = text(node, "post_date", wp).flatMap(trimmedNonEmpty)
            item.dateGMT = text(node, "post_date_gmt", wp).flatMap(trimmedNonEmpty)
            item.name = text(node, "post_name", wp).flatMap(trimmedNonEmpty)
            item.status = text(node, "status", wp).flatMap(trimmedNonEmpty) ?? ""
            item.type = text(node, "post_type", wp).flatMap(trimmedNonEmpty) ?? ""
            item.parent = number(node, "post_parent").flatMap { $0 == 0 ? nil : $0 }
            item.menuOrder = number(node, "menu_order") ?? 0
            item.password = text(node, "post_password", wp).flatMap(trimmedNonEmpty)
            item.attachmentURL = text(node, "attachment_url", wp).flatMap(trimmedNonEmpty)
            for term in LibXML.elements(of: node, named: "category", namespace: nil) {
                item.terms.append(
                    WordPressTerm(
                        domain: LibXML.attribute("domain", of: term) ?? "category", name: LibXML.text(of: term),
                        nicename: LibXML.attribute("nicename", of: term)))
            }
            for meta in LibXML.elements(of: node, named: "postmeta", namespace: wp) {
                if let key = text(meta, "meta_key", wp) { item.meta[key] = text(meta, "meta_value", wp) ?? "" }
            }
            item.comments = LibXML.elements(of: node, named: "comment", namespace: wp).count
            export.items.append(item)
        }
        return export
    }
}
