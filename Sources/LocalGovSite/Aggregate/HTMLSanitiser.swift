import CLibXML2
import Foundation

/// HTML from a member's feed, made safe to place inside one of our elements.
public struct SanitisedHTML: Sendable, Hashable {
    public var html: String
    /// Sources of images that had no `alt`: they are written with `alt=""` (decorative), which
    /// is only right if the image adds nothing, so the caller reports them.
    public var imagesWithoutAlt: [String]

    public init(html: String = "", imagesWithoutAlt: [String] = []) {
        self.html = html
        self.imagesWithoutAlt = imagesWithoutAlt
    }
}

/// Rebuilds untrusted HTML from a parsed tree through an allowlist. Nothing of the input's
/// markup is copied: every tag, attribute and text is written and escaped by us, so whatever
/// libxml2 made of broken markup, the output is balanced and only says what the allowlist allows.
public enum HTMLSanitiser {
    public static func sanitise(html: String, base: URL?) -> SanitisedHTML {
        withParsedHTML(html) { nodes in sanitise(nodes, base: base) }
    }

    /// The text a reader would see, whitespace collapsed: for titles and names given as HTML.
    public static func plainText(html: String) -> String {
        withParsedHTML(html) { nodes in
            var text = ""
            appendVisibleText(of: nodes, skipping: Allowlist.droppedWithContent, to: &text)
            return visible(text)
        }
    }

    /// The running text of a post, for an excerpt: headings, code, tables and captions left out,
    /// since run into the prose they read as nonsense ("How we did it We met…").
    public static func proseText(html: String) -> String {
        withParsedHTML(html) { nodes in
            var text = ""
            appendVisibleText(of: nodes, skipping: Allowlist.droppedWithContent.union(Allowlist.notProse), to: &text)
            return visible(text)
        }
    }

    /// Nodes of any libxml2 tree, so Atom's XHTML content is sanitised from the feed's own
    /// tree without being written out and parsed again.
    static func sanitise(_ nodes: some Sequence<LibXML.Node>, base: URL?) -> SanitisedHTML {
        var writer = Writer(base: base)
        writer.write(nodes, in: Context())
        return SanitisedHTML(html: writer.output, imagesWithoutAlt: writer.imagesWithoutAlt)
    }

    /// Text as it goes on a page: character references such as `&#x85;` reach the text as the
    /// controls they name (found by fuzzing), so forbidden characters go after parsing too.
    private static func visible(_ text: String) -> String {
        collapsingWhitespace(removingForbiddenCharacters(text))
    }

    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Parses `html` as the content of a `<div>` we open, so text before the first tag has a
    /// parent (libxml2 drops or re-wraps it otherwise), and hands `body` the document's
    /// top-level nodes: with NOIMPLIED they are our div and whatever a stray `</div>` in the
    /// input pushed out of it, and the walk covers both. The importers' converter reads HTML
    /// through here too.
    static func withParsedHTML<T>(_ html: String, _ body: (UnfoldSequence<LibXML.Node, LibXML.Node?>) -> T) -> T {
        _ = LibXML.initialised
        var bytes = Array("<div>".utf8)
        bytes.append(contentsOf: removingForbiddenCharacters(html).utf8)
        bytes.append(contentsOf: "</div>".utf8)
        // IGNORE_ENC: a `<meta charset>` in the content must not re-decode bytes we gave as UTF-8.
        let options = Int32(
            HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOIMPLIED.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(chars.count), nil, "UTF-8", options)
            }
        }
        defer { document.map(xmlFreeDoc) }
        return body(LibXML.siblings(from: document?.pointee.children))
    }

    /// NUL, other C0 and C1 controls and noncharacters: browsers drop or reject them and the
    /// HTML checker calls them errors, and a NUL can end libxml2's reading early.
    static func removingForbiddenCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter { !isForbidden($0) })
        return String(scalars)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        return (0x7F...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE
    }

    private static func appendVisibleText(of nodes: some Sequence<LibXML.Node>, skipping: Set<String>, to text: inout String) {
        for child in nodes {
            switch child.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                text += child.pointee.content.map { String(cString: $0) } ?? ""
            case XML_ELEMENT_NODE where !skipping.contains(LibXML.name(of: child).lowercased()):
                text += " "
                appendVisibleText(of: LibXML.children(of: child), skipping: skipping, to: &text)
            default:
                break
            }
        }
    }
}

/// What the sanitiser keeps, and where.
enum Allowlist {
    static let phrasing: Set<String> = [
        "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "q", "cite", "code", "kbd", "samp", "sub", "sup", "abbr",
        "span", "small", "br", "img",
    ]
    static let flow: Set<String> = [
        "p", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "hr",
    ]
    static let void: Set<String> = ["br", "img", "hr"]
    /// Not running text: left out of excerpts.
    static let notProse: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "figcaption"]
    /// The page's title is its only h1.
    static let renamed = ["h1": "h2"]

    /// Elements whose content is phrasing only. A block inside one would make the browser's
    /// parser close elements on its own, possibly ones of ours around the content, so a block
    /// there is unwrapped instead.
    static let phrasingContent = phrasing.union(["p", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "th"])

    /// Where the parts of lists, tables and figures may stand; anywhere else they are unwrapped.
    /// An `<li>` outside a list, say, would close an `<li>` of the page around the content.
    static let parents: [String: Set<String>] = [
        "li": ["ul", "ol"], "dt": ["dl"], "dd": ["dl"], "figcaption": ["figure"], "caption": ["table"],
        "thead": ["table"], "tbody": ["table"], "tfoot": ["table"], "tr": ["table", "thead", "tbody", "tfoot"],
        "th": ["tr"], "td": ["tr"],
    ]
    /// Containers that hold only their parts (and whitespace between them): text or other
    /// elements there would be moved out of the table by browsers, so they go.
    static let structural: Set<String> = ["ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"]

    /// Dropped with everything inside them: active content, forms, foreign markup, and what
    /// belongs to a document's head.
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "object", "embed", "applet", "param", "form", "input", "button", "select", "option",
        "optgroup", "datalist", "textarea", "svg", "math", "template", "noscript", "noembed", "noframes", "frame",
        "frameset", "canvas", "link", "meta", "base", "head", "title",
    ]

    /// Allowed attributes per element, in the order they are written; `lang` is allowed everywhere.
    static func attributes(of element: String) -> [String] {
        switch element {
        case "a": ["href", "title", "lang"]
        case "img": ["src", "alt", "width", "height", "title", "lang"]
        case "abbr": ["title", "lang"]
        case "th", "td": ["colspan", "rowspan", "scope", "lang"]
        case "blockquote", "q": ["cite", "lang"]
        case "ol": ["start", "reversed", "lang"]
        default: ["lang"]
        }
    }

    static let xhtmlNamespace = "http://www.w3.org/1999/xhtml"
}

extension HTMLSanitiser {
    struct Context {
        /// The nearest element we wrote around this point.
        var parent: String?
        var phrasingOnly = false
        var inLink = false

        func allows(_ element: String) -> Bool {
            if phrasingOnly && !Allowlist.phrasing.contains(element) { return false }
            if inLink && element == "a" { return false }
            if let parents = Allowlist.parents[element] { return parent.map(parents.contains) ?? false }
            if let parent, Allowlist.structural.contains(parent) { return false }
            return true
        }

        func inside(_ element: String) -> Context {
            Context(
                parent: element, phrasingOnly: phrasingOnly || Allowlist.phrasingContent.contains(element),
                inLink: inLink || element == "a")
        }
    }

    struct Writer {
        let base: URL?
        var output = ""
        var imagesWithoutAlt: [String] = []

        init(base: URL?) { self.base = base }

        mutating func write(_ nodes: some Sequence<LibXML.Node>, in context: Context) {
            for node in nodes {
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    writeText(node.pointee.content.map { String(cString: $0) } ?? "", in: context)
                case XML_ELEMENT_NODE:
                    writeElement(node, in: context)
                default:
                    // Comments, processing instructions, entity references, doctypes.
                    break
                }
            }
        }

        private mutating func writeText(_ text: String, in context: Context) {
            if let parent = context.parent, Allowlist.structural.contains(parent),
                !text.allSatisfy(\.isWhitespace)
            {
                return
            }
            output += HTML.escape(HTMLSanitiser.removingForbiddenCharacters(text))
        }

        private mutating func writeElement(_ node: LibXML.Node, in context: Context) {
            let found = LibXML.name(of: node).lowercased()
            let foreign = LibXML.namespace(of: node).map { $0 != Allowlist.xhtmlNamespace } ?? false
            if foreign || Allowlist.droppedWithContent.contains(found) { return }
            let name = Allowlist.renamed[found] ?? found
            guard Allowlist.phrasing.contains(name) || Allowlist.flow.contains(name), context.allows(name),
                var attributes = safeAttributes(of: node, as: name)
            else {
                write(LibXML.children(of: node), in: context)
                return
            }
            switch name {
            case "a":
                guard attributes.contains(where: { $0.name == "href" }) else {
                    write(LibXML.children(of: node), in: context)
                    return
                }
                attributes.append(("rel", "nofollow noopener ugc"))
            case "img":
                guard let source = attributes.first(where: { $0.name == "src" })?.value else { return }
                if !attributes.contains(where: { $0.name == "alt" }) {
                    attributes.insert(("alt", ""), at: 1)
                    imagesWithoutAlt.append(source)
                }
                attributes.append(("loading", "lazy"))
            default:
                break
            }
            output += "<" + name
            for (attribute, value) in attributes {
                output += attribute == "reversed" ? " reversed" : " \(attribute)=\"\(HTML.escape(value))\""
            }
            output += ">"
            guard !Allowlist.void.contains(name) else { return }
            write(LibXML.children(of: node), in: context.inside(name))
            output += "</\(name)>"
        }

        /// The allowed attributes of `node` with valid values, or nil if the element cannot be
        /// kept at all.
        private func safeAttributes(of node: LibXML.Node, as element: String) -> [(name: String, value: String)]? {
            let present = LibXML.attributes(of: node).filter { $0.namespace == nil }
            var kept: [(name: String, value: String)] = []
            for name in Allowlist.attributes(of: element) {
                guard let raw = present.first(where: { $0.name.lowercased() == name })?.value,
                    let value = safeValue(raw, of: name)
                else { continue }
                kept.append((name, value))
            }
            return kept
        }

        private func safeValue(_ raw: String, of attribute: String) -> String? {
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            switch attribute {
            case "href", "src", "cite":
                return SafeURL.resolve(raw, against: base)
            case "width", "height", "colspan", "rowspan":
                guard (1...4).contains(trimmed.count), trimmed.unicodeScalars.allSatisfy(\.isASCIIDigit),
                    let number = Int(trimmed), number > 0
                else { return nil }
                return String(number)
            case "start":
                return Int(trimmed).map(String.init)
            case "reversed":
                return ""
            case "scope":
                let scope = trimmed.lowercased()
                return ["row", "col", "rowgroup", "colgroup"].contains(scope) ? scope : nil
            case "lang":
                let valid = (1...35).contains(trimmed.count)
                    && trimmed.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" }
                return valid ? trimmed : nil
            default:
                return HTMLSanitiser.removingForbiddenCharacters(raw)
            }
        }
    }
}
