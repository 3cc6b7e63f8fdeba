import Foundation
import PropertyBased
import Testing

@testable import LocalGovSite

/// The byte scanners that rewrite every page's HTML agree with the plainest way of doing the
/// same: try each pattern in order at each position, else keep one character.
@Suite struct TextRewriterTests {
    static let pieces = ["a", "b", "ab", "<", ">", "&", "&amp;", "-->", "é", "\u{1F3F4}", " ", "\n", "x1", "<!--t-"]
    static let texts = Gen.element(of: pieces).compactMap { $0 }.array(of: 0...24).map { $0.joined() }
    static let pairs = Gen.element(of: pieces).compactMap { $0 }.array(of: 1...4)

    static func reference(_ pairs: [(String, String)], _ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var i = 0
        next: while i < bytes.count {
            for (pattern, replacement) in pairs where !pattern.isEmpty {
                let pattern = Array(pattern.utf8)
                if bytes[i...].starts(with: pattern) {
                    output += Array(replacement.utf8)
                    i += pattern.count
                    continue next
                }
            }
            output.append(bytes[i])
            i += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func rewritesAsThePlainWayDoes() async {
        await propertyCheck(count: 3000, input: Self.texts, Self.pairs) { text, patterns in
            let pairs = patterns.enumerated().map { ($1, "[\($0)]") }
            #expect(TextRewriter(pairs).apply(to: text) == Self.reference(pairs, text), "\(text.debugDescription) \(pairs)")
        }
    }

    /// A caption goes after the `<table>` its marker stands before; a marker without a table
    /// after it, or with a number past the captions, stays as it is.
    @Test func captionsGoWhereTheirMarkersAre() async {
        let marker = "<!--t-"
        await propertyCheck(count: 3000, input: Self.texts) { text in
            let captions: [String?] = ["One & two", nil]
            let html = text + "<!--t-0-->\n<table>\n" + text + "<!--t-1-->\n<table>\n<!--t-2-->\n<table>\n" + text
            let expected = Self.reference([], text) + "<table>\n<caption>One &amp; two</caption>\n" + text + "<table>\n"
                + "<!--t-2-->\n<table>\n" + text
            let placed = Markdown.placingCaptions(captions, after: marker, in: html)
            // The text around may hold markers of its own; only a whole one with its table moves.
            if !text.contains(marker) { #expect(placed == expected, "\(text.debugDescription)") }
            #expect(Markdown.placingCaptions([], after: marker, in: html) == html)
        }
    }
}
