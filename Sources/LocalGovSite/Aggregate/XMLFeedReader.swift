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

    /// A feed that is not well-formed is read as feed readers read it: first with the commonest
    /// faults of hand-made feeds mended (a bare `&`, an HTML entity such as `&nbsp;` that XML
    /// does not know), then, if it is still broken, with libxml2's recovery. Each repair is
    /// reported. Entity declarations are refused on every pass.
    static func read(_ data: Data, feedURL: URL, name: String) throws(FeedError) -> ParsedFeed {
        let url = feedURL.absoluteString
        var parsed = LibXML.Document(data, url: url, recover: false)
        let strictFailure = parsed.failure
        var repairs: [String] = []
        var recovered = false
        if let failure = parsed.failure, parsed.entityDeclared == nil, !looksLikeHTML(data) {
            let mended = AmpersandMending.mend(data)
            var second = LibXML.Document(mended.data, url: url, recover: false)
            repairs += mended.repairs
            if second.failure != nil && second.entityDeclared == nil {
                second = LibXML.Document(mended.data, url: url, recover: true)
                recovered = true
                repairs.append("not well-formed XML at line \(failure.line), column \(failure.column) (\(failure.message)); read as far as libxml2's recovery could")
            }
            if second.root != nil || second.entityDeclared != nil { parsed = second }
        }
        if let (line, column) = parsed.entityDeclared {
            throw .entityDeclaration(feed: name, line: line, column: column)
        }
        guard let root = parsed.root else {
            if looksLikeHTML(data) { throw .notAFeed(feed: name, found: "an HTML page") }
            let failure = parsed.failure ?? (0, 0, "the document could not be read")
            throw .malformedXML(feed: name, line: failure.line, column: failure.column, message: failure.message)
        }
        var feed = try readFeed(root, feedURL: feedURL, name: name)
        // Recovery that found no entry at all (a feed cut off in its first item) read nothing:
        // the fault is what the member needs to hear of.
        if recovered, feed.entries.isEmpty, let failure = strictFailure {
            throw .malformedXML(feed: name, line: failure.line, column: failure.column, message: failure.message)
        }
        feed.repairs = repairs
        return withExtendedLifetime(parsed) { feed }
    }

    private static func readFeed(_ root: LibXML.Node, feedURL: URL, name: String) throws(FeedError) -> ParsedFeed {
        let reader = Reader(feedURL: feedURL)
        let rootName = LibXML.name(of: root)
        switch (rootName, LibXML.namespace(of: root)) {
        case ("rss", nil):
            return reader.rss(root, version: LibXML.attribute("version", of: root) ?? "2.0")
        case ("RDF", Namespace.rdf?):
            return reader.rdf(root)
        case ("feed", let namespace?) where namespace == Namespace.atom || namespace == Namespace.atom03:
            return reader.atom(root, namespace: namespace)
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
                    content: html(child(item, "encoded", Namespace.content)), language: language,
                    categories: elements(item, "category", core).map(LibXML.text)
                        + elements(item, "subject", Namespace.dublinCore).map(LibXML.text)
                ).entry()
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

        // MARK: Atom 1.0 and 0.3

        /// Atom 0.3 has Atom 1.0's shape in another namespace, with `issued` (or `created`) for
        /// `published`, `modified` for `updated`, and content whose `mode` says how it is written.
        func atom(_ feed: LibXML.Node, namespace atom: String) -> ParsedFeed {
            let isAtom03 = atom == Namespace.atom03
            let feedAuthor = authorName(feed, atom)
            let homeLink = alternateLink(feed, atom)
            let entries = elements(feed, "entry", atom).compactMap { entry -> FeedEntry? in
                let link = alternateLink(entry, atom)
                let contentBase = link.flatMap(URL.init(string:)) ?? feedURL
                func date(_ names: [String]) -> Date? {
                    names.lazy.compactMap { child(entry, $0, atom) }.first.map(LibXML.text).flatMap(FeedDate.parse)
                }
                func html(_ name: String) -> SanitisedHTML? {
                    child(entry, name, atom).flatMap { atomHTML($0, base: base(of: $0, else: contentBase), atom03: isAtom03) }
                }
                return FeedParser.RawEntry(
                    id: child(entry, "id", atom).map(LibXML.text),
                    title: child(entry, "title", atom).map { atomPlainText($0, atom03: isAtom03) } ?? "", link: link,
                    published: date(isAtom03 ? ["issued", "created"] : ["published"]),
                    updated: date(isAtom03 ? ["modified"] : ["updated"]),
                    author: authorName(entry, atom) ?? child(entry, "source", atom).flatMap { authorName($0, atom) } ?? feedAuthor,
                    summary: html("summary"), content: html("content"),
                    language: LibXML.inherited("lang", from: entry).first,
                    // Atom 1.0 writes `term`; Atom 0.3 feeds borrowed Dublin Core's `subject`.
                    categories: elements(entry, "category", atom).compactMap { LibXML.attribute("term", of: $0) }
                        + elements(entry, "subject", Namespace.dublinCore).map(LibXML.text)
                ).entry()
            }
            return ParsedFeed(
                dialect: isAtom03 ? .atom03 : .atom, title: child(feed, "title", atom).map { atomPlainText($0, atom03: isAtom03) } ?? "",
                homeLink: homeLink, language: LibXML.inherited("lang", from: feed).first.flatMap(trimmedNonEmpty),
                entries: entries)
        }

        private func authorName(_ node: LibXML.Node, _ atom: String) -> String? {
            child(node, "author", atom).flatMap { child($0, "name", atom) }.map(plainText)
        }

        /// `rel="alternate"` (the default rel), preferring an HTML page over other types.
        private func alternateLink(_ node: LibXML.Node, _ atom: String) -> String? {
            let alternates = elements(node, "link", atom).filter {
                (LibXML.attribute("rel", of: $0) ?? "alternate") == "alternate"
            }
            let preferred = alternates.first { (LibXML.attribute("type", of: $0) ?? "text/html").contains("html") }
            let ordered = (preferred.map { [$0] } ?? []) + alternates
            return ordered.lazy.compactMap { link in
                LibXML.attribute("href", of: link).flatMap { FeedParser.postLink($0, against: base(of: link, else: feedURL)) }
            }.first
        }

        /// An Atom text construct (`type` text, html or xhtml) as sanitised HTML; nil for
        /// out-of-line (`src`) or binary content, which we do not show. In Atom 0.3, `type` is a
        /// media type (default text/plain) and `mode` says whether the content is inline XML
        /// (the default), escaped markup, or base64.
        private func atomHTML(_ element: LibXML.Node, base: URL, atom03: Bool) -> SanitisedHTML? {
            guard LibXML.attribute("src", of: element) == nil else { return nil }
            if atom03 { return atom03HTML(element, base: base) }
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

        private func atom03HTML(_ element: LibXML.Node, base: URL) -> SanitisedHTML? {
            let type = (LibXML.attribute("type", of: element) ?? "text/plain").lowercased()
            let isMarkup = type.contains("html")
            switch LibXML.attribute("mode", of: element) ?? "xml" {
            case "escaped":
                let text = LibXML.text(of: element)
                return isMarkup ? HTMLSanitiser.sanitise(html: text, base: base) : FeedParser.textAsHTML(text)
            case "base64":
                let encoded = LibXML.text(of: element).filter { !$0.isWhitespace }
                guard type.hasPrefix("text/"), let data = Data(base64Encoded: encoded) else { return nil }
                let text = String(decoding: data, as: UTF8.self)
                return isMarkup ? HTMLSanitiser.sanitise(html: text, base: base) : FeedParser.textAsHTML(text)
            default:
                guard isMarkup else { return FeedParser.textAsHTML(LibXML.text(of: element)) }
                let div = LibXML.elements(of: element).first { LibXML.name(of: $0) == "div" }
                return HTMLSanitiser.sanitise(LibXML.children(of: div ?? element), base: base)
            }
        }

        private func atomPlainText(_ element: LibXML.Node, atom03: Bool) -> String {
            let markup =
                atom03
                ? (LibXML.attribute("type", of: element) ?? "").contains("html") && LibXML.attribute("mode", of: element) == "escaped"
                : LibXML.attribute("type", of: element) == "html"
            return markup ? HTMLSanitiser.plainText(html: LibXML.text(of: element)) : plainText(element)
        }

        // MARK: Shared

        private func plainText(_ element: LibXML.Node) -> String {
            FeedParser.plainText(LibXML.text(of: element))
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
