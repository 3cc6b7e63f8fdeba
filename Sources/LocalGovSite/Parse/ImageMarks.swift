import Foundation

/// Each image of a markdown body is written as a plain `<img>` between two comments that number
/// it, so the image stage, which knows its size and copies only once every file is read, can put
/// its final markup in that place; a body it never sees still shows the plain image.
enum ImageMarks {
    /// The marks' token for a body written as `markdown`: a digest of the text itself, so that no
    /// text can hold a mark that passes for one (it would have to contain its own digest), and
    /// the same text is marked the same way in every build, as a parse kept in the build cache needs.
    static func token(for markdown: String) -> String {
        String(Fingerprint.sha256(of: Data(markdown.utf8)).description.prefix(32))
    }

    private static func opening(_ token: String) -> String { "<!--localgov-image-\(token)-" }
    private static let closing = "<!--/localgov-image-->"

    static func marked(_ index: Int, _ image: MarkdownImage, token: String) -> String {
        opening(token) + "\(index)-->" + plain(image) + closing
    }

    /// The image as cmark-gfm would write it.
    static func plain(_ image: MarkdownImage) -> String {
        let title = image.title.isEmpty ? "" : " title=\"\(HTML.escape(image.title))\""
        return "<img src=\"\(HTML.escape(image.source))\" alt=\"\(HTML.escape(image.alt))\"\(title) />"
    }

    /// `html` with each marked image replaced by `markup(index)`, or by its plain form when that
    /// is nil: one pass over the bytes, however many images.
    static func replacing(in html: String, token: String, _ markup: (Int) -> String?) -> String {
        let opening = opening(token)
        guard html.contains(opening) else { return html }
        var result = ""
        result.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        while let start = rest.firstRange(of: opening) {
            result += rest[..<start.lowerBound]
            let afterOpening = rest[start.upperBound...]
            guard let numberEnd = afterOpening.firstRange(of: "-->"), let index = Int(afterOpening[..<numberEnd.lowerBound]),
                let end = afterOpening.firstRange(of: closing)
            else {
                result += rest[start]
                rest = afterOpening
                continue
            }
            let plain = afterOpening[numberEnd.upperBound..<end.lowerBound]
            result += markup(index) ?? String(plain)
            rest = afterOpening[end.upperBound...]
        }
        result += rest
        return result
    }
}
