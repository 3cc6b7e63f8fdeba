import CLibXML2
import Foundation

/// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0, read with libxml2.
enum XMLFeedReader {
    enum Namespace {
        static let atom = "http://www.w3.org/2005/Atom"
        static let atom03 = "http://purl.org/atom/ns#"
        static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        static let rss10 = "http://purl.org/rss/1.0/"
        static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
        static let content = "http://purl.org/rss/1.0/modules/content/"
        static let dublinCore = "http://purl.org/dc/elements/1.1/"
    }

    static func read(_ data: Data, feedURL: URL, name: String) throws(FeedError) -> ParsedFeed {
        let read = try LibXML.withXMLDocument(data, url: feedURL.absoluteString) { root throws(FeedError) in
            try feed(root, feedURL: feedURL, name: name)
        }
        switch read {
        case .success(let feed):
            return feed
        case let .failure(.entityDeclaration(line, column)):
            throw .entityDeclaration(feed: name, line: line, column: column)
        case let .failure(.malformed(line, column, message)):
            if looksLikeHTML(data) { throw .notAFeed(feed: name, found: "an HTML page") }
            throw .malformedXML(feed: name, line: line, column: column, message: message)
        }
    }

    private static func feed(_ root: LibXML.Node, feedURL: URL, name: String) throws(FeedError) -> ParsedFeed {
        let reader = Reader(feedURL: feedURL)
        let rootName = LibXML.name(of: root)
        switch (rootName, LibXML.namespace(of: root)) {
        case ("rss", nil):
            return reader.rss(root, version: LibXML.attribute("version", of: root) ?? "2.0")
        case ("RDF", Namespace.rdf?):
            return reader.rdf(root)
        case ("feed", Namespace.atom?):
            return reader.atom(root)
        case ("feed", Namespace.atom03?):
            throw .unsupported(feed: name, format: "Atom 0.3")
        case let (other, _) where other.lowercased() == "html":
            throw .notAFeed(feed: name, found: "an HTML page")
        case let (other, _):
            throw .notAFeed(feed: name, found: "an XML document whose root element is <\(other)>")
        }
    }

    /// An HTML page is rarely well-formed XML, so it is recognised by its start, to say what
    /// it is rather than where it first breaks XML's rules.
    private static func looksLikeHTML(_ data: Data) -> Bool {
        let start = String(decoding: data.prefix(1024), as: UTF8.self).lowercased()
        return start.contains("<!doctype html") || start.contains("<html")
    }

    private struct Reader {
        let feedURL: URL

        // MARK: RSS 0.9x, 2.0 and 1.0

        func rss(_ root: LibXML.Node, version: String) -> ParsedFeed {
            let channel = child(root, "channel", nil) ?? root
            return rssFamily(dialect: .rss(version: version), channel: channel, items: elements(channel, "item", nil), core: nil)
        }

        func rdf(_ root: LibXML.Node) -> ParsedFeed {
            let core =
                LibXML.elements(of: root).lazy.compactMap(LibXML.namespace).first {
                    $0 == Namespace.rss10 || $0 == Namespace.rss090
                } ?? Namespace.rss10
            let channel = child(root, "channel", core) ?? root
            return rssFamily(dialect: .rdf, channel: channel, items: elements(root, "item", core), core: core)
        }

        /// RSS 2.0 and RSS 1.0 share their element names; only the namespace (`core`) differs.
        private func rssFamily(dialect: FeedDialect, channel: LibXML.Node, items: [LibXML.Node], core: String?) -> ParsedFeed {
            let language = (child(channel, "language", core) ?? child(channel, "language", Namespace.dublinCore))
                .map(LibXML.text).flatMap(trimmedNonEmpty)
            let feedAuthor = child(channel, "creator", Namespace.dublinCore).map(plainText)
            let homeLink = child(channel, "link", core).flatMap {
                FeedParser.postLink(LibXML.text(of: $0), against: base(of: $0, else: feedURL))
            }
            let entries = items.compactMap { item -> FeedEntry? in
                let guid = child(item, "guid", core)
                let permalink = guid.flatMap { LibXML.attribute("isPermaLink", of: $0) }?.lowercased() != "false"
                let linkElement = child(item, "link", core)
                let link =
                    linkElement.flatMap { FeedParser.postLink(LibXML.text(of: $0), against: base(of: $0, else: feedURL)) }
                    // A permalink guid is meant to be absolute; a relative one is more likely a bare id.
                    ?? (permalink ? guid.flatMap { FeedParser.postLink(LibXML.text(of: $0), against: nil) } : nil)
                let contentBase = link.flatMap(URL.init(string:)) ?? feedURL
                func html(_ element: LibXML.Node?) -> SanitisedHTML? {
                    element.map { HTMLSanitiser.sanitise(html: LibXML.text(of: $0), base: base(of: $0, else: contentBase)) }
                }
                let date = child(item, "pubDate", core) ?? child(item, "date", Namespace.dublinCore)
                let author = child(item, "creator", Namespace.dublinCore).map(plainText)
                    ?? child(item, "author", core).map(plainText).flatMap(nameOfRSSAuthor)
                return FeedParser.RawEntry(
                    id: guid.map(LibXML.text) ?? LibXML.attribute("about", namespace: Namespace.rdf, of: item),
                    title: child(item, "title", core).map(plainText) ?? "", link: link,
                    published: date.map(LibXML.text).flatMap(FeedDate.parse), updated: nil,
                    author: author ?? feedAuthor, summary: html(child(item, "description", core)),
                    content: html(child(item, "encoded", Namespace.content)), language: language
                ).entry(home: home(homeLink))
            }
            return ParsedFeed(
                dialect: dialect, title: child(channel, "title", core).map(plainText) ?? "", homeLink: homeLink,
                language: language, entries: entries)
        }

        /// RSS's `author` is an email address, `jo@example.org (Jo Bloggs)`: the name, or nothing
        /// rather than publish the address.
        private func nameOfRSSAuthor(_ text: String) -> String? {
            if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
                return trimmedNonEmpty(String(text[text.index(after: open)..<close]))
            }
            return text.contains("@") ? nil : trimmedNonEmpty(text)
        }

        // MARK: Atom 1.0

        func atom(_ feed: LibXML.Node) -> ParsedFeed {
            let atom = Namespace.atom
            let feedAuthor = authorName(feed)
            let homeLink = alternateLink(feed)
            let entries = elements(feed, "entry", atom).compactMap { entry -> FeedEntry? in
                let link = alternateLink(entry)
                let contentBase = link.flatMap(URL.init(string:)) ?? feedURL
                return FeedParser.RawEntry(
                    id: child(entry, "id", atom).map(LibXML.text),
                    title: child(entry, "title", atom).map(atomPlainText) ?? "", link: link,
                    published: child(entry, "published", atom).map(LibXML.text).flatMap(FeedDate.parse),
                    updated: child(entry, "updated", atom).map(LibXML.text).flatMap(FeedDate.parse),
                    author: authorName(entry) ?? child(entry, "source", atom).flatMap(authorName) ?? feedAuthor,
                    summary: child(entry, "summary", atom).flatMap { atomHTML($0, base: base(of: $0, else: contentBase)) },
                    content: child(entry, "content", atom).flatMap { atomHTML($0, base: base(of: $0, else: contentBase)) },
                    language: LibXML.inherited("lang", from: entry).first
                ).entry(home: home(homeLink))
            }
            return ParsedFeed(
                dialect: .atom, title: child(feed, "title", atom).map(atomPlainText) ?? "",
                homeLink: homeLink, language: LibXML.inherited("lang", from: feed).first.flatMap(trimmedNonEmpty),
                entries: entries)
        }

        private func authorName(_ node: LibXML.Node) -> String? {
            child(node, "author", Namespace.atom).flatMap { child($0, "name", Namespace.atom) }.map(plainText)
        }

        /// `rel="alternate"` (the default rel), preferring an HTML page over other types.
        private func alternateLink(_ node: LibXML.Node) -> String? {
            let alternates = elements(node, "link", Namespace.atom).filter {
                (LibXML.attribute("rel", of: $0) ?? "alternate") == "alternate"
            }
            let preferred = alternates.first { (LibXML.attribute("type", of: $0) ?? "text/html").contains("html") }
            let ordered = (preferred.map { [$0] } ?? []) + alternates
            return ordered.lazy.compactMap { link in
                LibXML.attribute("href", of: link).flatMap { FeedParser.postLink($0, against: base(of: link, else: feedURL)) }
            }.first
        }

        /// An Atom text construct (`type` text, html or xhtml) as sanitised HTML; nil for
        /// out-of-line (`src`) or binary content, which we do not show.
        private func atomHTML(_ element: LibXML.Node, base: URL) -> SanitisedHTML? {
            guard LibXML.attribute("src", of: element) == nil else { return nil }
            switch LibXML.attribute("type", of: element) ?? "text" {
            case "html", "text/html":
                return HTMLSanitiser.sanitise(html: LibXML.text(of: element), base: base)
            case "xhtml", "application/xhtml+xml":
                // The content is the XHTML `div` inside, whose own tag is not part of it.
                let div = LibXML.elements(of: element).first { LibXML.name(of: $0) == "div" }
                return HTMLSanitiser.sanitise(LibXML.children(of: div ?? element), base: base)
            case let type where type == "text" || type.hasPrefix("text/"):
                return FeedParser.textAsHTML(LibXML.text(of: element))
            default:
                return nil
            }
        }

        private func atomPlainText(_ element: LibXML.Node) -> String {
            LibXML.attribute("type", of: element) == "html"
                ? HTMLSanitiser.plainText(html: LibXML.text(of: element)) : plainText(element)
        }

        // MARK: Shared

        private func plainText(_ element: LibXML.Node) -> String {
            FeedParser.plainText(LibXML.text(of: element))
        }

        /// The blog's address, where an entry without a link of its own links to.
        private func home(_ homeLink: String?) -> String? {
            homeLink ?? FeedParser.postLink(feedURL.absoluteString, against: feedURL)
        }

        /// The base for URLs in `node`: its `xml:base` attributes resolved outermost first from
        /// the feed's address, or `fallback` when it has none.
        private func base(of node: LibXML.Node, else fallback: URL) -> URL {
            let bases = LibXML.inherited("base", from: node)
            guard !bases.isEmpty else { return fallback }
            return bases.reversed().reduce(feedURL) { base, relative in
                URL(string: relative.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: base)?.absoluteURL ?? base
            }
        }

        private func elements(_ node: LibXML.Node, _ name: String, _ namespace: String?) -> [LibXML.Node] {
            LibXML.elements(of: node, named: name, namespace: namespace)
        }

        private func child(_ node: LibXML.Node, _ name: String, _ namespace: String?) -> LibXML.Node? {
            LibXML.child(of: node, named: name, namespace: namespace)
        }
    }
}
