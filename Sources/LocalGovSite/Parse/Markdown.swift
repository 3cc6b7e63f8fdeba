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

public struct Heading: Sendable, Hashable, Codable {
    public var level: Int
    public var text: String
    public var id: String
    public var location: SourceLocation
}

public struct MarkdownLink: Sendable, Hashable, Codable {
    public var destination: String
    public var text: String
    public var location: SourceLocation

    /// The scheme (`standard` or `principle`) and the colon after it when the destination is a
    /// reference to a point of the Standard or a principle, which the model resolves; else nil.
    var referenceScheme: (name: String, colon: String.Index)? {
        // By bytes: a search by characters for the colon was an eighth of the model stage.
        guard let colon = destination.utf8.firstIndex(of: UInt8(ascii: ":")),
            [8, 9].contains(destination.utf8.distance(from: destination.startIndex, to: colon))
        else { return nil }
        let scheme = destination[..<colon].lowercased()
        return scheme == "standard" || scheme == "principle" ? (scheme, colon) : nil
    }
}

public struct MarkdownImage: Sendable, Hashable, Codable {
    public var source: String
    public var alt: String
    public var title: String = ""
    public var location: SourceLocation
}

/// The result of one markdown body: its HTML and the facts later stages need from its tree.
public struct RenderedMarkdown: Sendable, Hashable {
    /// The HTML and the plain text, most of a body's bytes: a body the build store kept reads
    /// them back only when a stage asks for them.
    var texts: BodyTexts
    public var html: String { texts.texts.html }
    public let headings: [Heading]
    public private(set) var links: [MarkdownLink]
    /// Whether a link goes to `standard:` or `principle:`, kept with the links: looking through
    /// every body's links for them was a third of the model on each of `serve`'s builds.
    private(set) var hasReferences: Bool
    public let images: [MarkdownImage]
    /// The first top-level paragraph as plain text: the fallback summary.
    public let firstParagraph: String
    /// All prose as plain text, for summaries and search.
    public var plainText: String { texts.texts.plainText }
    /// Tables whose header row has no text: they have no column headers for screen readers.
    public let tablesWithoutHeaders: [SourceLocation]
    /// The token of the comments around each image in `html`, which the image stage replaces
    /// with the image's final markup; empty when there are no images.
    let imageMark: String
    /// A digest of everything above, made where the body is made and kept with it (and with its
    /// parse in the build cache): a page's inputs name its body by this, where digesting every
    /// body again was a tenth of a `build` after one edit. Equal fingerprints mean equal bodies;
    /// a body changed by another way than the parse may have another fingerprint for the same
    /// content, which costs only a cache miss.
    public private(set) var fingerprint: Fingerprint

    /// `fingerprint` is the one kept with a stored parse, else made here.
    init(
        html: String, headings: [Heading], links: [MarkdownLink], images: [MarkdownImage], firstParagraph: String,
        plainText: String, tablesWithoutHeaders: [SourceLocation], imageMark: String, fingerprint: Fingerprint? = nil
    ) {
        let texts = BodyTexts.Texts(html: html, plainText: plainText)
        self.init(
            texts: BodyTexts(texts), headings: headings, links: links, images: images, firstParagraph: firstParagraph,
            tablesWithoutHeaders: tablesWithoutHeaders, imageMark: imageMark,
            fingerprint: fingerprint
                ?? Self.digest(
                    texts, headings: headings, links: links, images: images, firstParagraph: firstParagraph,
                    tablesWithoutHeaders: tablesWithoutHeaders, imageMark: imageMark))
    }

    /// A body kept by the build store, whose texts are read when first asked for; with whether
    /// its links hold references, where that was kept with them.
    init(
        texts: BodyTexts, headings: [Heading], links: [MarkdownLink], images: [MarkdownImage], firstParagraph: String,
        tablesWithoutHeaders: [SourceLocation], imageMark: String, fingerprint: Fingerprint, hasReferences: Bool? = nil
    ) {
        self.texts = texts
        self.headings = headings
        self.links = links
        self.hasReferences = hasReferences ?? Self.anyReference(in: links)
        self.images = images
        self.firstParagraph = firstParagraph
        self.tablesWithoutHeaders = tablesWithoutHeaders
        self.imageMark = imageMark
        self.fingerprint = fingerprint
    }

    public static func == (a: RenderedMarkdown, b: RenderedMarkdown) -> Bool {
        a.headings == b.headings && a.links == b.links && a.images == b.images && a.firstParagraph == b.firstParagraph
            && a.tablesWithoutHeaders == b.tablesWithoutHeaders && a.imageMark == b.imageMark
            && a.fingerprint == b.fingerprint && (a.texts === b.texts || a.texts.texts == b.texts.texts)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
        hasher.combine(texts.texts)
    }

    /// The body with its references resolved: new link destinations, and its HTML with each
    /// pair's first text put in place of the second. The fingerprint digests the old one with
    /// the rewrites, so a kept body's texts are not read for it.
    mutating func resolve(links: [MarkdownLink], rewriting pairs: [(String, String)]) {
        self.links = links
        hasReferences = Self.anyReference(in: links)
        texts = texts.changingHTML { TextRewriter(pairs).apply(to: $0) }
        var hasher = StableHasher()
        hasher.combine(fingerprint)
        hasher.combine(listOf: pairs.count)
        for (pattern, replacement) in pairs { hasher.combine([pattern, replacement]) }
        for link in links {
            hasher.combine([link.destination, link.text])
            link.location.combine(into: &hasher)
        }
        fingerprint = hasher.finalize()
    }

    /// Puts `markup[index]` in place of each image's mark (its plain form where there is none).
    /// The new HTML follows from the old body and `markup`, so the fingerprint digests those two
    /// instead of the whole body again: every body's images are placed on every build.
    mutating func placeImages(_ markup: [String]) {
        let token = imageMark
        texts = texts.changingHTML { ImageMarks.replacing(in: $0, token: token) { markup.indices.contains($0) ? markup[$0] : nil } }
        var hasher = StableHasher()
        hasher.combine(fingerprint)
        hasher.combine(listOf: markup.count)
        for text in markup { hasher.combine(text) }
        fingerprint = hasher.finalize()
    }

    private static func digest(
        _ texts: BodyTexts.Texts, headings: [Heading], links: [MarkdownLink], images: [MarkdownImage], firstParagraph: String,
        tablesWithoutHeaders: [SourceLocation], imageMark: String
    ) -> Fingerprint {
        var hasher = StableHasher()
        hasher.combine([texts.html, firstParagraph, texts.plainText, imageMark])
        hasher.combine(listOf: headings.count)
        for heading in headings {
            hasher.combine(heading.level)
            hasher.combine([heading.text, heading.id])
            heading.location.combine(into: &hasher)
        }
        hasher.combine(listOf: links.count)
        for link in links {
            hasher.combine([link.destination, link.text])
            link.location.combine(into: &hasher)
        }
        hasher.combine(listOf: images.count)
        for image in images {
            hasher.combine([image.source, image.alt, image.title])
            image.location.combine(into: &hasher)
        }
        hasher.combine(listOf: tablesWithoutHeaders.count)
        for location in tablesWithoutHeaders { location.combine(into: &hasher) }
        return hasher.finalize()
    }

    private static func anyReference(in links: [MarkdownLink]) -> Bool { links.contains { $0.referenceScheme != nil } }
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

        var walker = TreeWalker(origin: location, reserved: options.reservedIDs, lines: BodyLines(utf8))
        walker.walk(document)
        // Changed only after the walk: moving nodes while cmark iterates breaks its iterator.
        for (node, heading) in zip(walker.headingNodes, walker.headings) {
            cmark_node_replace(node, TreeWalker.headingBlock(replacing: node, level: heading.level, id: heading.id))
            cmark_node_free(node)
        }
        let imageMark = walker.images.isEmpty ? "" : ImageMarks.token(for: text)
        for (index, (node, image)) in zip(walker.imageNodes, walker.images).enumerated() {
            let marked = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
            cmark_node_set_on_enter(marked, ImageMarks.marked(index, image, token: imageMark))
            cmark_node_replace(node, marked)
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
            tablesWithoutHeaders: walker.tablesWithoutHeaders, imageMark: imageMark)
    }

    /// Each table's caption, put after its `<table>` tag where the table's numbered marker stands
    /// before it: one pass over the bytes however many tables there are (Foundation's string
    /// search here was an eighth of a whole build), copying what lies between markers whole.
    static func placingCaptions(_ captions: [String?], after marker: String, in html: String) -> String {
        guard !captions.isEmpty, !marker.isEmpty else { return html }
        let marker = Array(marker.utf8)
        let tag = Array("-->\n<table>\n".utf8)
        var html = html
        return html.withUTF8 { bytes -> String in
            func matches(_ pattern: [UInt8], at start: Int) -> Bool {
                start + pattern.count <= bytes.count
                    && pattern.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress! + start, $0.count) == 0 }
            }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + captions.count * 64)
            var copied = 0
            var i = 0
            while i < bytes.count {
                guard let found = memchr(bytes.baseAddress! + i, Int32(marker[0]), bytes.count - i) else { break }
                i = UnsafeRawPointer(found) - UnsafeRawPointer(bytes.baseAddress!)
                guard matches(marker, at: i) else {
                    i += 1
                    continue
                }
                var end = i + marker.count
                var index = 0
                while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]), index < captions.count {
                    index = index * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                    end += 1
                }
                guard end > i + marker.count, captions.indices.contains(index), matches(tag, at: end) else {
                    i += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                output += Array("<table>\n".utf8)
                if let caption = captions[index] { output += Array("<caption>\(HTML.escape(caption))</caption>\n".utf8) }
                i = end + tag.count
                copied = i
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: output, as: UTF8.self)
        }
    }
}

/// One pass over cmark's tree. Headings are swapped for custom blocks that print
/// `<hN id="…">`, because cmark's own renderer has no way to give a heading an id.
struct TreeWalker {
    let origin: SourceLocation
    let lines: BodyLines
    var ids: UniqueIDs
    var headings: [Heading] = []
    var links: [MarkdownLink] = []
    var images: [MarkdownImage] = []
    var firstParagraph: String?
    var plainText = ""
    var headingNodes: [OpaquePointer] = []
    var imageNodes: [OpaquePointer] = []
    var tables: [(node: OpaquePointer, caption: String?, captionParagraph: OpaquePointer?)] = []
    var tablesWithoutHeaders: [SourceLocation] = []
    /// The nearest heading above, which names a table that has no caption of its own.
    private var lastHeading: String?

    init(origin: SourceLocation, reserved: Set<String>, lines: BodyLines) {
        self.origin = origin
        self.lines = lines
        self.ids = UniqueIDs(reserved: reserved)
    }

    func location(of node: OpaquePointer) -> SourceLocation {
        var line = Int(cmark_node_get_start_line(node))
        var cmarkColumn = Int(cmark_node_get_start_column(node))
        if let (table, inParagraph) = Self.tableSplitFromParagraph(around: node) {
            let top = Int(cmark_node_get_start_line(table))
            if inParagraph {
                line += top
                cmarkColumn += 1 + lines.indent(of: line)
            } else {
                line = Self.headerLine(of: table)
                cmarkColumn = node == table ? 1 : cmarkColumn - lines.unindentedBytes(fromLine: top, toLine: line) + lines.indent(of: line)
            }
        }
        let column = lines.column(line: line, cmarkColumn: max(1, cmarkColumn))
        return SourceLocation(file: origin.file, line: line + origin.line - 1, column: column + origin.column - 1)
    }

    /// When a paragraph runs straight into a table, cmark-gfm's table extension splits its last
    /// line off as the header row and gets the positions wrong (found by fuzzing: a link's line
    /// came out as the line before the body). The paragraph it makes of the lines before has no
    /// position, and its inlines count lines and columns from 0 within it; the table starts where
    /// that paragraph does, and the header row's inlines count bytes from there. Both count the
    /// paragraph's lines without their indentation, as cmark keeps them. This finds such
    /// a table around `node`, and whether `node` is in the paragraph (else in the header row, or
    /// the table itself).
    private static func tableSplitFromParagraph(around node: OpaquePointer) -> (table: OpaquePointer, inParagraph: Bool)? {
        var current: OpaquePointer? = node
        while let block = current {
            switch String(cString: cmark_node_get_type_string(block)) {
            case "paragraph":
                guard let table = cmark_node_next(block), isSplit(block, before: table) else { return nil }
                return (table, true)
            case "table_header":
                guard let table = cmark_node_parent(block), isSplit(cmark_node_previous(table), before: table) else { return nil }
                return (table, false)
            case "table":
                return block == node && isSplit(cmark_node_previous(block), before: block) ? (block, false) : nil
            default:
                current = cmark_node_parent(block)
            }
        }
        return nil
    }

    private static func isSplit(_ paragraph: OpaquePointer?, before table: OpaquePointer) -> Bool {
        guard let paragraph, cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { return false }
        return cmark_node_get_start_line(paragraph) == 0 && String(cString: cmark_node_get_type_string(table)) == "table"
    }

    /// The header row is the line before the delimiter row, which is before the first body row
    /// or, without one, the table's last line; those positions are right.
    private static func headerLine(of table: OpaquePointer) -> Int {
        if let firstRow = cmark_node_first_child(table).flatMap(cmark_node_next) { return Int(cmark_node_get_start_line(firstRow)) - 2 }
        return Int(cmark_node_get_end_line(table)) - 1
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
                        alt: Self.text(of: node), title: cmark_node_get_title(node).map { String(cString: $0) } ?? "",
                        location: location(of: node)))
                imageNodes.append(node)
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

/// The lines of a markdown body, to turn cmark's positions into an editor's. cmark counts a
/// node's column in bytes of its own copy of the text, in which each NUL became U+FFFD (three
/// bytes); editors count Unicode scalars. Found by fuzzing: after a run of NULs, a link's column
/// was past the end of its line.
struct BodyLines {
    private let bytes: [UInt8]
    /// Where each line starts in `bytes`.
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        lineStarts = [0] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
    }

    /// The spaces and tabs that start `line` (from 1).
    func indent(of line: Int) -> Int {
        guard lineStarts.indices.contains(line - 1) else { return 0 }
        return bytes[lineStarts[line - 1]...].prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
    }

    /// Bytes of lines `from` up to `to` (from 1), line breaks included and indentation left out.
    func unindentedBytes(fromLine from: Int, toLine to: Int) -> Int {
        guard lineStarts.indices.contains(from - 1), lineStarts.indices.contains(to - 1) else { return 0 }
        return lineStarts[to - 1] - lineStarts[from - 1] - (from..<to).reduce(0) { $0 + indent(of: $1) }
    }

    /// The column in scalars (from 1) of cmark's `cmarkColumn` on its `line` (both from 1).
    func column(line: Int, cmarkColumn: Int) -> Int {
        guard lineStarts.indices.contains(line - 1) else { return cmarkColumn }
        var index = lineStarts[line - 1]
        var cmarkBytes = 0
        var scalars = 0
        while cmarkBytes < cmarkColumn - 1, index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            cmarkBytes += bytes[index] == 0 ? 3 : 1
            // Continuation bytes of UTF-8 (10xxxxxx) do not start a scalar.
            if bytes[index] & 0xC0 != 0x80 { scalars += 1 }
            index += 1
        }
        return scalars + 1
    }
}
