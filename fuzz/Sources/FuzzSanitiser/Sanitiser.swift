import Foundation
import FuzzSupport
import LocalGovSite

/// Untrusted HTML, as a member's post carries it, through the sanitiser and the two plain-text
/// readings the site makes of it (titles, and river excerpts).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSanitiser(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    // Feeds reach the sanitiser as decoded text, so invalid UTF-8 is replaced as it is there.
    let html = String(decoding: Fuzz.data(bytes, count), as: UTF8.self)
    let sanitised = HTMLSanitiser.sanitise(html: html, base: base).html
    SanitisedMarkup.expectSafe(sanitised)
    let again = HTMLSanitiser.sanitise(html: sanitised, base: base).html
    Fuzz.expect(again == sanitised, "sanitising its own output changed it:\n\(sanitised)\n\(again)")
    expectCollapsedText(HTMLSanitiser.plainText(html: html))
    expectCollapsedText(HTMLSanitiser.proseText(html: html))
    return 0
}

private let base = URL(string: "https://blog.example.org/2024/06/post/")!

/// Plain text has no control characters, and whitespace collapsed: none at either end, never two
/// in a row. Whitespace is counted by `Character`, as the text was collapsed, since joining words
/// with a space can make it one `Character` with a combining mark that starts the next word.
private func expectCollapsedText(_ text: String) {
    Fuzz.expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "a control character in \(text)")
    let spaces = text.map(\.isWhitespace)
    Fuzz.expect(spaces.first != true && spaces.last != true, "whitespace at an end of \(text)")
    Fuzz.expect(!zip(spaces, spaces.dropFirst()).contains { $0 && $1 }, "whitespace not collapsed in \(text)")
}
