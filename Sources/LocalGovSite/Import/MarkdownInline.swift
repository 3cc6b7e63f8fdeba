import Foundation

/// What can mark a stretch of inline markdown.
enum InlineMark: Hashable {
    case emphasis, strong, strikethrough
    case link(destination: String, title: String?)

    var opening: String {
        switch self {
        case .emphasis: "*"
        case .strong: "**"
        case .strikethrough: "~~"
        case .link: "["
        }
    }

    var closing: String {
        switch self {
        case .emphasis, .strong, .strikethrough: opening
        case let .link(destination, title): "](" + MarkdownSyntax.destination(destination, title: title) + ")"
        }
    }
}

/// Inline content as a flat run rather than a tree, so that whitespace can be moved across
/// the edges of elements (`<em> word</em>` must become ` *word*`: `* word*` is not emphasis).
enum InlineToken: Hashable {
    /// Text without ASCII whitespace, not yet escaped.
    case text(String)
    /// Collapsible white space, as HTML collapses it.
    case space
    case lineBreak
    case code(String)
    case image(source: String, alt: String, title: String?)
    case open(InlineMark)
    case close(InlineMark)
}

/// Tidies a run the way a browser would display it, then writes it as markdown.
enum InlineMarkdown {
    /// Spaces moved out of marks and collapsed, empty marks removed, edges trimmed.
    static func normalised(_ tokens: [InlineToken]) -> [InlineToken] {
        var tokens = mergingText(withoutRepeatedMarks(tokens))
        var changed = true
        while changed {
            changed = false
            var result: [InlineToken] = []
            var index = 0
            while index < tokens.count {
                let token = tokens[index]
                let next = index + 1 < tokens.count ? tokens[index + 1] : nil
                switch (token, next) {
                case (.open(let mark), .space?), (.open(let mark), .lineBreak?):
                    result += [next!, .open(mark)]
                    index += 2
                    changed = true
                case (.space, .close(let mark)?), (.lineBreak, .close(let mark)?):
                    result += [.close(mark), token]
                    index += 2
                    changed = true
                case (.open(let mark), .close(let other)?) where mark == other:
                    index += 2
                    changed = true
                // `<em>a</em><em>b</em>` is one emphasis: `*a**b*` would read as something else.
                case (.close(let mark), .open(let other)?) where mark == other && !isLink(mark):
                    index += 2
                    changed = true
                default:
                    result.append(token)
                    index += 1
                }
            }
            tokens = result
        }
        return collapsingSpaces(tokens)
    }

    /// Splits a paragraph's run where two or more line breaks meet, as `<br><br>` and a blank
    /// line in WordPress's classic editor both show a new paragraph. Inside a mark the run
    /// cannot be split, and the breaks become one.
    static func paragraphs(_ tokens: [InlineToken]) -> [[InlineToken]] {
        let tokens = normalised(tokens)
        var paragraphs: [[InlineToken]] = []
        var current: [InlineToken] = []
        var depth = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token == .lineBreak {
                var end = index
                while end < tokens.count, tokens[end] == .lineBreak { end += 1 }
                if end - index >= 2 && depth == 0 {
                    paragraphs.append(current)
                    current = []
                } else {
                    current.append(.lineBreak)
                }
                index = end
                continue
            }
            if case .open = token { depth += 1 }
            if case .close = token { depth -= 1 }
            current.append(token)
            index += 1
        }
        paragraphs.append(current)
        return paragraphs.map(normalised).filter(showsSomething)
    }

    /// Editors keep empty lines as paragraphs of no-break spaces (`<p>&nbsp;</p>`), which
    /// markdown has no need of.
    private static func showsSomething(_ tokens: [InlineToken]) -> Bool {
        tokens.contains { token in
            switch token {
            case .text(let text): !text.allSatisfy(\.isWhitespace)
            case .space, .lineBreak, .open, .close: false
            case .code, .image: true
            }
        }
    }

    /// Where the text goes: a paragraph keeps its line breaks; headings and table cells are
    /// one line, so theirs become spaces.
    enum Setting {
        case paragraph, singleLine
    }

    /// Markdown for a normalised run. Emphasis that CommonMark would not read as emphasis in
    /// its place (`foo*"bar"*`: an opening `*` between a letter and punctuation) is left out,
    /// keeping its text.
    static func render(_ tokens: [InlineToken], in setting: Setting) -> String {
        var tokens = tokens
        if setting == .singleLine {
            tokens = normalised(tokens.map { $0 == .lineBreak ? .space : $0 })
        }
        while let unreadable = unreadablePair(in: tokens) {
            tokens.remove(at: unreadable.close)
            tokens.remove(at: unreadable.open)
            tokens = normalised(tokens)
        }
        var output = ""
        for token in tokens {
            if case .open(.link) = token, output.hasSuffix("!") {
                // `!` then `[` would start an image.
                output.insert("\\", at: output.index(before: output.endIndex))
            }
            output += piece(token)
        }
        return output
    }

    private static func piece(_ token: InlineToken) -> String {
        switch token {
        case .text(let text): return MarkdownSyntax.escapedText(text)
        case .space: return " "
        case .lineBreak: return "\\\n"
        case .code(let code): return MarkdownSyntax.codeSpan(code)
        case let .image(source, alt, title):
            return "![" + MarkdownSyntax.escapedText(alt) + "](" + MarkdownSyntax.destination(source, title: title) + ")"
        case .open(let mark): return mark.opening
        case .close(let mark): return mark.closing
        }
    }

    /// The first emphasis-like pair whose delimiters would not be read as opening and closing.
    private static func unreadablePair(in tokens: [InlineToken]) -> (open: Int, close: Int)? {
        var stack: [Int] = []
        for (index, token) in tokens.enumerated() {
            switch token {
            case .open:
                stack.append(index)
            case .close(let mark):
                guard let open = stack.popLast() else { continue }
                if isLink(mark) { continue }
                let canOpen = Flanking.isLeft(
                    before: lastCharacter(before: open, in: tokens), after: firstCharacter(after: open, in: tokens))
                let canClose = Flanking.isRight(
                    before: lastCharacter(before: index, in: tokens), after: firstCharacter(after: index, in: tokens))
                if !canOpen || !canClose { return (open, index) }
            default:
                continue
            }
        }
        return nil
    }

    private static func lastCharacter(before index: Int, in tokens: [InlineToken]) -> Character? {
        guard index > 0 else { return nil }
        return piece(tokens[index - 1]).last
    }

    private static func firstCharacter(after index: Int, in tokens: [InlineToken]) -> Character? {
        guard index + 1 < tokens.count else { return nil }
        return piece(tokens[index + 1]).first
    }

    private static func isLink(_ mark: InlineMark) -> Bool {
        if case .link = mark { return true }
        return false
    }

    /// A mark inside the same kind of mark is left out: `**` is not two `*`, and a link
    /// cannot hold a link. It happens in HTML (`<em>a <em>b</em></em>`) and where the
    /// converter adds a mark (an emphasised caption with emphasis in it).
    private static func withoutRepeatedMarks(_ tokens: [InlineToken]) -> [InlineToken] {
        var open: [(mark: InlineMark, kept: Bool)] = []
        var result: [InlineToken] = []
        for token in tokens {
            switch token {
            case .open(let mark):
                let repeated = open.contains { $0.kept && sameKind($0.mark, mark) }
                open.append((mark, !repeated))
                if !repeated { result.append(token) }
            case .close:
                if open.popLast()?.kept == true { result.append(token) }
            default:
                result.append(token)
            }
        }
        return result
    }

    private static func sameKind(_ a: InlineMark, _ b: InlineMark) -> Bool {
        isLink(a) ? isLink(b) : a == b
    }

    private static func mergingText(_ tokens: [InlineToken]) -> [InlineToken] {
        var result: [InlineToken] = []
        for token in tokens {
            if case .text(let text) = token, case .text(let before)? = result.last {
                result[result.count - 1] = .text(before + text)
            } else if token != .text("") {
                result.append(token)
            }
        }
        return result
    }

    /// One space where several meet, none beside a line break, none at either end; no line
    /// break at either end, where markdown would show a backslash instead.
    private static func collapsingSpaces(_ tokens: [InlineToken]) -> [InlineToken] {
        var result: [InlineToken] = []
        for token in tokens {
            switch token {
            case .space where result.isEmpty || result.last == .space || result.last == .lineBreak:
                continue
            case .lineBreak where result.isEmpty:
                continue
            case .lineBreak where result.last == .space:
                result[result.count - 1] = .lineBreak
            default:
                result.append(token)
            }
        }
        while let last = result.last, last == .space || last == .lineBreak { result.removeLast() }
        return result
    }
}

/// CommonMark's rule for when `*` and `~` runs open and close: by the characters either side.
enum Flanking {
    private enum Kind {
        case whitespace, punctuation, other
    }

    private static func kind(_ character: Character?) -> Kind {
        guard let character else { return .whitespace }
        if character.isWhitespace { return .whitespace }
        if character.isPunctuation || character.isSymbol { return .punctuation }
        return .other
    }

    static func isLeft(before: Character?, after: Character?) -> Bool {
        let next = kind(after)
        return next != .whitespace && (next != .punctuation || kind(before) != .other)
    }

    static func isRight(before: Character?, after: Character?) -> Bool {
        let previous = kind(before)
        return previous != .whitespace && (previous != .punctuation || kind(after) != .other)
    }
}
