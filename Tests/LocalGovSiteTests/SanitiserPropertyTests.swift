import Foundation
import PropertyBased
import Testing

@testable import LocalGovSite

/// Whatever markup a member's feed holds, what the sanitiser writes contains only allowed
/// elements, allowed attributes and web or mail links. The inputs are random runs of pieces
/// that hostile markup is made of, so the checker meets combinations nobody wrote down.
@Suite struct SanitiserPropertyTests {
    /// Pieces of markup: tags (allowed, forbidden, malformed), attributes with hostile values,
    /// entities, odd whitespace and stray quotes and brackets.
    static let pieces = [
        "<p>", "</p>", "<a href=\"", "<a href='", "<a href=", "\">", "'>", ">", "<", "</a>", "<img src=\"", "<img src=",
        "<script>", "</script>", "<style>", "<svg onload=alert(1)>", "<iframe src=", "<object data=", "<embed src=",
        "<form action=", "<button formaction=", "<input ", "<math>", "<meta http-equiv=refresh content=\"0;url=",
        "<base href=", "<link rel=stylesheet href=", "<table>", "<tr>", "<td>", "<li>", "<ul>", "<h1>", "<h2>",
        "<blockquote cite=\"", "<q cite=", "<img srcset=\"", "<a xlink:href=\"", "<use xlink:href=", "<div style=\"",
        " onerror=", " onclick=\"", " OnMouseOver=", " style=", " srcset=", " formaction=", " href=", " src=", " class=x",
        "javascript:", "JaVaScRiPt:", "java\tscript:", "java&#x0A;script:", "&#106;avascript:", "&#x6A;avascript:",
        "&#0000106;", "jav&#x09;ascript:", "vbscript:", "data:text/html;base64,PHNjcmlwdD4=", "data:image/svg+xml,<svg>",
        "\u{0}", "\u{1}", "\u{FEFF}", "\u{2028}", "\u{00A0}", " ", "\n", "\t", "\"", "'", "`", "=", "/", "\\",
        "alert(1)", "https://ok.example/", "http://ok.example/p?a=1&b=2", "mailto:someone@ok.example", "/relative",
        "//evil.example/", "#top", "&lt;script&gt;", "&amp;", "&#60;script&#62;", "<!--", "-->", "<![CDATA[", "]]>",
        "<?xml ", "?>", "<!DOCTYPE html>", "text", "more words",
        // Open tags left unfinished, so that the attributes above attach to them.
        "<p", "<a", "<img", "<span", "<td", "<ol", "<blockquote", "<h3", "<svg", "<iframe",
    ]

    static let markup = Gen.element(of: pieces).compactMap { $0 }.array(of: 1...24).map { $0.joined() }

    static let elements: Set<String> = [
        "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "q", "cite", "code", "kbd", "samp", "sub", "sup", "abbr",
        "span", "small", "br", "img", "p", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5",
        "h6", "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "hr",
    ]
    static let attributes: Set<String> = [
        "href", "rel", "title", "lang", "src", "alt", "width", "height", "loading", "colspan", "rowspan", "scope", "cite",
        "start", "reversed",
    ]

    @Test func outputHasOnlyAllowedElementsAttributesAndSchemes() async {
        await propertyCheck(count: 3000, input: Self.markup) { input in
            let output = HTMLSanitiser.sanitise(html: input, base: URL(string: "https://member.example/blog/")).html
            for tag in output.matches(of: /<\/?([^\s>\/]*)([^>]*)>/) {
                let name = String(tag.output.1)
                #expect(Self.elements.contains(name), "element <\(name)> from \(input.debugDescription) → \(output)")
                for attribute in String(tag.output.2).matches(of: /\s([^\s=]+)="([^"]*)"/) {
                    let key = String(attribute.output.1)
                    #expect(Self.attributes.contains(key), "attribute \(key) from \(input.debugDescription) → \(output)")
                    if ["href", "src", "cite"].contains(key) {
                        let value = String(attribute.output.2).lowercased()
                        #expect(
                            value.hasPrefix("https://") || value.hasPrefix("http://") || value.hasPrefix("mailto:"),
                            "\(key)=\"\(value)\" from \(input.debugDescription) → \(output)")
                    }
                }
            }
            // Markup that is not a tag we wrote is escaped: no raw `<` outside our tags.
            let withoutTags = output.replacing(/<\/?[a-z0-9]+(\s[a-z]+="[^"<>]*")*\s*\/?>/, with: "")
            #expect(!withoutTags.contains("<"), "\(input.debugDescription) → \(output)")
        }
    }
}
