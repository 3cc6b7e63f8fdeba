/// A raster or SVG image the site publishes, as the image stage made it: every page that shows
/// it, and every link preview that names it, reads its copies and sizes from here.
public struct PublishedImage: Sendable, Hashable {
    /// The full-size copy (orientation applied, metadata stripped), where the file was:
    /// `blog/x/chart.png`, `uploads/2016/03/a.jpg`.
    public var original: ImageCopy
    /// Narrower copies, narrowest first, in the original's format and in WebP: empty for an
    /// image no wider than the content column, and for SVG.
    public var variants: [ImageCopy] = []

    public init(original: ImageCopy, variants: [ImageCopy] = []) {
        self.original = original
        self.variants = variants
    }

    /// The copies in the original's format, narrowest first: the original is last, as it is
    /// the widest.
    var inOwnFormat: [ImageCopy] { variants.filter { $0.mediaType == original.mediaType } + [original] }
}

/// One published file of an image.
public struct ImageCopy: Sendable, Hashable {
    /// Relative to the site.
    public var path: String
    public var width: Int
    public var height: Int
    /// `image/jpeg`, `image/png`, `image/webp`, `image/gif` or `image/svg+xml`.
    public var mediaType: String

    public init(path: String, width: Int, height: Int, mediaType: String) {
        self.path = path
        self.width = width
        self.height = height
        self.mediaType = mediaType
    }
}
