import Foundation

/// An image in WordPress's media library, as a gallery shows it.
public struct WordPressAttachment: Sendable, Hashable {
    public var id: Int
    public var parent: Int?
    public var menuOrder: Int
    public var url: String
    /// The attachment page, WordPress's own page for the file, which links often point to.
    public var pageLink: String?
    public var alt: String?
    public var caption: String?

    public var isImage: Bool {
        let path = url.split(separator: "?").first.map(String.init)?.lowercased() ?? ""
        return [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"].contains { path.hasSuffix($0) }
    }
}

/// WordPress's `[name attributes]…[/name]` codes, which plugins expand when a post is shown.
/// `[caption]` and `[gallery]` are part of WordPress and become HTML the converter knows;
/// any other is kept as the text it is without its plugin, and named so a person can look.
enum WordPressShortcodes {
    struct Expanded: Hashable {
        var html: String
        /// The names of shortcodes left as text, in order of first use.
        var leftAsText: [String] = []
        /// Gallery ids with no attachment in the export.
        var missingAttachments: [Int] = []
    }

    static func expand(_ content: String, postID: Int?, attachments: [Int: WordPressAttachment]) -> Expanded {
        var expanded = Expanded(html: "")
        var rest = Substring(content)
        while let open = rest.firstIndex(of: "[") {
            expanded.html += rest[..<open]
            rest = rest[open...]
            // `[[name]]` is WordPress's way of writing a shortcode as text.
            if rest.hasPrefix("[["), let tag = Tag(rest.dropFirst()), rest.dropFirst(tag.length + 1).hasPrefix("]") {
                expanded.html += rest.dropFirst().prefix(tag.length)
                rest = rest.dropFirst(tag.length + 2)
                continue
            }
            // `items[i]` in a code sample is not a shortcode.
            let afterWord = expanded.html.last.map(\.isLetterOrDigit) ?? false
            guard !afterWord, let tag = Tag(rest), !tag.isClosing else {
                expanded.html += "["
                rest = rest.dropFirst()
                continue
            }
            let afterTag = rest.dropFirst(tag.length)
            let isCaption = tag.name == "caption" || tag.name == "wp_caption"
            if isCaption, let close = afterTag.range(of: "[/\(tag.name)]") {
                expanded.html += captionHTML(String(afterTag[..<close.lowerBound]), attributes: tag.attributes)
                rest = afterTag[close.upperBound...]
            } else if tag.name == "gallery" {
                expanded.html += galleryHTML(tag.attributes, postID: postID, attachments: attachments, missing: &expanded.missingAttachments)
                rest = afterTag
            } else {
                if !expanded.leftAsText.contains(tag.name) { expanded.leftAsText.append(tag.name) }
                expanded.html += rest.prefix(tag.length)
                rest = afterTag
            }
        }
        expanded.html += rest
        return expanded
    }

    /// `[caption]<a><img></a> Caption text[/caption]` (or the caption in a `caption`
    /// attribute, as older versions wrote it) as a figure with its caption.
    private static func captionHTML(_ inner: String, attributes: [String: String]) -> String {
        let trimmed = inner.trimmingCharacters(in: .whitespacesAndNewlines)
        var media = ""
        var text = trimmed[...]
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("<a"), let end = lowered.range(of: "</a>") {
            media = String(trimmed[..<end.upperBound])
            text = trimmed[end.upperBound...]
        } else if lowered.hasPrefix("<img"), let end = trimmed.firstIndex(of: ">") {
            media = String(trimmed[...end])
            text = trimmed[trimmed.index(after: end)...]
        }
        let caption = attributes["caption"] ?? text.trimmingCharacters(in: .whitespacesAndNewlines)
        return "<figure>" + media + (caption.isEmpty ? "" : "<figcaption>" + caption + "</figcaption>") + "</figure>"
    }

    /// `[gallery ids="1,2"]` as its images: by id, or else the post's own images in their
    /// gallery order.
    private static func galleryHTML(
        _ attributes: [String: String], postID: Int?, attachments: [Int: WordPressAttachment], missing: inout [Int]
    ) -> String {
        let ids = (attributes["ids"] ?? attributes["include"]).map {
            $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        let images: [WordPressAttachment]
        if let ids {
            images = ids.compactMap { id in
                if let attachment = attachments[id] { return attachment }
                missing.append(id)
                return nil
            }
        } else {
            images = attachments.values.filter { $0.parent == postID && postID != nil && $0.isImage }
                .sorted { ($0.menuOrder, $0.id) < ($1.menuOrder, $1.id) }
        }
        return images.map { image in
            let alt = image.alt.map { " alt=\"\(HTML.escape($0))\"" } ?? ""
            let caption = image.caption.flatMap(trimmedNonEmpty).map { "<figcaption>" + $0 + "</figcaption>" } ?? ""
            return "<figure><img src=\"\(HTML.escape(image.url))\"\(alt)>\(caption)</figure>"
        }.joined()
    }

    /// An opening or closing shortcode tag at the start of some text.
    struct Tag {
        var name: String
        var attributes: [String: String]
        var isClosing: Bool
        /// Characters from `[` to `]`, both included.
        var length: Int

        init?(_ text: Substring) {
            guard text.first == "[" else { return nil }
            var index = text.index(after: text.startIndex)
            isClosing = index < text.endIndex && text[index] == "/"
            if isClosing { index = text.index(after: index) }
            let nameStart = index
            while index < text.endIndex, text[index].isASCII, text[index].isLetter || text[index].isNumber || text[index] == "_" || text[index] == "-" {
                index = text.index(after: index)
            }
            name = String(text[nameStart..<index]).lowercased()
            guard let first = name.first, first.isLetter else { return nil }
            // The attributes run to the first `]` outside quotes; a `[` before it means this
            // was not a tag.
            var quote: Character?
            let attributesStart = index
            while index < text.endIndex {
                let character = text[index]
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    quote = character
                } else if character == "]" {
                    break
                } else if character == "[" {
                    return nil
                }
                index = text.index(after: index)
            }
            guard index < text.endIndex else { return nil }
            let between = text[attributesStart..<index]
            guard between.isEmpty || between.first == " " || between.first == "/" || between.first == "\t" else { return nil }
            attributes = Self.attributes(between)
            length = text.distance(from: text.startIndex, to: index) + 1
        }

        /// `key="value"`, `key='value'` and `key=value`; values without a key are not needed.
        static func attributes(_ text: Substring) -> [String: String] {
            var result: [String: String] = [:]
            var rest = text
            while let equals = rest.firstIndex(of: "=") {
                let key = rest[..<equals].split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map { String($0).lowercased() } ?? ""
                var value = rest[rest.index(after: equals)...]
                let parsed: Substring
                if let quote = value.first, quote == "\"" || quote == "'" {
                    value = value.dropFirst()
                    let end = value.firstIndex(of: quote) ?? value.endIndex
                    parsed = value[..<end]
                    rest = end < value.endIndex ? value[value.index(after: end)...] : value[end...]
                } else {
                    let end = value.firstIndex { $0 == " " || $0 == "\t" } ?? value.endIndex
                    parsed = value[..<end]
                    rest = value[end...]
                }
                if !key.isEmpty { result[key] = String(parsed) }
            }
            return result
        }
    }
}
