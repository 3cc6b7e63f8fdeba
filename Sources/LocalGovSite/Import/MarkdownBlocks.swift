import Foundation

/// A block of the markdown the converter writes.
indirect enum MarkdownBlock: Hashable {
    case paragraph([InlineToken])
    case heading(level: Int, [InlineToken])
    case list(ordered: Bool, start: Int, items: [[MarkdownBlock]])
    case quote([MarkdownBlock])
    case code(language: String?, text: String)
    case rule
    case table(MarkdownTable)
}

enum ColumnAlignment: Hashable {
    case none, left, center, right
}

/// A GitHub pipe table: a header row and rows of the same width, one line per cell.
struct MarkdownTable: Hashable {
    var header: [[InlineToken]]
    var rows: [[[InlineToken]]]
    var alignments: [ColumnAlignment]
}

/// Writes blocks as CommonMark: blank lines between blocks, list items and quotes indented
/// so that everything inside them stays inside them.
enum BlockMarkdown {
    static func render(_ blocks: [MarkdownBlock]) -> String {
        var parts: [String] = []
        var previous: MarkdownBlock?
        // Two lists in a row with the same marker would merge into one list.
        var alternate = false
        for block in blocks {
            if case .list(let ordered, _, _) = block {
                if case .list(let previousOrdered, _, _)? = previous, previousOrdered == ordered {
                    alternate.toggle()
                } else {
                    alternate = false
                }
            }
            if let text = render(block, alternateMarker: alternate) {
                parts.append(text)
                previous = block
            }
        }
        return parts.joined(separator: "\n\n")
    }

    private static func render(_ block: MarkdownBlock, alternateMarker: Bool) -> String? {
        switch block {
        case .paragraph(let tokens):
            return readable(tokens) { tokens in
                InlineMarkdown.render(tokens, in: .paragraph).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { MarkdownSyntax.escapedLineStart(String($0)) }.joined(separator: "\n")
            }
        case let .heading(level, tokens):
            return readable(tokens) { tokens in
                String(repeating: "#", count: level) + " "
                    + MarkdownSyntax.escapedHeadingEnd(InlineMarkdown.render(tokens, in: .singleLine))
            }
        case let .list(ordered, start, items):
            return list(ordered: ordered, start: start, items: items, alternateMarker: alternateMarker)
        case .quote(let blocks):
            let inner = render(blocks)
            guard !inner.isEmpty else { return nil }
            return inner.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
        case let .code(language, text):
            let fence = String(repeating: "`", count: max(3, MarkdownSyntax.longestRun(of: "`", in: text) + 1))
            return fence + (language ?? "") + "\n" + (text.isEmpty ? "" : text + "\n") + fence
        case .rule:
            return "---"
        case .table(let table):
            return self.table(table)
        }
    }

    /// Markdown for a paragraph or heading that the site's renderer reads back as the same
    /// text, nil when there is none. Runs of delimiters beside punctuation follow more rules
    /// than the converter checks, so where one reads otherwise the emphasis goes, and then
    /// the links, rather than any text changing.
    private static func readable(_ tokens: [InlineToken], _ write: ([InlineToken]) -> String) -> String? {
        let text = InlineMarkdown.visibleText(tokens)
        let hasImage = tokens.contains { if case .image = $0 { true } else { false } }
        guard !text.isEmpty || hasImage else { return nil }
        let attempts = [
            tokens,
            tokens.filter { !InlineMarkdown.isMark($0, including: [.emphasis, .strong, .strikethrough]) },
            tokens.filter { !InlineMarkdown.isMark($0, including: nil) },
        ]
        var written = ""
        for attempt in attempts {
            written = write(InlineMarkdown.normalised(attempt))
            let read = Markdown.render(written, startingAt: SourceLocation(file: ""), options: MarkdownOptions(smartPunctuation: false))
            if read.plainText == text { return written }
        }
        return written
    }

    private static func list(ordered: Bool, start: Int, items: [[MarkdownBlock]], alternateMarker: Bool) -> String {
        let rendered = items.enumerated().map { index, blocks -> String in
            let marker = ordered ? "\(start + index)" + (alternateMarker ? ")" : ".") : (alternateMarker ? "*" : "-")
            let body = item(blocks)
            guard !body.isEmpty else { return marker }
            let indent = String(repeating: " ", count: marker.count + 1)
            return body.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { line, text in
                line == 0 ? marker + " " + text : (text.isEmpty ? "" : indent + text)
            }.joined(separator: "\n")
        }
        // One loose item makes the whole list loose; blank lines between all items say so.
        let loose = rendered.contains { $0.contains("\n\n") }
        return rendered.joined(separator: loose ? "\n\n" : "\n")
    }

    /// An item's blocks: a list right after the item's text stays tight to it, as HTML writes
    /// `<li>text<ul>…</ul></li>`.
    private static func item(_ blocks: [MarkdownBlock]) -> String {
        var text = ""
        var previous: MarkdownBlock?
        for block in blocks {
            let rendered = render([block])
            guard !rendered.isEmpty else { continue }
            if let previous {
                if case .paragraph = previous, case .list = block {
                    text += "\n"
                } else {
                    text += "\n\n"
                }
            }
            text += rendered
            previous = block
        }
        return text
    }

    private static func table(_ table: MarkdownTable) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.joined(separator: " | ") + " |"
        }
        func cell(_ tokens: [InlineToken]) -> String {
            InlineMarkdown.render(tokens, in: .singleLine).replacingOccurrences(of: "|", with: "\\|")
        }
        let delimiters = table.alignments.map { alignment -> String in
            switch alignment {
            case .none: "---"
            case .left: ":---"
            case .center: ":---:"
            case .right: "---:"
            }
        }
        return ([line(table.header.map(cell)), line(delimiters)] + table.rows.map { line($0.map(cell)) })
            .joined(separator: "\n")
    }
}
