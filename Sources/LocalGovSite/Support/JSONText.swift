/// JSON written by hand: the search index's large files, and every page's JSON-LD, where
/// Foundation's `JSONSerialization` (bridging each value, sorting keys with a locale-aware
/// compare) took more time than the rest of the page's context. Objects come out as
/// `JSONSerialization` writes them with `.sortedKeys` and `.withoutEscapingSlashes`, but for a
/// few characters escaped differently (a test compares the two).
enum JSONText {
    /// Nil when the tree holds a value this writer leaves to Foundation: anything but text, whole
    /// numbers, true/false, arrays, and dictionaries whose keys are plain (see `isPlainKey`).
    static func encode(_ value: Any) -> String? {
        var output = ""
        return write(value, into: &output) ? output : nil
    }

    private static func write(_ value: Any, into output: inout String) -> Bool {
        switch value {
        case let text as String:
            output += string(text)
        case let flag as Bool:
            output += flag ? "true" : "false"
        case let number as Int:
            output += String(number)
        case let array as [Any]:
            output += "["
            for (index, element) in array.enumerated() {
                if index > 0 { output += "," }
                guard write(element, into: &output) else { return false }
            }
            output += "]"
        case let dictionary as [String: Any]:
            guard dictionary.keys.allSatisfy(isPlainKey) else { return false }
            output += "{"
            for (index, key) in sortedKeys(dictionary.keys).enumerated() {
                if index > 0 { output += "," }
                output += string(key)
                output += ":"
                guard write(dictionary[key]!, into: &output) else { return false }
            }
            output += "}"
        default:
            return false
        }
        return true
    }

    /// Letters, after an optional `@`: schema.org's keys. Others are left to `JSONSerialization`,
    /// whose order for them follows the locale's collation.
    private static func isPlainKey(_ key: String) -> Bool {
        key.utf8.enumerated().allSatisfy { index, byte in
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || index == 0 && byte == UInt8(ascii: "@")
        }
    }

    /// `JSONSerialization`'s order for sorted plain keys: case-insensitive, and between keys that
    /// differ only in case, lower case first. Each key is folded once, not once per comparison.
    private static func sortedKeys(_ keys: Dictionary<String, Any>.Keys) -> [String] {
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
        // Most text needs nothing escaped: no control character, quote or backslash, and no
        // 0xE2 byte, which every UTF-8 U+2028 and U+2029 starts with.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
