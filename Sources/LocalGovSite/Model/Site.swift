/// A link to a taxonomy term (a tag or an author) as a post carries it.
public struct TermRef: Sendable, Hashable {
    public var name: String
    public var slug: String
}

public struct Post: Sendable, Hashable {
    public var source: String
    public var slug: String
    /// Where it is published, relative to the site (`blog/x/`, `2016/03/01/x/`): the site's
    /// permalink pattern, or the post's own `permalink`.
    public var path: String
    public var aliases: [Alias]
    /// See `DocumentMetadata.importedUnedited`.
    public var importedUnedited: Bool
    public var title: String
    public var date: ContentDate
    public var updated: ContentDate?
    public var image: ShareImage?
    public var authors: [TermRef]
    public var tags: [TermRef]
    /// Written in front matter, or else the first paragraph cut near 200 characters.
    public var summary: String
    public var draft: Bool
    public var language: String?
    public var body: RenderedMarkdown
    public var extra: [DataField]
}

public struct Page: Sendable, Hashable {
    public var source: String
    public var slug: String
    /// `about/`, or the page's own `permalink`.
    public var path: String
    public var aliases: [Alias]
    /// See `DocumentMetadata.importedUnedited`.
    public var importedUnedited: Bool
    public var title: String
    public var summary: String
    public var image: ShareImage?
    public var language: String?
    public var body: RenderedMarkdown
    public var extra: [DataField]
}

/// Who an author is, from `content/authors/<slug>.md`: shown on their page and under their posts.
public struct AuthorProfile: Sendable, Hashable {
    public var source: String
    public var slug: String
    public var name: String
    public var role: String?
    public var organisation: String?
    /// One or two sentences for the end of a post: written, or the bio's first paragraph.
    public var summary: String
    public var links: [ProfileLink]
    public var bio: RenderedMarkdown
    public var language: String?
}

/// A tag or an author with its posts, as indices into `Site.posts` (newest first).
public struct Term: Sendable, Hashable {
    public var name: String
    public var slug: String
    public var posts: [Int]
}

public struct YearArchive: Sendable, Hashable {
    public var year: Int
    public var posts: [Int]
}

/// What the build chose not to publish, so it can say so.
public struct ExcludedPosts: Sendable, Hashable {
    public var drafts = 0
    public var future = 0
}

/// Everything the site says, computed once: renderers only read it.
public struct Site: Sendable {
    public var config: SiteConfig
    public var home: Page?
    /// Newest first; ties broken by slug so order never depends on file listing.
    public var posts: [Post]
    public var pages: [Page]
    public var tags: [Term]
    /// Every author of a published post, and every author with a profile, by slug.
    public var authors: [Term]
    /// By slug; an author without a profile has none here.
    public var profiles: [String: AuthorProfile]
    /// Newest year first.
    public var years: [YearArchive]
    public var standard: Standard?
    public var principles: Principles?
    /// Nil when the site has no `content/voice/members.toml`.
    public var voice: Voice?
    public var excluded: ExcludedPosts
    /// Every declared content type, the built-in sections among them.
    public var types: ContentTypes = .builtIn
    /// The items of each declared collection (events, groups), in declaration order.
    public var collections: [Collection] = []
    /// Every alias of every post, page and point, in that order: worked out once, as every
    /// redirect page and the link checks read it.
    public var redirects: [Redirect] = []
    /// Every image the site publishes, by its path relative to the site (`blog/x/chart.png`).
    public var images: [String: PublishedImage] = [:]
}

/// An old address and the page it now leads to.
public struct Redirect: Sendable, Hashable {
    public var alias: Alias
    /// The page's path, relative to the site.
    public var target: String
    public var title: String
    public var source: String
    public var language: String?
}

extension Site {
    /// Every alias of every post, page, point and collection item, in that order.
    static func redirects(posts: [Post], pages: [Page], standard: Standard?, collections: [Collection]) -> [Redirect] {
        // Posts by index: most have no aliases, and taking each as a value copied all of it.
        var redirects = posts.indices.flatMap { index in
            posts[index].aliases.map {
                Redirect(
                    alias: $0, target: posts[index].path, title: posts[index].title, source: posts[index].source,
                    language: posts[index].language)
            }
        }
        redirects += pages.flatMap { page in
            page.aliases.map { Redirect(alias: $0, target: page.path, title: page.title, source: page.source, language: page.language) }
        }
        redirects += (standard?.points ?? []).flatMap { point in
            point.aliases.map {
                Redirect(alias: $0, target: Routes.point(point.slug), title: point.title, source: point.source, language: point.language)
            }
        }
        redirects += collections.flatMap(\.items).flatMap { item in
            item.aliases.map { Redirect(alias: $0, target: item.path, title: item.title, source: item.source, language: item.language) }
        }
        return redirects
    }
}
