/// A JSON value the generator builds itself (a page's JSON-LD): typed, so writing it needs no
/// dynamic casts, which were half the time of writing a page's structured data.
enum JSONValue: Sendable, Equatable {
    case text(String)
    case number(Int)
    case flag(Bool)
    case list([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral {
    init(stringLiteral text: String) { self = .text(text) }
    init(dictionaryLiteral fields: (String, JSONValue)...) { self = .object(Dictionary(uniqueKeysWithValues: fields)) }
}

/// JSON written by hand: the search index's large files, and every page's JSON-LD, where
/// Foundation's `JSONSerialization` (bridging each value, sorting keys with a locale-aware
/// compare) took more time than the rest of the page's context. Objects come out as
/// `JSONSerialization` writes them with `.sortedKeys` and `.withoutEscapingSlashes`, but for a
/// few characters escaped differently (a test compares the two).
enum JSONText {
    static func encode(_ value: JSONValue) -> String {
        var output = ""
        write(value, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, into output: inout String) {
        switch value {
        case .text(let text):
            output += string(text)
        case .flag(let flag):
            output += flag ? "true" : "false"
        case .number(let number):
            output += String(number)
        case .list(let list):
            output += "["
            for (index, element) in list.enumerated() {
                if index > 0 { output += "," }
                write(element, into: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (index, key) in sortedKeys(object.keys).enumerated() {
                if index > 0 { output += "," }
                output += string(key)
                output += ":"
                write(object[key]!, into: &output)
            }
            output += "}"
        }
    }

    /// `JSONSerialization`'s order for keys of letters after an optional `@` (schema.org's, the
    /// only keys written): case-insensitive, and between keys that differ only in case, lower
    /// case first. Each key is folded once, not once per comparison.
    private static func sortedKeys(_ keys: Dictionary<String, JSONValue>.Keys) -> [String] {
        // Flipping the case bit of letters puts lower case before upper case.
        func flipped(_ key: String) -> [UInt8] { key.utf8.map { $0 == UInt8(ascii: "@") ? $0 : $0 ^ 0x20 } }
        return keys.map { (folded: Array($0.lowercased().utf8), flipped: flipped($0), key: $0) }
            .sorted { a, b in
                a.folded != b.folded ? a.folded.lexicographicallyPrecedes(b.folded) : a.flipped.lexicographicallyPrecedes(b.flipped)
            }
            .map(\.key)
    }

    /// A string literal. U+2028 and U+2029 are valid JSON but end a line in older JavaScript, so
    /// they are escaped; so is every control character.
    static func string(_ text: String) -> String {
        var result = ""
        append(text, to: &result)
        return result
    }

    /// `string(text)` put at the end of `result`: the search index writes tens of thousands of
    /// them into one file, and a string of its own for each cost more than the escaping.
    static func append(_ text: String, to result: inout String) {
        result += "\""
        defer { result += "\"" }
        // Most text needs nothing escaped: no control character, quote or backslash, and no
        // 0xE2 byte, which every UTF-8 U+2028 and U+2029 starts with.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            result += text
            return
        }
        // The rest is copied in stretches between the bytes to escape: curly quotes and dashes
        // start with 0xE2 too, and taking every character of such a text one by one cost more
        // than all the plain texts together.
        let utf8 = text.utf8
        var (stretch, index) = (utf8.startIndex, utf8.startIndex)
        while index != utf8.endIndex {
            let byte = utf8[index]
            var next = utf8.index(after: index)
            let escaped: String?
            switch byte {
            case UInt8(ascii: "\""): escaped = "\\\""
            case UInt8(ascii: "\\"): escaped = "\\\\"
            case UInt8(ascii: "\n"): escaped = "\\n"
            case UInt8(ascii: "\r"): escaped = "\\r"
            case UInt8(ascii: "\t"): escaped = "\\t"
            case ..<0x20: escaped = "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                let rest = utf8[next...].prefix(2)
                if rest.count == 2, rest.first == 0x80, let last = rest.last, last == 0xA8 || last == 0xA9 {
                    escaped = last == 0xA8 ? "\\u2028" : "\\u2029"
                    next = rest.endIndex
                } else {
                    escaped = nil
                }
            default: escaped = nil
            }
            if let escaped {
                result += Substring(utf8[stretch..<index])
                result += escaped
                stretch = next
            }
            index = next
        }
        result += Substring(utf8[stretch...])
    }
}
