/// What the blog's pages (a post, a page of a list) are made from, digested straight from the
/// model, so that a build can tell a page is unchanged without building its template context:
/// building and fingerprinting the contexts of 20,000 unchanged pages took six seconds of every
/// rebuild at 10,000 posts. Other pages are still compared by their whole context. The digests
/// are stable (SHA-256 over each value's structure), so the build cache on disk can use them.
///
/// Every fact a covered page shows must reach its digest; `RandomEditTests` compares pages made
/// this way with a clean build after every kind of edit.
struct PageInputs: Sendable {
    /// What every covered page reads of the site as a whole: settings, the theme's words, the
    /// pages in the footer, section names, published pictures (link previews), author profiles,
    /// the archive years and how many posts there are.
    let siteWide: Fingerprint
    /// Each post's whole value, by index: what its own page shows.
    let posts: [Fingerprint]
    /// What a list shows of each post (`SiteRenderer.postSummary`), by index.
    let summaries: [Fingerprint]
    /// The fingerprints of a post's page and of a list page: their templates, with every partial
    /// they reach, and the pieces rendered apart (header, footer, a post in a list).
    let postTemplates: Fingerprint
    let listTemplates: Fingerprint

    init(site: Site, theme: Theme, cache: BuildCache) {
        var hasher = StableHasher()
        hasher.combine(reflecting: site.config)
        hasher.combine(reflecting: theme.strings)
        for page in site.pages {
            hasher.combine(page.title)
            hasher.combine(page.path)
            hasher.combine(page.language)
        }
        hasher.combine(reflecting: site.types)
        hasher.combine(reflecting: site.images)
        hasher.combine(reflecting: site.profiles)
        hasher.combine(reflecting: site.years)
        hasher.combine(site.posts.count)
        siteWide = hasher.finalize()
        let digests = parallelMap(site.posts) { post in
            cache.digests(of: post) {
                var whole = StableHasher()
                post.combine(into: &whole)
                var summary = StableHasher()
                summary.combine([post.title, post.path, post.summary, post.date.isoDay, post.language ?? ""])
                summary.combine(post.authors)
                summary.combine(post.tags)
                summary.combine(post.draft)
                return PostDigests(whole: whole.finalize(), summary: summary.finalize())
            }
        }
        posts = digests.map(\.whole)
        summaries = digests.map(\.summary)
        func templates(_ names: [String]) -> Fingerprint {
            var hasher = StableHasher()
            for name in names + Chrome.templates { hasher.combine(theme.templateFingerprints[name]) }
            return hasher.finalize()
        }
        postTemplates = templates(["post"])
        listTemplates = templates(["list", "post-item"])
    }

    /// A post's two digests: of its whole value, and of what a list shows of it.
    struct PostDigests: Sendable {
        var whole: Fingerprint
        var summary: Fingerprint
    }

    /// Nil for a page this does not cover.
    func digest(of job: SiteRenderer.Job, in site: Site) -> Fingerprint? {
        var hasher = StableHasher()
        hasher.combine(siteWide)
        switch job {
        case .post(let index):
            hasher.combine(postTemplates)
            hasher.combine(posts[index])
            // The newer and older links show their neighbours' titles, in their languages.
            for neighbour in [index - 1, index + 1] where site.posts.indices.contains(neighbour) {
                hasher.combine(neighbour - index)
                hasher.combine(site.posts[neighbour].title)
                hasher.combine(site.posts[neighbour].path)
                hasher.combine(site.posts[neighbour].language)
            }
        case let .blog(page, listed, pages):
            hasher.combine("blog")
            combine(page, listed, pages, into: &hasher)
        case let .tag(term, page, listed, pages):
            hasher.combine("tag")
            hasher.combine(site.tags[term].name)
            hasher.combine(site.tags[term].slug)
            combine(page, listed, pages, into: &hasher)
        case let .author(term, page, listed, pages):
            hasher.combine("author")
            hasher.combine(site.authors[term].name)
            hasher.combine(site.authors[term].slug)
            combine(page, listed, pages, into: &hasher)
        case let .year(year, page, listed, pages):
            hasher.combine("year")
            hasher.combine(site.years[year].year)
            combine(page, listed, pages, into: &hasher)
        default:
            return nil
        }
        return hasher.finalize()
    }

    /// A feed of the blog or of a tag: what it says of itself, and each post it carries whole.
    func digest(ofFeed folder: String, title: String, description: String, posts: [Int]) -> Fingerprint {
        var hasher = StableHasher()
        hasher.combine(siteWide)
        hasher.combine(["feed", folder, title, description])
        for index in posts { hasher.combine(self.posts[index]) }
        return hasher.finalize()
    }

    private func combine(_ page: Int, _ listed: [Int], _ pages: Int, into hasher: inout StableHasher) {
        hasher.combine(listTemplates)
        hasher.combine(page)
        hasher.combine(pages)
        for index in listed { hasher.combine(summaries[index]) }
    }
}
