/// A raster or SVG image the site publishes, as the image stage made it: every page that shows
/// it, and every link preview that names it, reads its size from here.
public struct PublishedImage: Sendable, Hashable {
    /// Where the full-size copy (orientation applied, metadata stripped) is published, relative
    /// to the site: `blog/x/chart.png`, `uploads/2016/03/a.jpg`.
    public var path: String
    public var width: Int
    public var height: Int
    /// `image/jpeg`, `image/png`, `image/webp`, `image/gif` or `image/svg+xml`.
    public var mediaType: String
    /// Narrower copies, narrowest first, in the original format and in WebP: empty for an
    /// image no wider than the content column, and for SVG.
    public var variants: [ImageVariant] = []

    public init(path: String, width: Int, height: Int, mediaType: String, variants: [ImageVariant] = []) {
        self.path = path
        self.width = width
        self.height = height
        self.mediaType = mediaType
        self.variants = variants
    }
}

/// One narrower copy of a published image.
public struct ImageVariant: Sendable, Hashable {
    public var path: String
    public var width: Int
    public var height: Int
    public var mediaType: String

    public init(path: String, width: Int, height: Int, mediaType: String) {
        self.path = path
        self.width = width
        self.height = height
        self.mediaType = mediaType
    }
}
