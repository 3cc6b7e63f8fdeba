import Foundation

/// What the reader of a build asked for beyond `site.toml`.
public struct ContentSelection: Sendable, Hashable {
    public var drafts = false
    public var future = false

    public init(drafts: Bool = false, future: Bool = false) {
        self.drafts = drafts
        self.future = future
    }
}

public enum ModelError: DiagnosticConvertible {
    case duplicateSlug(kind: String, slug: String, first: String, at: SourceLocation)
    case duplicateAddress(kind: String, path: String, first: String, at: SourceLocation)
    case authorNearlyMatches(name: String, profile: String, file: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .duplicateSlug(kind, slug, first, location):
            Diagnostic(
                .error, code: "content.duplicate-slug",
                "this \(kind) and \(first) both have the slug \"\(slug)\"; rename one file or give it a different `slug`",
                at: location)
        case let .duplicateAddress(kind, path, first, location):
            Diagnostic(
                .error, code: "content.duplicate-address",
                "this \(kind) and \(first) would both be published at /\(path); rename one file or give it a different `slug` or `permalink`",
                at: location)
        case let .authorNearlyMatches(name, profile, file, location):
            Diagnostic(
                .warning, code: "content.author-name",
                "author \"\(name)\" has no profile; did you mean \"\(profile)\" (\(file))? Correct the name, or add a profile for \"\(name)\" in content/authors/",
                at: location)
        }
    }
}

/// The first file to take a slug (or an address) keeps it; a later one gets an error naming both.
struct SlugRegistry {
    enum Claims { case slug, address }
    let kind: String
    let claims: Claims
    private var owners: [String: String] = [:]

    init(kind: String, claims: Claims = .slug) {
        self.kind = kind
        self.claims = claims
    }

    mutating func claim(_ key: String, by path: String) -> Diagnostic? {
        if let first = owners[key] {
            let location = SourceLocation(file: path)
            return switch claims {
            case .slug: ModelError.duplicateSlug(kind: kind, slug: key, first: first, at: location).diagnostic
            case .address: ModelError.duplicateAddress(kind: kind, path: key, first: first, at: location).diagnostic
            }
        }
        owners[key] = path
        return nil
    }
}

/// Parsed documents → the one immutable `Site`.
public enum SiteModel {
    public static func make(
        config: SiteConfig, types: ContentTypes = .builtIn, documents: [ParsedDocument], principleSets: [PrincipleSet] = [],
        voice: VoiceFeedSet? = nil, selection: ContentSelection, now: Date
    ) -> (Site, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var excluded = ExcludedPosts()
        var posts: [Post] = []
        var pages: [Page] = []
        var home: Page?
        var standardIntro: Page?
        var standardRevision: Revision?
        var profiles: [String: AuthorProfile] = [:]
        var profileSlugs = SlugRegistry(kind: "author profile")
        var principlesIntro: Page?
        var voiceIntro: Page?
        var points: [ParsedDocument] = []
        var postAddresses = SlugRegistry(kind: "post", claims: .address)
        var pageSlugs = SlugRegistry(kind: "page")
        // What each post needs of its own alone (summary, term slugs) is worked out on every core.
        // The build hands documents over in path order already; sorting copies every one.
        let inOrder = documents.indices.dropFirst().allSatisfy { documents[$0 - 1].path < documents[$0].path }
        let sorted = inOrder ? documents : documents.sorted(by: { $0.path < $1.path })
        var prepared = parallelMap(sorted) { $0.kind == .post ? post(from: $0, permalink: config.blog.permalink) : nil }
        for index in sorted.indices {
            // A post needs only its path here: taking each of 10,000 documents whole copied all of it.
            if sorted[index].kind == .post {
                guard let post = prepared[index].take() else { continue }
                if post.draft && !selection.drafts {
                    excluded.drafts += 1
                    continue
                }
                if post.date.instant > now && !selection.future {
                    excluded.future += 1
                    continue
                }
                if let clash = postAddresses.claim(post.path, by: sorted[index].path) {
                    diagnostics.append(clash)
                    continue
                }
                posts.append(post)
                continue
            }
            let document = sorted[index]
            let meta = document.metadata
            switch document.kind {
            case .home:
                home = page(from: document)
            case .standardIntro:
                standardIntro = page(from: document)
                standardRevision = document.revision
            case .authorProfile:
                if let clash = profileSlugs.claim(meta.slug, by: document.path) {
                    diagnostics.append(clash)
                    continue
                }
                profiles[meta.slug] = profile(from: document)
            case .principlesIntro:
                principlesIntro = page(from: document)
            case .voiceIntro:
                voiceIntro = page(from: document)
            case .standardPoint:
                points.append(document)
            case .principleSet, .voiceMembers, .item, .post:
                continue
            case .page:
                if let clash = pageSlugs.claim(meta.slug, by: document.path) {
                    diagnostics.append(clash)
                    continue
                }
                pages.append(page(from: document))
            }
        }
        posts.sort { ($0.date.instant, $1.slug) > ($1.date.instant, $0.slug) }
        pages.sort { $0.slug < $1.slug }

        let (standard, standardDiagnostics) = StandardModel.standard(intro: standardIntro, revision: standardRevision, points: points)
        let (principles, principleDiagnostics) = StandardModel.principles(intro: principlesIntro, sets: principleSets)
        diagnostics += standardDiagnostics + principleDiagnostics

        let (tags, authors, years) = (terms(posts) { $0.tags }, authors(posts, profiles: profiles), years(posts))
        // The site holds the only reference to the posts: resolving references writes into them,
        // and a second one here made that first write copy all 10,000.
        var site = Site(
            config: config, home: home, posts: consume posts, pages: pages,
            tags: tags, authors: authors, profiles: profiles, years: years,
            standard: standard, principles: principles,
            voice: voice.map {
                Voice.make(
                    intro: voiceIntro, members: $0.members, feeds: $0.feeds, siteLanguage: config.language,
                    excerptLength: config.voice.excerptLength, timeZone: config.timeZone)
            },
            excluded: excluded)
        site.types = types
        let (collections, collectionDiagnostics) = Self.collections(
            sorted, types: types, selection: selection, now: now, timeZone: config.timeZone)
        site.collections = collections
        diagnostics += collectionDiagnostics
        site.redirects = Site.redirects(posts: site.posts, pages: pages, standard: standard, collections: collections)
        diagnostics += resolveReferences(in: &site).map(\.diagnostic)
        diagnostics += AuthorNames.misspellings(in: site.posts, documents: documents, profiles: profiles)
        return (site, diagnostics)
    }

    static func profile(from document: ParsedDocument) -> AuthorProfile {
        let meta = document.metadata
        return AuthorProfile(
            source: document.path, slug: meta.slug, name: meta.title, role: document.profile?.role,
            organisation: document.profile?.organisation, summary: document.summary,
            links: document.profile?.links ?? [], bio: document.body, language: meta.language)
    }

    /// The authors of posts, with a profile's name where one exists, and authors who have a
    /// profile but no post yet (their page says who they are).
    static func authors(_ posts: [Post], profiles: [String: AuthorProfile]) -> [Term] {
        var terms = Dictionary(uniqueKeysWithValues: terms(posts) { $0.authors }.map { ($0.slug, $0) })
        for (slug, profile) in profiles {
            terms[slug, default: Term(name: profile.name, slug: slug, posts: [])].name = profile.name
        }
        return terms.values.sorted { $0.slug < $1.slug }
    }

    /// A post as its own file makes it, before references in its body are resolved; nil without a date.
    static func post(from document: ParsedDocument, permalink: Permalink) -> Post? {
        let meta = document.metadata
        guard let date = meta.date else { return nil }
        return Post(
            source: document.path, slug: meta.slug, path: meta.permalink ?? permalink.path(slug: meta.slug, date: date),
            aliases: meta.aliases, importedUnedited: meta.importedUnedited, title: meta.title, date: date,
            updated: meta.updated, image: meta.image, authors: meta.authors.map { TermRef(name: $0, slug: Slug.make($0)) },
            tags: meta.tags.map { TermRef(name: $0, slug: Slug.make($0)) },
            summary: document.summary, draft: meta.draft, language: meta.language,
            body: document.body, extra: meta.extra)
    }

    /// Every markdown body in the site, so that checked references are resolved in all of them.
    private static func resolveReferences(in site: inout Site) -> [ReferenceError] {
        let routes = Routes(site.config)
        let resolver = ReferenceResolver(standard: site.standard, principles: site.principles, routes: routes)
        // Few bodies refer to the Standard or a principle: those are resolved on every core, each
        // with its own copy of the resolver, and only they are written back.
        func resolveReferring(_ site: Site) -> [(place: BodyPlace, body: RenderedMarkdown, found: [ReferenceError])] {
            let referring = site.bodies().map(\.body).filter { site[body: $0].hasReferences }
            return parallelMap(referring) { place in
                var body = site[body: place]
                let found = resolver.resolve(&body)
                return (place, body, found)
            }
        }
        var errors: [ReferenceError] = []
        for (place, body, found) in resolveReferring(site) {
            // The exports carry a cell's markdown, so its references become absolute links there too.
            if case let .cell(set, row, column) = place {
                let rewrites = zip(site[body: place].links, body.links).filter { $0.destination != $1.destination }.map {
                    ("](\($0.destination))", "](\(routes.absoluteLink($1.destination)))")
                }
                if !rewrites.isEmpty {
                    let markdown = site.principles!.sets[set].rows[row][cell: column].markdown
                    site.principles!.sets[set].rows[row][cell: column].markdown = TextRewriter(rewrites).apply(to: markdown)
                }
            }
            site[body: place] = body
            errors += found
        }
        return errors
    }

    static func page(from document: ParsedDocument) -> Page {
        let meta = document.metadata
        return Page(
            source: document.path, slug: meta.slug, path: meta.permalink ?? Routes.page(meta.slug), aliases: meta.aliases,
            importedUnedited: meta.importedUnedited,
            title: meta.title,
            summary: document.summary, image: meta.image, language: meta.language,
            body: document.body, extra: meta.extra)
    }

    /// Groups posts by term slug; the name shown is the first spelling met in newest-first order.
    /// `refs` is a function, not a key path: a key path into an element copied the whole post.
    static func terms(_ posts: [Post], _ refs: (Post) -> [TermRef]) -> [Term] {
        var bySlug: [String: Term] = [:]
        for index in posts.indices {
            for ref in refs(posts[index]) where !ref.slug.isEmpty {
                if bySlug[ref.slug]?.posts.last != index {
                    bySlug[ref.slug, default: Term(name: ref.name, slug: ref.slug, posts: [])].posts.append(index)
                }
            }
        }
        return bySlug.values.sorted { $0.slug < $1.slug }
    }

    static func years(_ posts: [Post]) -> [YearArchive] {
        var byYear: [Int: [Int]] = [:]
        for index in posts.indices { byYear[posts[index].date.year, default: []].append(index) }
        return byYear.map { YearArchive(year: $0.key, posts: $0.value) }.sorted { $0.year > $1.year }
    }
}
