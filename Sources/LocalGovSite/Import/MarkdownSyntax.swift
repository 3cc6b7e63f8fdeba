import Foundation

/// Escaping for text placed in markdown, so that it renders as the text it was and never as
/// markup. Characters are escaped only where CommonMark and GitHub's extensions could read
/// them as syntax, so that the markdown stays readable.
enum MarkdownSyntax {
    static func escapedText(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for (index, character) in characters.enumerated() {
            let previous = index > 0 ? characters[index - 1] : nil
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if needsEscape(character, previous: previous, next: next) || startsAutolink(characters, at: index) {
                output.append("\\")
            }
            output.append(character)
        }
        return output
    }

    private static func needsEscape(_ character: Character, previous: Character?, next: Character?) -> Bool {
        switch character {
        case "\\", "`", "*", "[", "]", "~":
            return true
        case "_":
            // Inside a word (`snake_case`) an underscore cannot emphasise.
            return !(previous?.isLetterOrDigit ?? false && next?.isLetterOrDigit ?? false)
        case "<":
            // Only these can start an HTML tag, comment or autolink; text is split into words,
            // so nothing follows a `<` that ends one.
            guard let next else { return false }
            return next.isASCIILetter || next == "/" || next == "!" || next == "?"
        case "&":
            // Only these can start a character reference.
            guard let next else { return false }
            return next.isASCIILetter || next == "#"
        default:
            return false
        }
    }

    /// GitHub's autolinks would make links the HTML did not have of `https://…` and `www.…`
    /// in text: the `:` or `.` that completes the prefix is escaped.
    private static func startsAutolink(_ characters: [Character], at index: Int) -> Bool {
        let prefixes: [String]
        switch characters[index] {
        case ":":
            guard index + 2 < characters.count, characters[index + 1] == "/", characters[index + 2] == "/" else { return false }
            prefixes = ["http", "https", "ftp"]
        case ".":
            prefixes = ["www"]
        default:
            return false
        }
        return prefixes.contains { prefix in
            index >= prefix.count && String(characters[(index - prefix.count)..<index]).lowercased() == prefix
        }
    }

    /// A line of a paragraph that would start a block (a heading, a list item, a quote, a
    /// thematic break, a heading underline, or a table's delimiter row, which makes the line
    /// before it a table's header) gets the backslash that keeps it text.
    static func escapedLineStart(_ line: String) -> String {
        guard let first = line.first else { return line }
        if line.contains("-") && line.allSatisfy({ "-:| \t".contains($0) }) { return "\\" + line }
        if first == "#" {
            let hashes = line.prefix { $0 == "#" }
            let after = line.dropFirst(hashes.count).first
            if hashes.count <= 6 && (after == nil || after == " ") { return "\\" + line }
        }
        if first == "-" || first == "+" || first == "=" || first == ">" {
            let second = line.dropFirst().first
            let onlyRun = line.allSatisfy { $0 == first || $0 == " " }
            if first == ">" || second == nil || second == " " || onlyRun { return "\\" + line }
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if (1...9).contains(digits.count) {
            let rest = line.dropFirst(digits.count)
            if let marker = rest.first, marker == "." || marker == ")", rest.dropFirst().first.map({ $0 == " " }) ?? true {
                return String(digits) + "\\" + rest
            }
        }
        return line
    }

    /// A heading's text, with a closing run of `#` kept as text rather than read as the
    /// optional closing sequence.
    static func escapedHeadingEnd(_ text: String) -> String {
        let hashes = text.reversed().prefix { $0 == "#" }.count
        guard hashes > 0 else { return text }
        let before = text.dropLast(hashes)
        guard before.isEmpty || before.last == " " else { return text }
        return before + "\\" + String(repeating: "#", count: hashes)
    }

    /// `code` as a code span: fenced by more backticks than it holds in a row, and padded when
    /// it starts or ends with a backtick or space, which the fence would otherwise swallow.
    static func codeSpan(_ code: String) -> String {
        let fence = String(repeating: "`", count: longestRun(of: "`", in: code) + 1)
        let pad = code.first == "`" || code.last == "`" || (code.first == " " && code.last == " ")
        return pad ? fence + " " + code + " " + fence : fence + code + fence
    }

    static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0
        var current = 0
        for each in text {
            current = each == character ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// A link destination with the characters that would end it early encoded or escaped,
    /// and a title in quotes.
    static func destination(_ url: String, title: String?) -> String {
        var written = ""
        for scalar in url.unicodeScalars {
            switch scalar {
            case " ": written += "%20"
            case "<": written += "%3C"
            case ">": written += "%3E"
            case "(", ")", "\\": written += "\\" + String(scalar)
            default: written.unicodeScalars.append(scalar)
            }
        }
        if written.isEmpty { written = "<>" }
        guard let title, !title.isEmpty else { return written }
        return written + " \"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension Character {
    var isLetterOrDigit: Bool { isLetter || isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
}
