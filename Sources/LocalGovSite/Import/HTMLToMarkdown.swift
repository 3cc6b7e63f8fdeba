import CLibXML2
import Foundation

/// A post's HTML as markdown, and what the conversion could not carry over.
public struct ConvertedHTML: Sendable, Hashable {
    public var markdown: String
    /// Images with no alt text, or an empty one: written as `![](src)`, for a person to describe.
    public var imagesWithoutAlt: [String] = []
    /// Embedded players, frames and scripts, which markdown cannot hold, described.
    public var leftOut: [String] = []
    /// Tables with merged cells or blocks in cells, flattened into a pipe table.
    public var simplifiedTables = 0
}

/// Converts the HTML of another blog system into the markdown the site renders, so that it
/// shows as the HTML did: headings, paragraphs, lists, links, emphasis, code, quotes, tables
/// (as GitHub pipe tables, since the site leaves raw HTML out), images and line breaks.
public enum HTMLToMarkdown {
    public struct Options {
        /// WordPress's classic editor stores text without `<p>` and adds paragraphs and line
        /// breaks only when it shows a post: a blank line is a new paragraph, a single newline
        /// a line break. Off, newlines are white space as in any HTML.
        public var automaticParagraphs: Bool
        /// The address each link and image is written with, given the address in the HTML;
        /// nil leaves the link out (keeping its text) or the image out.
        public var address: (String) -> String?

        public init(automaticParagraphs: Bool = false, address: @escaping (String) -> String? = { $0 }) {
            self.automaticParagraphs = automaticParagraphs
            self.address = address
        }
    }

    public static func convert(_ html: String, options: Options = Options()) -> ConvertedHTML {
        HTMLSanitiser.withParsedHTML(html) { nodes in
            var builder = Builder(options: options)
            let blocks = builder.blocks(of: nodes)
            var result = builder.result
            result.markdown = BlockMarkdown.render(blocks)
            return result
        }
    }
}

private enum Elements {
    /// Never shown as text: active content, forms, media players and a document's head.
    static let dropped: Set<String> = [
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "base", "form", "input", "button",
        "select", "option", "optgroup", "textarea", "datalist", "svg", "math", "canvas", "object", "embed", "applet",
        "param", "iframe", "frame", "frameset", "noframes", "noembed", "video", "audio", "source", "track", "map", "area",
    ]
    /// Dropped elements worth telling a person about: they showed something.
    static let embedded: Set<String> = ["iframe", "object", "embed", "video", "audio"]
    /// Blocks that only hold other blocks, with no markdown of their own.
    static let containers: Set<String> = [
        "html", "body", "div", "section", "article", "header", "footer", "aside", "main", "nav", "center", "address",
        "details", "summary", "hgroup", "fieldset", "li", "dd",
    ]
    static let blocks: Set<String> = containers.union([
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "blockquote", "pre", "hr", "table", "figure",
        "figcaption", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    ])
    static let code: Set<String> = ["code", "kbd", "samp", "tt"]
}

private struct Builder {
    let options: HTMLToMarkdown.Options
    var result = ConvertedHTML(markdown: "")

    init(options: HTMLToMarkdown.Options) { self.options = options }

    // MARK: Blocks

    /// The blocks of a container's children: runs of inline content between blocks become
    /// paragraphs.
    mutating func blocks(of nodes: some Sequence<LibXML.Node>) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var run: [InlineToken] = []
        func flush() {
            blocks += InlineMarkdown.paragraphs(run).map(MarkdownBlock.paragraph)
            run = []
        }
        for node in nodes {
            guard node.pointee.type == XML_ELEMENT_NODE else {
                appendInline(node, to: &run)
                continue
            }
            let name = LibXML.name(of: node).lowercased()
            if Elements.blocks.contains(name) {
                flush()
                blocks += block(node, name: name)
            } else {
                appendInline(node, to: &run)
            }
        }
        flush()
        return blocks
    }

    private mutating func block(_ node: LibXML.Node, name: String) -> [MarkdownBlock] {
        switch name {
        case "p":
            return blocks(of: LibXML.children(of: node))
        case "h1", "h2", "h3", "h4", "h5", "h6":
            // The page's title is its only h1, so a heading in the body starts at h2.
            let level = max(2, Int(String(name.last!))!)
            return [.heading(level: level, InlineMarkdown.normalised(flattened(LibXML.children(of: node))))]
        case "ul", "ol":
            return [list(node, ordered: name == "ol")]
        case "blockquote":
            return [.quote(blocks(of: LibXML.children(of: node)))]
        case "pre":
            return [.code(language: Self.language(of: node), text: Self.preformatted(node))]
        case "hr":
            return [.rule]
        case "table":
            return table(node)
        case "figure":
            return figure(node)
        case "figcaption":
            return caption(LibXML.children(of: node), prefix: nil)
        case "dt":
            return caption(LibXML.children(of: node), mark: .strong, prefix: nil)
        default:
            // Containers (`dl` and its `dd` among them), and parts of lists and tables found
            // outside them.
            return blocks(of: LibXML.children(of: node))
        }
    }

    /// A list's items; a list written straight inside a list (`<ul><li>a</li><ul>…</ul></ul>`,
    /// which editors produce) belongs to the item before it.
    private mutating func list(_ node: LibXML.Node, ordered: Bool) -> MarkdownBlock {
        var items: [[MarkdownBlock]] = []
        for child in LibXML.elements(of: node) {
            let name = LibXML.name(of: child).lowercased()
            switch name {
            case "li":
                items.append(blocks(of: LibXML.children(of: child)))
            case "ul", "ol":
                let nested = list(child, ordered: name == "ol")
                if items.isEmpty { items.append([]) }
                items[items.count - 1].append(nested)
            default:
                items.append(blocks(of: [child]))
            }
        }
        let start = LibXML.attribute("start", of: node).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
        // A list number has at most nine digits in CommonMark.
        return .list(ordered: ordered, start: min(max(0, start), 100_000_000), items: items)
    }

    /// A figure's image or table, then its caption: emphasised under an image, and as
    /// `Table: …` under a table, which is how the site captions tables.
    private mutating func figure(_ node: LibXML.Node) -> [MarkdownBlock] {
        let holdsTable = LibXML.elements(of: node).contains { LibXML.name(of: $0).lowercased() == "table" }
        var blocks: [MarkdownBlock] = []
        var rest: [LibXML.Node] = []
        func flushRest() {
            blocks += self.blocks(of: rest)
            rest = []
        }
        for child in LibXML.children(of: node) {
            if child.pointee.type == XML_ELEMENT_NODE, LibXML.name(of: child).lowercased() == "figcaption" {
                flushRest()
                blocks += caption(LibXML.children(of: child), prefix: holdsTable ? "Table:" : nil)
            } else {
                rest.append(child)
            }
        }
        flushRest()
        return blocks
    }

    private mutating func caption(
        _ nodes: some Sequence<LibXML.Node>, mark: InlineMark = .emphasis, prefix: String?
    ) -> [MarkdownBlock] {
        let text = InlineMarkdown.normalised(flattened(nodes))
        guard !text.isEmpty else { return [] }
        if let prefix { return [.paragraph([.text(prefix), .space] + text)] }
        return [.paragraph(InlineMarkdown.normalised([.open(mark)] + text + [.close(mark)]))]
    }

    // MARK: Tables

    private mutating func table(_ node: LibXML.Node) -> [MarkdownBlock] {
        var rows: [(cells: [LibXML.Node], inHead: Bool)] = []
        var captions: [LibXML.Node] = []
        for child in LibXML.elements(of: node) {
            switch LibXML.name(of: child).lowercased() {
            case "tr":
                rows.append((cells(of: child), false))
            case "thead", "tbody", "tfoot":
                let inHead = LibXML.name(of: child).lowercased() == "thead"
                rows += LibXML.elements(of: child).filter { LibXML.name(of: $0).lowercased() == "tr" }.map { (cells(of: $0), inHead) }
            case "caption":
                captions.append(child)
            default:
                continue
            }
        }
        guard !rows.isEmpty else { return captions.flatMap { caption(LibXML.children(of: $0), prefix: "Table:") } }

        var simplified = false
        // Cells still covered by a rowspan from above: column → rows left.
        var covered: [Int: Int] = [:]
        var grid: [[[InlineToken]]] = []
        var alignments: [Int: ColumnAlignment] = [:]
        for (rowIndex, row) in rows.enumerated() {
            var line: [[InlineToken]] = []
            func fillCovered() {
                while let left = covered[line.count], left > 0 {
                    covered[line.count] = left - 1
                    line.append([])
                }
            }
            for cell in row.cells {
                fillCovered()
                let span = Self.number("colspan", of: cell)
                let rowSpan = Self.number("rowspan", of: cell)
                if span > 1 || rowSpan > 1 || Self.holdsBlocks(cell) { simplified = true }
                if rowIndex == 0 || row.inHead, alignments[line.count] == nil { alignments[line.count] = Self.alignment(of: cell) }
                if rowSpan > 1 { covered[line.count] = rowSpan - 1 }
                line.append(InlineMarkdown.normalised(flattened(LibXML.children(of: cell))))
                for _ in 1..<span { line.append([]) }
            }
            fillCovered()
            grid.append(line)
        }
        if simplified { result.simplifiedTables += 1 }
        let width = grid.map(\.count).max() ?? 0
        let padded = grid.map { $0 + Array(repeating: [], count: width - $0.count) }
        let table = MarkdownTable(
            header: padded[0], rows: Array(padded.dropFirst()),
            alignments: (0..<width).map { alignments[$0] ?? ColumnAlignment.none })
        return [.table(table)] + captions.flatMap { caption(LibXML.children(of: $0), prefix: "Table:") }
    }

    private func cells(of row: LibXML.Node) -> [LibXML.Node] {
        LibXML.elements(of: row).filter { ["td", "th"].contains(LibXML.name(of: $0).lowercased()) }
    }

    private static func number(_ attribute: String, of node: LibXML.Node) -> Int {
        let value = LibXML.attribute(attribute, of: node).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
        return min(max(value, 1), 100)
    }

    /// More than a line of text: lists, code, quotes, tables, or several paragraphs.
    private static func holdsBlocks(_ cell: LibXML.Node) -> Bool {
        var paragraphs = 0
        for child in LibXML.elements(of: cell) {
            let name = LibXML.name(of: child).lowercased()
            if name == "p" {
                paragraphs += 1
            } else if Elements.blocks.contains(name) {
                return true
            }
        }
        return paragraphs > 1
    }

    /// From `align`, the block editor's `has-text-align-…` class or `text-align` in `style`.
    private static func alignment(of cell: LibXML.Node) -> ColumnAlignment {
        var candidates = [LibXML.attribute("align", of: cell), LibXML.attribute("data-align", of: cell)]
        let classes = (LibXML.attribute("class", of: cell) ?? "").split(separator: " ")
        candidates += classes.filter { $0.hasPrefix("has-text-align-") }.map { String($0.dropFirst("has-text-align-".count)) }
        if let style = LibXML.attribute("style", of: cell)?.lowercased().replacingOccurrences(of: " ", with: ""),
            let range = style.range(of: "text-align:")
        {
            candidates.append(String(style[range.upperBound...].prefix { $0 != ";" }))
        }
        for candidate in candidates.compactMap({ $0?.lowercased() }) {
            switch candidate {
            case "left": return .left
            case "center", "centre": return .center
            case "right": return .right
            default: continue
            }
        }
        return .none
    }

    // MARK: Preformatted text

    /// The text of a `<pre>` as written: the newline that HTML ignores straight after `<pre>`
    /// is dropped, and so is white space at the end.
    private static func preformatted(_ node: LibXML.Node) -> String {
        var text = textWithBreaks(node).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if text.hasPrefix("\n") { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    /// The text inside an element with each `<br>` a newline, as code shows it.
    private static func textWithBreaks(_ node: LibXML.Node) -> String {
        var text = ""
        func walk(_ node: LibXML.Node) {
            for child in LibXML.children(of: node) {
                switch child.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    text += child.pointee.content.map { String(cString: $0) } ?? ""
                case XML_ELEMENT_NODE where LibXML.name(of: child).lowercased() == "br":
                    text += "\n"
                case XML_ELEMENT_NODE:
                    walk(child)
                default:
                    break
                }
            }
        }
        walk(node)
        return text
    }

    /// `language-swift` or `lang-swift` on the `pre` or its `code`, or SyntaxHighlighter's
    /// `brush: php`.
    private static func language(of pre: LibXML.Node) -> String? {
        let code = LibXML.elements(of: pre).first { LibXML.name(of: $0).lowercased() == "code" }
        for node in [code, pre].compactMap({ $0 }) {
            let classes = LibXML.attribute("class", of: node) ?? ""
            for word in classes.split(whereSeparator: { $0 == " " || $0 == ";" }) {
                for prefix in ["language-", "lang-"] where word.hasPrefix(prefix) && word.count > prefix.count {
                    return Self.safeLanguage(String(word.dropFirst(prefix.count)))
                }
            }
            if let brush = classes.range(of: "brush:") {
                let name = classes[brush.upperBound...].drop { $0 == " " }.prefix { $0 != ";" && $0 != " " }
                if !name.isEmpty { return Self.safeLanguage(String(name)) }
            }
        }
        return nil
    }

    /// An info string cannot hold a backtick, and only a word names a language.
    private static func safeLanguage(_ name: String) -> String? {
        name.allSatisfy({ $0.isLetterOrDigit || "+-#._".contains($0) }) ? name.lowercased() : nil
    }

    // MARK: Inline content

    /// Everything inside `nodes` as one line of inline content, blocks included: for headings,
    /// captions and table cells, which markdown keeps to one line.
    private mutating func flattened(_ nodes: some Sequence<LibXML.Node>) -> [InlineToken] {
        var tokens: [InlineToken] = []
        for node in nodes {
            if node.pointee.type == XML_ELEMENT_NODE, Elements.blocks.contains(LibXML.name(of: node).lowercased()) {
                tokens.append(.space)
                tokens += flattened(LibXML.children(of: node))
                tokens.append(.space)
            } else {
                appendInline(node, to: &tokens)
            }
        }
        return tokens
    }

    private mutating func appendInline(_ node: LibXML.Node, to tokens: inout [InlineToken]) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            appendText(node.pointee.content.map { String(cString: $0) } ?? "", to: &tokens)
            return
        case XML_ELEMENT_NODE:
            break
        default:
            // Comments (the block editor's `<!-- wp:paragraph -->` among them) and the like.
            return
        }
        let name = LibXML.name(of: node).lowercased()
        let children = LibXML.children(of: node)
        func wrapped(_ mark: InlineMark) {
            tokens.append(.open(mark))
            for child in children { appendInline(child, to: &tokens) }
            tokens.append(.close(mark))
        }
        switch name {
        case _ where Elements.dropped.contains(name):
            if Elements.embedded.contains(name) { result.leftOut.append(Self.describeEmbed(node, name: name)) }
        case "em", "i", "cite", "dfn", "var":
            wrapped(.emphasis)
        case "strong", "b":
            wrapped(.strong)
        case "del", "s", "strike":
            wrapped(.strikethrough)
        case "a":
            guard let href = LibXML.attribute("href", of: node).flatMap(linkAddress) else {
                for child in children { appendInline(child, to: &tokens) }
                return
            }
            let title = LibXML.attribute("title", of: node).map(HTMLSanitiser.collapsingWhitespace).flatMap(trimmedNonEmpty)
            let start = tokens.count
            wrapped(.link(destination: href, title: title))
            // An image linked to its own file (as WordPress links them by default) is just the image.
            if tokens.count == start + 3, case .image(let source, _, _) = tokens[start + 1], source == href {
                tokens.remove(at: start + 2)
                tokens.remove(at: start)
            }
        case _ where Elements.code.contains(name) && Self.holdsLinkOrImage(node):
            // A code span holds text only: the link or image matters more than the type face.
            for child in children { appendInline(child, to: &tokens) }
        case _ where Elements.code.contains(name):
            // White space at the edges of code shows, but as the space between words.
            let text = Self.textWithBreaks(node)
            let code = HTMLSanitiser.collapsingWhitespace(text)
            if text.first.map(Self.isHTMLSpace) ?? false { tokens.append(.space) }
            if !code.isEmpty { tokens.append(.code(code)) }
            if !code.isEmpty, text.last.map(Self.isHTMLSpace) ?? false { tokens.append(.space) }
        case "img":
            appendImage(node, to: &tokens)
        case "br":
            tokens.append(.lineBreak)
        case "q":
            tokens.append(.text("\""))
            for child in children { appendInline(child, to: &tokens) }
            tokens.append(.text("\""))
        case _ where Elements.blocks.contains(name):
            // A block inside inline content (`<a><div>…</div></a>`) cannot be a block in markdown.
            tokens.append(.space)
            for child in children { appendInline(child, to: &tokens) }
            tokens.append(.space)
        default:
            // span, u, sup, sub, small, mark, abbr, font and the rest: their text only.
            for child in children { appendInline(child, to: &tokens) }
        }
    }

    private static func holdsLinkOrImage(_ node: LibXML.Node) -> Bool {
        LibXML.elements(of: node).contains { child in
            ["a", "img"].contains(LibXML.name(of: child).lowercased()) || holdsLinkOrImage(child)
        }
    }

    private mutating func appendImage(_ node: LibXML.Node, to tokens: inout [InlineToken]) {
        guard let raw = LibXML.attribute("src", of: node), let source = linkAddress(raw) else { return }
        let alt = LibXML.attribute("alt", of: node).map(HTMLSanitiser.collapsingWhitespace) ?? ""
        if alt.isEmpty { result.imagesWithoutAlt.append(source) }
        let title = LibXML.attribute("title", of: node).map(HTMLSanitiser.collapsingWhitespace).flatMap(trimmedNonEmpty)
        tokens.append(.image(source: source, alt: alt, title: title))
    }

    /// Text as words and spaces. With automatic paragraphs a newline is a line break, except
    /// straight after a `<br>`, as WordPress does it, and a blank line two of them: a new paragraph.
    private func appendText(_ text: String, to tokens: inout [InlineToken]) {
        var word = ""
        var inSpace = false
        var newlines = 0
        func endSpace() {
            guard inSpace else { return }
            if options.automaticParagraphs && newlines >= 2 {
                tokens += [.lineBreak, .lineBreak]
            } else if options.automaticParagraphs && newlines == 1 && tokens.last(where: { $0 != .space }) != .lineBreak {
                tokens.append(.lineBreak)
            } else {
                tokens.append(.space)
            }
            inSpace = false
            newlines = 0
        }
        for character in HTMLSanitiser.removingForbiddenCharacters(text) {
            if Self.isHTMLSpace(character) {
                if !word.isEmpty {
                    tokens.append(.text(word))
                    word = ""
                }
                inSpace = true
                if character.isNewline { newlines += 1 }
            } else {
                endSpace()
                word.append(character)
            }
        }
        endSpace()
        if !word.isEmpty { tokens.append(.text(word)) }
    }

    /// HTML's white space, which collapses; a no-break space does not.
    private static func isHTMLSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n"
            || character == "\u{0C}"
    }

    /// Links and images keep only addresses a reader can follow; a `javascript:` link keeps its text.
    private func linkAddress(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let safe = trimmed.lowercased().hasPrefix("tel:") ? trimmed : SafeURL.resolve(trimmed, against: nil)
        return safe.flatMap(options.address)
    }

    private static func describeEmbed(_ node: LibXML.Node, name: String) -> String {
        let source = LibXML.attribute("src", of: node) ?? LibXML.attribute("data", of: node)
            ?? LibXML.elements(of: node).lazy.compactMap { LibXML.attribute("src", of: $0) }.first
        return "<\(name)>" + (source.map { " from \($0)" } ?? "")
    }
}
