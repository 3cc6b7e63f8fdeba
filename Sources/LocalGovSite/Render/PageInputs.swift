/// What the blog's pages (a post, a page of a list) are made from, digested straight from the
/// model, so that `serve` can tell a page is unchanged without building its template context:
/// building and fingerprinting the contexts of 20,000 unchanged pages took six seconds of every
/// rebuild at 10,000 posts. Other pages are still compared by their whole context.
///
/// Every fact a covered page shows must reach its digest; `RandomEditTests` compares pages made
/// this way with a clean build after every kind of edit.
struct PageInputs: Sendable {
    /// What every covered page reads of the site as a whole: settings, the theme's words, the
    /// pages in the footer, section names, published pictures (link previews), author profiles,
    /// the archive years and how many posts there are.
    let siteWide: Int
    /// Each post's whole value, by index: what its own page shows.
    let posts: [Int]
    /// What a list shows of each post (`SiteRenderer.postSummary`), by index.
    let summaries: [Int]
    /// The fingerprints of a post's page and of a list page: their templates, with every partial
    /// they reach, and the pieces rendered apart (header, footer, a post in a list).
    let postTemplates: Int
    let listTemplates: Int

    init(site: Site, theme: Theme) {
        var hasher = Hasher()
        hasher.combine(site.config)
        hasher.combine(theme.strings)
        for page in site.pages {
            hasher.combine(page.title)
            hasher.combine(page.path)
            hasher.combine(page.language)
        }
        hasher.combine(site.types)
        hasher.combine(site.images)
        hasher.combine(site.profiles)
        hasher.combine(site.years)
        hasher.combine(site.posts.count)
        siteWide = hasher.finalize()
        posts = parallelMap(site.posts) { $0.hashValue }
        summaries = parallelMap(site.posts) { post in
            var hasher = Hasher()
            for field in [post.title, post.path, post.summary, post.date.isoDay, post.language ?? ""] { hasher.combine(field) }
            hasher.combine(post.authors)
            hasher.combine(post.tags)
            hasher.combine(post.draft)
            return hasher.finalize()
        }
        func templates(_ names: [String]) -> Int {
            var hasher = Hasher()
            for name in names + Chrome.templates { hasher.combine(theme.templateFingerprints[name, default: 0]) }
            return hasher.finalize()
        }
        postTemplates = templates(["post"])
        listTemplates = templates(["list", "post-item"])
    }

    /// Nil for a page this does not cover.
    func digest(of job: SiteRenderer.Job, in site: Site) -> Int? {
        var hasher = Hasher()
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

    private func combine(_ page: Int, _ listed: [Int], _ pages: Int, into hasher: inout Hasher) {
        hasher.combine(listTemplates)
        hasher.combine(page)
        hasher.combine(pages)
        for index in listed { hasher.combine(summaries[index]) }
    }
}
