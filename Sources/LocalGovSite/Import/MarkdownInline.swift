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

    /// The text a reader sees, as the site's renderer reports it: breaks as spaces, images
    /// as their alt text.
    static func visibleText(_ tokens: [InlineToken]) -> String {
        tokens.map { token in
            switch token {
            case .text(let text), .code(let text): text
            case .space, .lineBreak: " "
            case .image(_, let alt, _): alt
            case .open, .close: ""
            }
        }.joined()
    }

    /// Whether the token opens or closes one of `marks`, or any mark when `marks` is nil.
    static func isMark(_ token: InlineToken, including marks: Set<InlineMark>?) -> Bool {
        switch token {
        case .open(let mark), .close(let mark): marks.map { $0.contains(mark) } ?? true
        default: false
        }
    }

    /// Where the text goes: a paragraph keeps its line breaks; headings and table cells are
    /// one line, so theirs become spaces.
    enum Setting {
        case paragraph, singleLine
    }

    /// Markdown for a normalised run. Emphasis that CommonMark would not read as emphasis in
    /// its place (`**Note:**text`: a closing `**` between punctuation and a letter) has that
    /// punctuation moved out of it (`**Note**:text`), or is left out, keeping its text, when
    /// that is not enough.
    static func render(_ tokens: [InlineToken], in setting: Setting) -> String {
        var tokens = tokens
        if setting == .singleLine {
            tokens = normalised(tokens.map { $0 == .lineBreak ? .space : $0 })
        }
        while let unreadable = unreadablePair(in: tokens) {
            if let moved = movingPunctuationOut(of: unreadable, in: tokens) {
                tokens = moved
            } else {
                tokens.remove(at: unreadable.close)
                tokens.remove(at: unreadable.open)
            }
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

    private struct UnreadablePair {
        var open: Int
        var close: Int
        var canOpen: Bool
        var canClose: Bool
    }

    /// The first emphasis-like pair whose delimiters would not be read as opening and closing.
    private static func unreadablePair(in tokens: [InlineToken]) -> UnreadablePair? {
        var stack: [Int] = []
        for (index, token) in tokens.enumerated() {
            switch token {
            case .open:
                stack.append(index)
            case .close(let mark):
                guard let open = stack.popLast() else { continue }
                if isLink(mark) { continue }
                let canOpen = Flanking.isLeft(
                    before: character(before: open, in: tokens), after: character(after: open, in: tokens))
                let canClose = Flanking.isRight(
                    before: character(before: index, in: tokens), after: character(after: index, in: tokens))
                if !canOpen || !canClose { return UnreadablePair(open: open, close: index, canOpen: canOpen, canClose: canClose) }
            default:
                continue
            }
        }
        return nil
    }

    /// The pair with the punctuation on its failing side moved outside it, or nil if there is
    /// none to move without emptying the mark.
    private static func movingPunctuationOut(of pair: UnreadablePair, in tokens: [InlineToken]) -> [InlineToken]? {
        var tokens = tokens
        var moved = false
        var close = pair.close
        if !pair.canOpen, case .text(let text) = tokens[pair.open + 1] {
            let lead = text.prefix(while: Flanking.isPunctuation)
            if !lead.isEmpty && lead.count < text.count {
                tokens[pair.open + 1] = .text(String(text.dropFirst(lead.count)))
                tokens.insert(.text(String(lead)), at: pair.open)
                close += 1
                moved = true
            }
        }
        if !pair.canClose, case .text(let text) = tokens[close - 1] {
            let trail = text.reversed().prefix(while: Flanking.isPunctuation).count
            if trail > 0 && trail < text.count {
                tokens[close - 1] = .text(String(text.dropLast(trail)))
                tokens.insert(.text(String(text.suffix(trail))), at: close + 1)
                moved = true
            }
        }
        return moved ? tokens : nil
    }

    /// The character before the delimiter at `index`: delimiters of the same character next
    /// to it (`**` closing, then `*` opening) are one run to CommonMark, so it is the one before them all.
    private static func character(before index: Int, in tokens: [InlineToken]) -> Character? {
        let delimiter = delimiterCharacter(tokens[index])
        var before = index - 1
        while before >= 0, delimiterCharacter(tokens[before]) == delimiter { before -= 1 }
        return before >= 0 ? piece(tokens[before]).last : nil
    }

    private static func character(after index: Int, in tokens: [InlineToken]) -> Character? {
        let delimiter = delimiterCharacter(tokens[index])
        var after = index + 1
        while after < tokens.count, delimiterCharacter(tokens[after]) == delimiter { after += 1 }
        return after < tokens.count ? piece(tokens[after]).first : nil
    }

    /// `*` for emphasis and strong, `~` for strikethrough; nil for anything else.
    private static func delimiterCharacter(_ token: InlineToken) -> Character? {
        switch token {
        case .open(let mark), .close(let mark): isLink(mark) ? nil : mark.opening.first
        default: nil
        }
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
            } else if case .code(let code) = token, case .code(let before)? = result.last {
                // Two code spans side by side would share their backticks.
                result[result.count - 1] = .code(before + code)
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
        return isPunctuation(character) ? .punctuation : .other
    }

    static func isPunctuation(_ character: Character) -> Bool {
        character.isPunctuation || character.isSymbol
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
