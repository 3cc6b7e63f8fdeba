import CCmarkGFM
import Foundation

public struct MarkdownOptions: Sendable, Hashable {
    public var unsafeHTML: Bool
    public var smartPunctuation: Bool
    /// Ids the theme already uses on every page (`main-content`), so headings never clash with them.
    public var reservedIDs: Set<String>

    public init(unsafeHTML: Bool = false, smartPunctuation: Bool = true, reservedIDs: Set<String> = []) {
        self.unsafeHTML = unsafeHTML
        self.smartPunctuation = smartPunctuation
        self.reservedIDs = reservedIDs
    }
}

public struct Heading: Sendable, Hashable {
    public var level: Int
    public var text: String
    public var id: String
    public var location: SourceLocation
}

public struct MarkdownLink: Sendable, Hashable {
    public var destination: String
    public var text: String
    public var location: SourceLocation
}

public struct MarkdownImage: Sendable, Hashable {
    public var source: String
    public var alt: String
    public var location: SourceLocation
}

/// The result of one markdown body: its HTML and the facts later stages need from its tree.
public struct RenderedMarkdown: Sendable, Hashable {
    public var html: String
    public var headings: [Heading]
    public var links: [MarkdownLink]
    public var images: [MarkdownImage]
    /// The first top-level paragraph as plain text: the fallback summary.
    public var firstParagraph: String
    /// All prose as plain text, for summaries and search.
    public var plainText: String
    /// Tables whose header row has no text: they have no column headers for screen readers.
    public var tablesWithoutHeaders: [SourceLocation] = []
}

/// cmark-gfm with GitHub's extensions, plus one walk over the tree for headings, links and images.
public enum Markdown {
    private static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// cmark-gfm registers its extensions in a process-wide list; doing it once, before any
    /// parser exists, keeps parallel parsing safe.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// cmark-gfm marks the characters that start extension inlines (`~`, `w`, `:`) in a
    /// process-wide table, set when a parser enters its inline pass and cleared when it leaves.
    /// Two parsers overlapping there lose strikethrough and autolinks at random, so the inline
    /// pass (inside `cmark_parser_finish`) runs one at a time; block parsing stays parallel.
    private static let inlinePass = NSLock()

    /// - Parameter location: where the markdown starts in its file. Later lines start at the same
    ///   column, as in a YAML block scalar, whose indentation is not part of the text.
    public static func render(_ text: String, startingAt location: SourceLocation, options: MarkdownOptions) -> RenderedMarkdown {
        precondition(registered)
        var flags = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
        if options.smartPunctuation { flags |= CMARK_OPT_SMART }
        if options.unsafeHTML { flags |= CMARK_OPT_UNSAFE }

        guard let parser = cmark_parser_new(flags) else { fatalError("cmark-gfm could not allocate a parser") }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var utf8 = Array(text.utf8)
        utf8.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = inlinePass.withLock({ cmark_parser_finish(parser) }) else { fatalError("cmark-gfm could not parse") }
        defer { cmark_node_free(document) }

        var walker = TreeWalker(origin: location, reserved: options.reservedIDs)
        walker.walk(document)
        // Changed only after the walk: moving nodes while cmark iterates breaks its iterator.
        for (node, heading) in zip(walker.headingNodes, walker.headings) {
            cmark_node_replace(node, TreeWalker.headingBlock(replacing: node, level: heading.level, id: heading.id))
            cmark_node_free(node)
        }
        let tableMarker = "<!--localgov-table-\(UInt64.random(in: 1...UInt64.max))-"
        var captions: [String?] = []
        for table in walker.tables {
            let marker = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(marker, "\(tableMarker)\(captions.count)-->")
            cmark_node_insert_before(table.node, marker)
            captions.append(table.caption)
            if let paragraph = table.captionParagraph {
                cmark_node_unlink(paragraph)
                cmark_node_free(paragraph)
            }
        }
        guard let rendered = cmark_render_html(document, flags, cmark_parser_get_syntax_extensions(parser)) else {
            fatalError("cmark-gfm could not render")
        }
        defer { free(rendered) }
        // cmark puts custom blocks' children on lines of their own; a heading reads better on one.
        // The same few patterns whatever the number of headings: one per heading made a page of
        // 100,000 headings take minutes.
        var rewrites = [(TreeWalker.headingMarker + "\n", ""), (TreeWalker.headingMarker, "")]
        rewrites += Set(walker.headings.map(\.level)).sorted().map { ("\n</h\($0)>", "</h\($0)>") }
        let rewritten = TextRewriter(rewrites + AccessibleMarkup.rewrites).apply(to: String(cString: rendered))
        let html = placingCaptions(captions, after: tableMarker, in: rewritten)
        return RenderedMarkdown(
            html: html, headings: walker.headings, links: walker.links, images: walker.images,
            firstParagraph: walker.firstParagraph ?? "", plainText: walker.plainText,
            tablesWithoutHeaders: walker.tablesWithoutHeaders)
    }

    /// Each table's caption, put after its `<table>` tag where the table's numbered marker stands
    /// before it: one pass over the bytes however many tables there are (Foundation's string
    /// search here was an eighth of a whole build).
    static func placingCaptions(_ captions: [String?], after marker: String, in html: String) -> String {
        guard !captions.isEmpty else { return html }
        let marker = Array(marker.utf8)
        let tag = Array("-->\n<table>\n".utf8)
        let bytes = Array(html.utf8)
        func matches(_ pattern: [UInt8], at start: Int) -> Bool {
            start + pattern.count <= bytes.count && bytes[start..<start + pattern.count].elementsEqual(pattern)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + captions.count * 64)
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0], matches(marker, at: i) {
                var end = i + marker.count
                var index = 0
                while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]), index < captions.count {
                    index = index * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                    end += 1
                }
                if end > i + marker.count, captions.indices.contains(index), matches(tag, at: end) {
                    output += Array("<table>\n".utf8)
                    if let caption = captions[index] { output += Array("<caption>\(HTML.escape(caption))</caption>\n".utf8) }
                    i = end + tag.count
                    continue
                }
            }
            output.append(bytes[i])
            i += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// One pass over cmark's tree. Headings are swapped for custom blocks that print
/// `<hN id="…">`, because cmark's own renderer has no way to give a heading an id.
struct TreeWalker {
    let origin: SourceLocation
    var ids: UniqueIDs
    var headings: [Heading] = []
    var links: [MarkdownLink] = []
    var images: [MarkdownImage] = []
    var firstParagraph: String?
    var plainText = ""
    var headingNodes: [OpaquePointer] = []
    var tables: [(node: OpaquePointer, caption: String?, captionParagraph: OpaquePointer?)] = []
    var tablesWithoutHeaders: [SourceLocation] = []
    /// The nearest heading above, which names a table that has no caption of its own.
    private var lastHeading: String?

    init(origin: SourceLocation, reserved: Set<String>) {
        self.origin = origin
        self.ids = UniqueIDs(reserved: reserved)
    }

    func location(of node: OpaquePointer) -> SourceLocation {
        SourceLocation(
            file: origin.file, line: Int(cmark_node_get_start_line(node)) + origin.line - 1,
            column: max(1, Int(cmark_node_get_start_column(node))) + origin.column - 1)
    }

    mutating func walk(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                let text = Self.text(of: node)
                let level = Int(cmark_node_get_heading_level(node))
                let id = ids.claim(Slug.make(text))
                headings.append(Heading(level: level, text: text, id: id, location: location(of: node)))
                headingNodes.append(node)
                lastHeading = text
                appendPlain(text)
            case CMARK_NODE_PARAGRAPH:
                let text = Self.text(of: node)
                if firstParagraph == nil, cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_DOCUMENT {
                    firstParagraph = text
                }
                if !Self.isInsideHeading(node) { appendPlain(text) }
            case CMARK_NODE_CODE_BLOCK:
                appendPlain(cmark_node_get_literal(node).map { String(cString: $0) } ?? "")
            case CMARK_NODE_LINK:
                links.append(
                    MarkdownLink(
                        destination: cmark_node_get_url(node).map { String(cString: $0) } ?? "",
                        text: Self.text(of: node), location: location(of: node)))
            case CMARK_NODE_IMAGE:
                images.append(
                    MarkdownImage(
                        source: cmark_node_get_url(node).map { String(cString: $0) } ?? "",
                        alt: Self.text(of: node), location: location(of: node)))
            default:
                // The table extension's node type is allocated at run time, so it is known by name.
                if String(cString: cmark_node_get_type_string(node)) == "table" {
                    tables.append(tableCaption(node))
                    if let header = cmark_node_first_child(node), Self.text(of: header).allSatisfy(\.isWhitespace) {
                        tablesWithoutHeaders.append(location(of: node))
                    }
                }
            }
        }
    }

    /// A paragraph `Table: …` right after or right before a table is its caption (the pandoc
    /// convention); without one, the heading of the section the table sits in names it.
    private func tableCaption(_ table: OpaquePointer) -> (OpaquePointer, String?, OpaquePointer?) {
        for candidate in [cmark_node_next(table), cmark_node_previous(table)] {
            guard let paragraph = candidate, cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
                // Between two tables, the caption is the first one's: each caption paragraph is
                // removed from the tree and freed, so giving it to both freed it twice (found by fuzzing).
                paragraph != tables.last?.captionParagraph
            else { continue }
            let text = Self.text(of: paragraph)
            if text.hasPrefix("Table: ") {
                return (table, String(text.dropFirst("Table: ".count)).trimmingCharacters(in: .whitespaces), paragraph)
            }
        }
        return (table, lastHeading, nil)
    }

    private mutating func appendPlain(_ text: String) {
        guard !text.isEmpty else { return }
        if !plainText.isEmpty { plainText += "\n" }
        plainText += text
    }

    private static func isInsideHeading(_ node: OpaquePointer) -> Bool {
        cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_HEADING
    }

    /// A custom block that prints the heading tag with its id and adopts the heading's inline children.
    static func headingBlock(replacing heading: OpaquePointer, level: Int, id: String) -> OpaquePointer {
        let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(block, openingTag(level: level, id: id) + headingMarker)
        cmark_node_set_on_exit(block, "</h\(level)>")
        while let child = cmark_node_first_child(heading) {
            cmark_node_unlink(child)
            cmark_node_append_child(block, child)
        }
        return block
    }

    static func openingTag(level: Int, id: String) -> String {
        "<h\(level) id=\"\(HTML.escape(id))\">"
    }

    /// Follows every heading's opening tag, so the line break cmark puts after it can be found.
    static let headingMarker = "<!--localgov-heading-\(UInt64.random(in: 1...UInt64.max))-->"

    /// The text a reader sees: literals of text and code, breaks as spaces.
    static func text(of node: OpaquePointer) -> String {
        var result = ""
        guard let iterator = cmark_iter_new(node) else { return result }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(child) { result += String(cString: literal) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                result += " "
            default:
                break
            }
        }
        return result
    }
}
