import Foundation

/// What a page tells link previews (Open Graph, read by Slack, Teams, Facebook, LinkedIn and
/// Mastodon; Twitter's card) and search engines (one JSON-LD object) about itself.
struct SharingCard {
    enum Kind {
        /// The home page: schema.org `WebSite`.
        case site
        /// Any other page: `WebPage`.
        case page
        /// A blog post: `BlogPosting`, and `og:type` article with its dates and tags.
        case post(published: ContentDate, modified: ContentDate?, authors: [(name: String, url: String)], tags: [String])
        /// An event: schema.org `Event`, with its dates, status, attendance mode and location.
        case event(details: [String: JSONValue])
    }

    /// A picture as a preview shows it; width and height only when the site published it.
    struct Picture {
        var url: String
        var alt: String
        var width: Int?
        var height: Int?
        var mediaType: String?
    }

    var kind: Kind
    /// The page's own title, without the site's name, which `og:site_name` carries.
    var title: String
    var description: String
    /// Absolute.
    var url: String
    var picture: Picture?
    var siteName: String
    var siteURL: String
    var language: String

    /// Template context: `meta` (properties, in the order Open Graph's documentation lists them)
    /// and `jsonLD`, the script's text.
    var context: [String: Any] {
        var properties: [(String, String)] = [
            ("og:type", isPost ? "article" : "website"), ("og:title", title), ("og:url", url), ("og:site_name", siteName),
            ("og:locale", Self.locale(language)),
        ]
        if !description.isEmpty { properties.append(("og:description", description)) }
        if let picture {
            properties.append(("og:image", picture.url))
            if let mediaType = picture.mediaType { properties.append(("og:image:type", mediaType)) }
            if let width = picture.width, let height = picture.height {
                properties += [("og:image:width", "\(width)"), ("og:image:height", "\(height)")]
            }
            properties.append(("og:image:alt", picture.alt))
        }
        if case let .post(published, modified, _, tags) = kind {
            properties.append(("article:published_time", Format.rfc3339(published.instant)))
            properties.append(("article:modified_time", Format.rfc3339((modified ?? published).instant)))
            properties += tags.map { ("article:tag", $0) }
        }
        // Twitter reads og:title, og:description and og:image itself; it needs only the card's kind
        // and the picture's description under its own name.
        properties.append(("twitter:card", picture == nil ? "summary" : "summary_large_image"))
        if let picture { properties.append(("twitter:image:alt", picture.alt)) }
        return [
            "meta": properties.map { name, content in
                // Open Graph's own properties are `property`; Twitter's are `name`, as each documents.
                ["attribute": name.hasPrefix("twitter:") ? "name" : "property", "name": name, "content": content]
            },
            "jsonLD": JSONLD.script(structuredData),
        ]
    }

    private var isPost: Bool {
        if case .post = kind { return true }
        return false
    }

    private var structuredData: [String: JSONValue] {
        let publisher: JSONValue = ["@type": "Organization", "name": .text(siteName), "url": .text(siteURL)]
        var object: [String: JSONValue] = ["@context": "https://schema.org", "url": .text(url), "inLanguage": .text(language)]
        if !description.isEmpty { object["description"] = .text(description) }
        if let picture {
            var image: [String: JSONValue] = ["@type": "ImageObject", "url": .text(picture.url), "description": .text(picture.alt)]
            if let width = picture.width, let height = picture.height {
                image["width"] = .number(width)
                image["height"] = .number(height)
            }
            object["image"] = .object(image)
        }
        switch kind {
        case .site:
            object["@type"] = "WebSite"
            object["name"] = .text(siteName)
            object["publisher"] = publisher
        case .page:
            object["@type"] = "WebPage"
            object["name"] = .text(title)
            object["isPartOf"] = ["@type": "WebSite", "name": .text(siteName), "url": .text(siteURL)]
        case let .post(published, modified, authors, tags):
            object["@type"] = "BlogPosting"
            object["headline"] = .text(title)
            object["datePublished"] = .text(Format.rfc3339(published.instant))
            object["dateModified"] = .text(Format.rfc3339((modified ?? published).instant))
            object["author"] = .list(authors.map { ["@type": "Person", "name": .text($0.name), "url": .text($0.url)] })
            object["publisher"] = publisher
            object["mainEntityOfPage"] = ["@type": "WebPage", "@id": .text(url)]
            if !tags.isEmpty { object["keywords"] = .list(tags.map(JSONValue.text)) }
        case .event(let details):
            object["@type"] = "Event"
            object["name"] = .text(title)
            object.merge(details) { $1 }
        }
        return object
    }

    /// `en-GB` → `en_GB`, as Open Graph writes locales.
    static func locale(_ language: String) -> String {
        String(language.map { $0 == "-" ? "_" : $0 })
    }
}
