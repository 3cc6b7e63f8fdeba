import Foundation
import Testing

@testable import LocalGovSite

/// Our JSON writer must write what `JSONSerialization` (sorted keys, slashes unescaped) writes.
@Suite struct JSONTextTests {
    /// A small deterministic generator (SplitMix64), so a failure is the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }

        /// Text with what JSON must escape: quotes, backslashes, every control character, slashes,
        /// accents, emoji and the characters JSON-LD scripts rewrite.
        /// With `escapedAlike`, only characters both writers escape the same way (they differ on
        /// backspace, form feed, U+2028 and U+2029).
        var escapedAlike = true

        mutating func text(keyLike: Bool = false) -> String {
            var pieces =
                keyLike
                ? ["a", "B", "c", "D", "type", "Type", "url", "URL", "name", "context", "Context"]
                : ["a", " ", "\"", "\\", "/", "</script>", "&", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "café", "🙂",
                    "Ω", "中", "\u{2019}", "\u{2014}", "\u{2027}", "\u{202A}"]
            if !escapedAlike, !keyLike { pieces += ["\u{8}", "\u{C}", "\u{2028}", "\u{2029}"] }
            return (0..<next(6)).map { _ in pieces[next(pieces.count)] }.joined()
        }

        mutating func value(depth: Int) -> JSONValue {
            switch next(depth > 2 ? 4 : 6) {
            case 0: return .text(text())
            case 1: return .flag(next(2) == 0)
            case 2: return .number(next(2_000_001) - 1_000_000)
            case 3: return .text(text())
            case 4: return .list((0..<next(4)).map { _ in value(depth: depth + 1) })
            default: return .object(object(depth: depth + 1))
            }
        }

        /// Keys as schema.org writes them: letters, some after an `@`.
        mutating func object(depth: Int) -> [String: JSONValue] {
            var object: [String: JSONValue] = [:]
            for _ in 0..<next(5) { object[(next(4) == 0 ? "@" : "") + text(keyLike: true)] = value(depth: depth) }
            return object
        }
    }

    @Test func writesWhatJSONSerializationWrites() throws {
        var generator = Generator(state: 2026)
        for _ in 0..<3_000 {
            let object = JSONValue.object(generator.object(depth: 0))
            let theirs = String(
                decoding: try JSONSerialization.data(withJSONObject: object.plain, options: [.sortedKeys, .withoutEscapingSlashes]),
                as: UTF8.self)
            let ours = JSONText.encode(object)
            #expect(ours == theirs)
            if ours != theirs { break }
        }
    }

    /// With every character, what it writes reads back as the same tree.
    @Test func readsBackAsTheSameTree() throws {
        var generator = Generator(state: 6, escapedAlike: false)
        for _ in 0..<3_000 {
            let object = JSONValue.object(generator.object(depth: 0))
            let ours = JSONText.encode(object)
            // Compared as Foundation writes each tree, since bridged trees do not compare equal directly.
            let read = try JSONSerialization.jsonObject(with: Data(ours.utf8))
            let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            let same = try JSONSerialization.data(withJSONObject: read, options: options)
                == JSONSerialization.data(withJSONObject: object.plain, options: options)
            #expect(same, "\(ours)")
            if !same { break }
        }
    }

    @Test func escapesLineSeparatorsAndControlCharactersAsUnicodeEscapes() {
        #expect(JSONText.string("a\u{2028}b\u{2029}\u{1}\u{1F}\u{2019}") == "\"a\\u2028b\\u2029\\u0001\\u001f\u{2019}\"")
    }

    @Test func writesNestedValuesWithKeysInOrder() {
        let object: JSONValue = ["b": .list([.number(-1), "x", .flag(false)]), "@type": "Thing", "B": ["a": .flag(true)], "a": .object([:])]
        #expect(JSONText.encode(object) == #"{"@type":"Thing","a":{},"b":[-1,"x",false],"B":{"a":true}}"#)
    }
}

extension JSONValue {
    /// The tree as `JSONSerialization` takes it, to compare the two writers.
    var plain: Any {
        switch self {
        case .text(let text): text
        case .number(let number): number
        case .flag(let flag): flag
        case .list(let list): list.map(\.plain)
        case .object(let object): object.mapValues(\.plain)
        }
    }
}
