/// The picture a link preview shows (Open Graph, Twitter cards, JSON-LD): `image` and
/// `image_alt`, as Hugo, Jekyll's SEO tag and Eleventy's starters spell them, in front matter
/// for one page or in `site.toml` for every page without its own.
public struct ShareImage: Sendable, Hashable, Codable {
    /// As written: beside the page (`chart.png`), from the site's root (`/images/card.png`), or
    /// an `https` address elsewhere.
    public var source: String
    public var alt: String
    public var location: SourceLocation
}

extension FieldReader {
    /// `image` with its `image_alt`: a card read aloud without its alt text tells a screen reader
    /// user nothing, so one without the other is an error.
    mutating func shareImage() -> ShareImage? {
        let alt = string("image_alt")
        guard let node = located("image") else { return nil }
        guard let source = node.value.scalarText, !source.allSatisfy(\.isWhitespace) else {
            invalid("image", "\"image\" should name a picture file, such as \(syntax.example("image", "\"chart.png\""))", at: node.location)
            return nil
        }
        guard let alt, !alt.allSatisfy(\.isWhitespace) else {
            invalid(
                "image_alt",
                "\"image\" needs \"image_alt\", the words read out where the picture cannot be seen; add a line such as \(syntax.example("image_alt", "\"A bar chart of visits by month, rising from 200 to 900\""))",
                at: node.location)
            return nil
        }
        return ShareImage(source: source.trimmingCharacters(in: .whitespaces), alt: alt, location: node.location)
    }
}
