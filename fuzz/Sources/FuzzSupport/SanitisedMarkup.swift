/// The sanitiser's promise about its output, read back independently of how it keeps it: text
/// with `<`, `>`, `"` and `'` escaped, and tags of harmless elements only, with harmless
/// attributes, whose addresses are http, https or mailto. No script, handler or `javascript:`
/// can get through a string that passes.
public enum SanitisedMarkup {
    static let elements: Set<Substring> = [
        "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "q", "cite", "code", "kbd", "samp", "sub", "sup", "abbr",
        "span", "small", "br", "img", "p", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5",
        "h6", "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "hr",
    ]
    static let attributes: Set<Substring> = [
        "href", "src", "cite", "title", "lang", "alt", "width", "height", "loading", "rel", "colspan", "rowspan", "scope",
        "start", "reversed",
    ]
    static let addressAttributes: Set<Substring> = ["href", "src", "cite"]
    /// A scheme without `//` (`https:page`) is allowed: it is a web address relative to the page,
    /// to browsers, and harmless.
    static let schemes = ["http:", "https:", "mailto:"]

    /// Read by Unicode scalars, as browsers read markup: a `>` followed by a combining mark is one
    /// Swift `Character`, but it still ends the tag.
    public static func expectSafe(_ html: String) {
        var rest = html.unicodeScalars[...]
        while let open = rest.firstIndex(of: "<") {
            expectText(rest[..<open], in: html)
            guard let close = rest[open...].firstIndex(of: ">") else {
                return Fuzz.expect(false, "an unclosed tag in \(html)")
            }
            expectTag(rest[rest.index(after: open)..<close], in: html)
            rest = rest[rest.index(after: close)...]
        }
        expectText(rest, in: html)
    }

    private static func expectText(_ text: Substring.UnicodeScalarView, in html: String) {
        Fuzz.expect(!text.contains { $0 == ">" || $0 == "\"" || $0 == "'" }, "unescaped text \(Substring(text)) in \(html)")
    }

    private static func expectTag(_ tag: Substring.UnicodeScalarView, in html: String) {
        if tag.first == "/" {
            return Fuzz.expect(elements.contains(Substring(tag.dropFirst())), "a closing tag <\(Substring(tag))> in \(html)")
        }
        let name = tag.prefix { $0 != " " }
        Fuzz.expect(elements.contains(Substring(name)), "an element <\(Substring(name))> in \(html)")
        var rest = tag.dropFirst(name.count)
        while let space = rest.first {
            Fuzz.expect(space == " ", "attributes run together in <\(Substring(tag))> in \(html)")
            rest = rest.dropFirst()
            let attribute = Substring(rest.prefix { $0 != "=" && $0 != " " })
            Fuzz.expect(attributes.contains(attribute), "an attribute \(attribute) in \(html)")
            rest = rest.dropFirst(attribute.unicodeScalars.count)
            guard rest.starts(with: "=\"".unicodeScalars) else {
                Fuzz.expect(attribute == "reversed", "\(attribute) without a value in \(html)")
                continue
            }
            rest = rest.dropFirst(2)
            guard let end = rest.firstIndex(of: "\"") else { return Fuzz.expect(false, "an unclosed value in \(html)") }
            let value = Substring(rest[..<end]).lowercased()
            if addressAttributes.contains(attribute) {
                Fuzz.expect(schemes.contains { value.hasPrefix($0) }, "\(attribute)=\"\(value)\" in \(html)")
            }
            rest = rest[rest.index(after: end)...]
        }
    }
}
