import Foundation

/// The markup of one image in content: its size always, and for a photo wider than the text
/// column a set of widths (WebP first, the original format for browsers without it) with the
/// `sizes` that tell the browser which to fetch before it lays the page out.
struct ImageMarkup: Sendable {
    var sizes: String
    var contentWidth: Int
    var basePath: String

    init(_ config: SiteConfig) {
        sizes = config.images.sizes
        contentWidth = config.images.contentWidth
        basePath = config.basePath
    }

    /// Puts each image of a body shown on `page` in its final markup, from what the image stage
    /// published: the build does this for every body, and `serve`'s preview for the page it shows.
    func apply(to body: inout RenderedMarkdown, on page: String, images: [String: PublishedImage]) {
        guard !body.images.isEmpty else { return }
        let shown = body.images.map { image in
            LinkTargets.resolve(image.source, from: page, basePath: basePath).flatMap { images[$0.0] }
        }
        let markup = body.images.indices.map { html(body.images[$0], shown[$0], first: $0 == 0) }
        body.placeImages(markup)
    }

    /// A site path (`blog/x/a.jpg`) as a link, with the site's base path.
    private func link(_ path: String) -> String { basePath + path }

    /// The first image of a page may be what a reader sees first, so only the rest wait until
    /// they are scrolled near.
    private func html(_ image: MarkdownImage, _ published: PublishedImage?, first: Bool) -> String {
        let later = first ? "" : " loading=\"lazy\" decoding=\"async\""
        let words = " alt=\"\(HTML.escape(image.alt))\"" + (image.title.isEmpty ? "" : " title=\"\(HTML.escape(image.title))\"") + later
        guard let published else { return "<img src=\"\(HTML.escape(image.source))\"\(words)>" }
        let own = published.inOwnFormat
        // The copy a browser without srcset shows: the text column's width, or the next wider.
        let shown = own.first { $0.width >= contentWidth } ?? published.original
        let size = " width=\"\(shown.width)\" height=\"\(shown.height)\""
        guard !published.variants.isEmpty else { return "<img src=\"\(link(shown.path))\"\(size)\(words)>" }
        let sizes = " sizes=\"\(HTML.escape(sizes))\""
        // The original is a candidate only when it is no wider than the widest copy made: a
        // browser must never fetch a camera's 4,000 pixels.
        let widest = published.variants.map(\.width).max() ?? 0
        let candidates = own.filter { $0 != published.original || $0.width <= widest }
        let img = "<img src=\"\(link(shown.path))\" srcset=\"\(srcset(candidates))\"\(sizes)\(size)\(words)>"
        let webp = published.variants.filter { $0.mediaType == RasterFormat.webp.mediaType }
        guard published.original.mediaType != RasterFormat.webp.mediaType, !webp.isEmpty else { return img }
        return "<picture><source type=\"image/webp\" srcset=\"\(srcset(webp))\"\(sizes)>\(img)</picture>"
    }

    private func srcset(_ copies: [ImageCopy]) -> String {
        copies.sorted { $0.width < $1.width }.map { "\(link($0.path)) \($0.width)w" }.joined(separator: ", ")
    }
}

/// An SVG's size as its `viewBox` gives it (else its `width` and `height` in pixels): SVG is
/// published as it is, but a page still needs its proportions before it loads.
enum SVGSize {
    static func of(_ bytes: Data) -> (width: Int, height: Int)? {
        let text = String(decoding: bytes.prefix(64 * 1024), as: UTF8.self)
        guard let start = text.firstRange(of: "<svg"), let end = text[start.upperBound...].firstIndex(of: ">") else { return nil }
        let tag = text[start.upperBound..<end]
        var attributes: [String: String] = [:]
        for match in tag.matches(of: /\s([A-Za-z]+)\s*=\s*["']([^"']*)["']/) { attributes[String(match.1)] = String(match.2) }
        let box = (attributes["viewBox"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
        if box.count == 4, box[2] > 0, box[3] > 0 { return (Int(box[2].rounded()), Int(box[3].rounded())) }
        func pixels(_ name: String) -> Int? {
            guard let value = attributes[name] else { return nil }
            let number = value.hasSuffix("px") ? String(value.dropLast(2)) : value
            return Double(number).flatMap { $0 > 0 ? Int($0.rounded()) : nil }
        }
        guard let width = pixels("width"), let height = pixels("height") else { return nil }
        return (width, height)
    }
}
