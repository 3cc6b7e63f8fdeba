import Foundation
import Mustache
import Synchronization

/// `Site` → every output file. Pure: the same site and theme always give the same bytes.
public final class SiteRenderer: Sendable {
    public let site: Site
    public let theme: Theme
    let routes: Routes
    /// Pages whose template and context are unchanged since the last build come from here.
    let cache: BuildCache?
    /// Files the image stage made or copies from content folders, checked for collisions with the rest.
    let published: [OutputFile]
    let fragments = Fragments()
    /// With a cache: what the blog's pages are made from, so unchanged ones are found cheaply.
    let inputs: PageInputs?

    public init(site: Site, theme: Theme, cache: BuildCache? = nil, published: [OutputFile] = []) {
        self.site = site
        self.theme = theme
        self.routes = Routes(site.config)
        self.cache = cache
        self.published = published
        self.inputs = cache.map { PageInputs(site: site, theme: theme, cache: $0) }
    }

    /// A page's address, template, template context and what it was made from (for errors).
    typealias RenderedPage = (relative: String, template: String, context: [String: Any], origin: String)

    /// One HTML page to render: which template, for which part of the site.
    enum Job: Sendable {
        case home
        case post(Int)
        case blog(page: Int, posts: [Int], pages: Int)
        case tag(Int, page: Int, posts: [Int], pages: Int)
        case author(Int, page: Int, posts: [Int], pages: Int)
        case year(Int, page: Int, posts: [Int], pages: Int)
        case tagIndex
        case authorIndex
        case page(Int)
        case notFound
        case standardIndex
        case point(Int)
        case wholeStandard
        case standardChanges
        case principlesIndex
        case principleSet(Int)
        case search
        /// The river, or with a year one year's archive of it.
        case voice(year: Int?, page: Int, entries: [Int], pages: Int)
        case voiceMembers
        case voiceMember(Int)
        case voiceStatus
        case redirect(Int)
        /// An item of a declared collection, the collection's list, and a calendar's past events.
        case item(collection: Int, item: Int)
        case collectionList(Int)
        case pastEvents(Int)
    }

    /// The search index's files, made on a thread of their own. The index reads only the site's
    /// texts and headings, and its work is mostly serial: it fills the core the other stages
    /// leave idle. `SiteBuild` starts it before the image stage, which leaves those as they are.
    static func searchIndex(of site: Site, theme: Theme, cache: BuildCache?) -> WorkAside<[OutputFile]> {
        WorkAside {
            let documents = site.searchDocuments(routes: Routes(site.config), words: theme.strings(for: site.config.language))
            return SearchIndex.files(for: documents, cache: cache)
        }
    }

    /// `search` is the index made by `searchIndex` for this site, else it is made here.
    public func render(timings: BuildTimings = BuildTimings(), search: WorkAside<[OutputFile]>? = nil) -> ([OutputFile], [Diagnostic]) {
        let search = search ?? Self.searchIndex(of: site, theme: theme, cache: cache)
        let htmlFiles = parallelMap(jobs()) { job in renderPage(job) }
        cache?.keepPages(Set(htmlFiles.map(\.path)), count: htmlFiles.count)
        cache?.keepPosts(Set(site.posts.indices.map { site.posts[$0].source }), count: site.posts.count)
        timings.finish("render pages")
        var files = htmlFiles + feeds() + standardOutputs() + voiceOutputs() + collectionOutputs() + [sitemap(), robots()] + redirectMaps()
        timings.finish("feeds, sitemap, data")
        files += search.wait()
        timings.finish("search index, after the rest")
        files += theme.assets.map { OutputFile(path: $0.outputPath, bytes: $0.bytes, origin: $0.source) } + published

        let names = OutputNames(paths: files.map(\.path), origins: files.map(\.origin))
        let claims = cache?.claims(names) { Self.claims(names) } ?? Self.claims(names)
        guard !claims.dropped.isEmpty else { return (files, claims.diagnostics) }
        let dropped = Set(claims.dropped)
        return (files.indices.filter { !dropped.contains($0) }.map { files[$0] }, claims.diagnostics)
    }

    /// Every output file's path and what made it, in the order the build made them.
    struct OutputNames: Equatable, Sendable {
        var paths: [String]
        var origins: [String]
    }

    /// The files left out, by index, for a path another file took first (or that differs from
    /// it only in case), with the errors that say so.
    struct Claims: Sendable {
        var dropped: [Int] = []
        var diagnostics: [Diagnostic] = []
    }

    /// The first file at each path folded for case keeps it (most paths are their own folded
    /// form); a later file at the same path, or at one differing only in case, is left out.
    static func claims(_ names: OutputNames) -> Claims {
        var claims = Claims()
        // The paths of files left out for differing only in case, which a later file at the
        // very same path still collides with: one lookup a file, of 20,000 at 10,000 posts.
        var claimed: [String: (path: String, origin: String)] = [:]
        var leftOut: [String: String] = [:]
        var reported: Set<String> = []
        for (index, (path, origin)) in zip(names.paths, names.origins).enumerated() {
            let key = PortablePath.folded(path)
            let claim = claimed[key]
            if let first = claim?.path == path ? claim?.origin : leftOut[path] {
                claims.diagnostics.append(RenderError.collision(path: path, first: first, second: origin).diagnostic)
                claims.dropped.append(index)
                continue
            }
            // A tag or a post makes several files; its problem is told once, at its first.
            func report(_ error: RenderError, once key: String) {
                if reported.insert(key).inserted { claims.diagnostics.append(error.diagnostic) }
            }
            if let other = claim {
                leftOut[path] = origin
                report(.caseCollision(path: path, other: other.path, first: other.origin, second: origin), once: other.origin + "\0" + origin)
                claims.dropped.append(index)
                continue
            }
            claimed[key] = (path, origin)
            if let segment = PortablePath.unportableSegment(of: path) {
                report(.unportableName(path: path, segment: segment, origin: origin), once: origin)
            }
        }
        return claims
    }

    func jobs() -> [Job] {
        let size = site.config.blog.pageSize
        var jobs: [Job] = [.home, .notFound, .tagIndex, .authorIndex, .search]
        jobs += site.posts.indices.map(Job.post)
        jobs += site.pages.indices.map(Job.page)
        func paged(_ posts: [Int], _ make: (Int, [Int], Int) -> Job) {
            let chunks = Pagination.pages(posts, size: size)
            for (index, chunk) in chunks.enumerated() { jobs.append(make(index + 1, chunk, chunks.count)) }
        }
        paged(Array(site.posts.indices)) { .blog(page: $0, posts: $1, pages: $2) }
        for (t, term) in site.tags.enumerated() { paged(term.posts) { .tag(t, page: $0, posts: $1, pages: $2) } }
        for (a, term) in site.authors.enumerated() { paged(term.posts) { .author(a, page: $0, posts: $1, pages: $2) } }
        for (y, year) in site.years.enumerated() { paged(year.posts) { .year(y, page: $0, posts: $1, pages: $2) } }
        return jobs + standardJobs() + voiceJobs() + collectionJobs() + redirectJobs
    }

    // MARK: Pages

    func renderPage(_ job: Job) -> OutputFile {
        func path(_ relative: String) -> String { job.isNotFound ? "404.html" : Routes.file(relative) }
        func render(_ page: RenderedPage) -> OutputFile {
            OutputFile(
                path: path(page.relative), text: theme.templates.render(page.context, withTemplate: page.template) ?? "",
                origin: page.origin)
        }
        guard let cache else { return render(page(for: job)) }
        if let inputs, let digest = inputs.digest(of: job, in: site), let relative = job.blogPath(in: site) {
            return cache.page(path(relative), fingerprint: digest) { render(page(for: job)) }
        }
        let built = page(for: job)
        let fingerprint = ContextFingerprint.of(
            [built.context, built.origin] as [Any], template: theme.templateFingerprints[built.template])
        return cache.page(path(built.relative), fingerprint: fingerprint) { render(built) }
    }

    private func page(for job: Job) -> RenderedPage {
        let config = site.config
        switch job {
        case .home:
            var context = frame(
                relative: "", title: nil, section: nil, description: site.home?.summary ?? config.description,
                language: site.home?.language, image: site.home?.image)
            context["intro"] = site.home.map { $0.body.html } ?? ""
            context["heading"] = site.home?.title ?? config.title
            context["posts"] = listed(Array(site.posts.prefix(config.blog.homePosts).indices), level: 3, in: context)
            context["hasPosts"] = !site.posts.isEmpty && config.blog.homePosts > 0
            context["blogURL"] = routes.link(Routes.blog)
            if let events = nextEvents() { context["events"] = events }
            return ("", "home", context, site.home?.source ?? "the home page")

        case .post(let index):
            let post = site.posts[index]
            let relative = post.path
            var context = frame(
                relative: relative, title: post.title, section: blogTitle, description: post.summary,
                language: post.language, crumbs: [(blogTitle, Routes.blog)], image: post.image,
                kind: .post(
                    published: post.date, modified: post.updated,
                    authors: post.authors.map { ($0.name, routes.absolute(Routes.author($0.slug))) }, tags: post.tags.map(\.name)))
            var entry = postSummary(index).merging(document(post.body, post.extra)) { $1 }
            let profiles = post.authors.compactMap { site.profiles[$0.slug] }.map(profileContext)
            entry["profiles"] = profiles
            entry["hasProfiles"] = !profiles.isEmpty
            entry["profilesHeading"] = profiles.count == 1 ? "About the author" : "About the authors"
            context["post"] = entry
            context["hasNeighbours"] = site.posts.count > 1
            if index > 0 { context["newer"] = link(to: site.posts[index - 1], on: post.language) }
            if index + 1 < site.posts.count { context["older"] = link(to: site.posts[index + 1], on: post.language) }
            return (relative, "post", context, post.source)

        case .redirect(let index):
            return redirectPage(index)

        case .page(let index):
            let page = site.pages[index]
            let relative = page.path
            var context = frame(
                relative: relative, title: page.title, section: nil, description: page.summary, language: page.language,
                image: page.image)
            context["page"] = document(page.body, page.extra).merging(["title": page.title, "summary": page.summary]) { $1 }
            return (relative, "page", context, page.source)

        case let .blog(number, posts, pages):
            return list(
                base: Routes.blog, number: number, pages: pages, posts: posts, heading: blogTitle,
                crumbs: [], section: nil, origin: "the blog", extra: ["feeds": blogFeedLinks()])

        case let .tag(t, number, posts, pages):
            let term = site.tags[t]
            return list(
                base: Routes.tag(term.slug), number: number, pages: pages, posts: posts,
                heading: "Posts tagged \u{201C}\(term.name)\u{201D}", crumbs: [(blogTitle, Routes.blog), (tagsTitle, Routes.tags)],
                section: blogTitle, origin: "the tag \(term.name)",
                extra: ["feeds": tagFeedLinks(term), "term": term.name])

        case let .author(a, number, posts, pages):
            let term = site.authors[a]
            var extra: [String: Any] = ["term": term.name]
            let profile = number == 1 ? site.profiles[term.slug] : nil
            if let profile { extra["profile"] = profileContext(profile) }
            return list(
                base: Routes.author(term.slug), number: number, pages: pages, posts: posts,
                heading: "Posts by \(term.name)", crumbs: [(blogTitle, Routes.blog), (authorsTitle, Routes.authors)],
                section: blogTitle, origin: profile?.source ?? "the author \(term.name)", itemLevel: profile == nil ? 2 : 3,
                extra: extra)

        case let .year(y, number, posts, pages):
            let year = site.years[y]
            return list(
                base: Routes.year(year.year), number: number, pages: pages, posts: posts,
                heading: "Posts from \(year.year)", crumbs: [(blogTitle, Routes.blog)], section: blogTitle,
                origin: "the archive for \(year.year)", extra: [:])

        case .tagIndex:
            return terms(site.tags, heading: tagsTitle, relative: Routes.tags, route: Routes.tag)

        case .authorIndex:
            return terms(site.authors, heading: authorsTitle, relative: Routes.authors, route: Routes.author)

        case .notFound:
            var context = frame(relative: "404.html", title: "Page not found", section: nil, description: "")
            context["canonical"] = nil
            context["share"] = nil
            context["blogURL"] = routes.link(Routes.blog)
            return ("404.html", "404", context, "the 404 page")

        case .standardIndex: return standardIndexPage()
        case .point(let index): return pointPage(index)
        case .wholeStandard: return wholeStandardPage()
        case .standardChanges: return standardChangesPage()
        case .principlesIndex: return principlesIndexPage()
        case .principleSet(let index): return principleSetPage(index)
        case .search: return searchPage()
        case let .voice(year, number, entries, pages): return voicePage(year: year, number: number, entries: entries, pages: pages)
        case .voiceMembers: return voiceMembersPage()
        case .voiceMember(let index): return voiceMemberPage(index)
        case .voiceStatus: return voiceStatusPage()
        case let .item(collection, item): return itemPage(collection: collection, item: item)
        case .collectionList(let collection): return collectionListPage(collection)
        case .pastEvents(let collection): return pastEventsPage(collection)
        }
    }

    private func list(
        base: String, number: Int, pages: Int, posts: [Int], heading: String, crumbs: [(String, String)],
        section: String?, origin: String, itemLevel: Int = 2, extra: [String: Any]
    ) -> RenderedPage {
        let relative = Routes.paged(base, number)
        let title = pages > 1 ? "\(heading) (page \(number) of \(pages))" : heading
        var context = frame(
            relative: relative, title: title, section: section,
            description: "\(heading) on \(site.config.title)", crumbs: crumbs, feeds: extra["feeds"] as? [[String: Any]])
        context["heading"] = heading
        context["posts"] = listed(posts, level: itemLevel, in: context)
        if !site.config.blog.contributeURL.isEmpty { context["contributeURL"] = routes.rootRelative(site.config.blog.contributeURL) }
        context["hasPosts"] = !posts.isEmpty
        context["pagination"] = Pagination(current: number, count: pages, base: base).context(routes: routes)
        context["years"] = site.years.map { year -> [String: Any] in
            let url = routes.link(Routes.year(year.year))
            return ["year": year.year, "url": url, "count": year.posts.count, "current": url == routes.link(base)]
        }
        context["tagsURL"] = routes.link(Routes.tags)
        context["authorsURL"] = routes.link(Routes.authors)
        for (key, value) in extra where key != "feeds" { context[key] = value }
        return (relative, "list", context, number == 1 ? origin : "page \(number) of \(origin)")
    }

    private func terms(
        _ terms: [Term], heading: String, relative: String, route: (String) -> String
    ) -> RenderedPage {
        var context = frame(
            relative: relative, title: heading, section: blogTitle, description: "\(heading) on \(site.config.title)",
            crumbs: [(blogTitle, Routes.blog)])
        context["heading"] = heading
        context["hasTerms"] = !terms.isEmpty
        context["terms"] = terms.map {
            [
                "name": $0.name, "url": routes.link(route($0.slug)), "count": $0.posts.count,
                "countLabel": English.count($0.posts.count, "post"),
            ]
        }
        return (relative, "terms", context, "the \(heading.lowercased()) index")
    }

    // MARK: Shared context

    /// Section names from the declarations and the strings table, in the site's language.
    var blogTitle: String { site.types.first(.posts).map { sectionTitle($0) } ?? "Blog" }
    var authorsTitle: String { site.types.first(.authors).map { sectionTitle($0) } ?? "Authors" }
    var tagsTitle: String { theme.strings(for: site.config.language)["tags"] ?? "Tags" }

    /// What every page's layout needs: the site, the document title "Page – Section – Site",
    /// the canonical address, breadcrumbs, feed links and navigation with the current item marked.
    func frame(
        relative: String, title: String?, section: String?, description: String, language: String? = nil,
        crumbs: [(String, String)] = [], feeds: [[String: Any]]? = nil, image: ShareImage? = nil, kind: SharingCard.Kind? = nil
    ) -> [String: Any] {
        let config = site.config
        let here = routes.link(relative)
        let marked = config.menu.map { item -> (name: String, url: String, current: Bool, inSection: Bool) in
            let url = routes.rootRelative(item.url)
            return (item.name, url, url == here, url != routes.basePath && here.hasPrefix(url) && url != here)
        }
        let pageLanguage = language ?? config.language
        let words = theme.strings(for: pageLanguage)
        // The menu, section names and banner come from site.toml in the site's language: on a
        // page in another language they say so, for screen readers.
        let chromeLanguage = differingLanguage(config.language, on: language)
        // Within one build the site's fields, and the header and footer made from them, differ
        // between pages only by language and by which menu item is current, so those name them.
        let key = ([pageLanguage, chromeLanguage ?? ""] + marked.map { "\($0.current ? "c" : "")\($0.inSection ? "s" : "")" })
            .joined(separator: "|")
        let breadcrumbs: [[String: Any]] =
            relative.isEmpty
            ? []
            : [["name": words["home"] ?? "Home", "url": routes.link("")]]
                + crumbs.map { name, url in
                    var crumb: [String: Any] = ["name": name, "url": routes.link(url)]
                    if let chromeLanguage { crumb["itemLang"] = chromeLanguage }
                    return crumb
                }
        var context: [String: Any] = [
            "site": fragments.value("site|" + key) {
                let menu = marked.map { ["name": $0.name, "url": $0.url, "current": $0.current, "inSection": $0.inSection] as [String: Any] }
                return [
                    "title": config.title, "description": config.description, "language": config.language,
                    "copyright": config.copyright, "homeURL": routes.link(""), "menu": menu, "hasMenu": !menu.isEmpty,
                    "pages": site.pages.map { pageLink($0, on: language) },
                    "stylesheet": routes.link("assets/style.css"),
                    "feedURL": routes.link("blog/feed.xml"), "atomURL": routes.link("blog/atom.xml"),
                    "searchURL": routes.link(Routes.search),
                ]
            },
            "lang": language ?? config.language,
            "t": words,
            "title": ([title, section].compactMap { $0 } + [config.title]).joined(separator: " \u{2013} "),
            "heading": title ?? config.title,
            "description": description,
            "canonical": routes.absolute(relative),
            "breadcrumbs": breadcrumbs,
            "hasBreadcrumbs": !breadcrumbs.isEmpty,
            "feeds": feeds ?? blogFeedLinks(),
            "share": SharingCard(
                kind: kind ?? (relative.isEmpty ? .site : .page), title: title ?? config.title, description: description,
                url: routes.absolute(relative), picture: picture(image, on: relative), siteName: config.title,
                siteURL: routes.absolute(""), language: pageLanguage
            ).context,
        ]
        if let chromeLanguage { context["chromeLang"] = chromeLanguage }
        if let banner = config.banner {
            // Left out rather than empty: an empty string opens a mustache section.
            var notice: [String: Any] = ["message": banner.message]
            if !banner.phase.isEmpty { notice["phase"] = banner.phase }
            if !banner.linkURL.isEmpty { notice["linkURL"] = routes.rootRelative(banner.linkURL) }
            notice["linkText"] = banner.linkText
            context["banner"] = notice
        }
        // The header and footer see only what they show, so most pages share one rendering.
        context["chrome"] = Dictionary(
            uniqueKeysWithValues: Chrome.templates.map { template in
                (template, fragments.render(template, key: key, theme: theme) { context.filter { Chrome.keys.contains($0.key) } })
            })
        return context
    }

    /// The page's own sharing image, else the site's, as the image stage published it: the
    /// narrowest copy at least 1200 pixels wide (what the large cards show), or the widest there is.
    private func picture(_ own: ShareImage?, on page: String) -> SharingCard.Picture? {
        guard let (image, from) = own.map({ ($0, page) }) ?? site.config.image.map({ ($0, "") }) else { return nil }
        guard let (path, _) = LinkTargets.resolve(image.source, from: from, basePath: routes.basePath) else {
            return SafeURL.resolve(image.source, against: nil).map { SharingCard.Picture(url: $0, alt: image.alt) }
        }
        guard let published = site.images[path] else { return nil }
        let copies = published.inOwnFormat
        let chosen = copies.first { $0.width >= 1200 } ?? published.original
        return SharingCard.Picture(
            url: routes.absolute(chosen.path), alt: image.alt, width: chosen.width, height: chosen.height, mediaType: chosen.mediaType)
    }

    func blogFeedLinks() -> [[String: Any]] {
        feedLinks(title: site.config.title, rss: "blog/feed.xml", atom: "blog/atom.xml")
    }

    private func tagFeedLinks(_ term: Term) -> [[String: Any]] {
        let base = Routes.tag(term.slug)
        return blogFeedLinks()
            + feedLinks(title: "\(site.config.title): \(term.name)", rss: base + "feed.xml", atom: base + "atom.xml")
    }

    private func feedLinks(title: String, rss: String, atom: String) -> [[String: Any]] {
        [
            ["type": "application/rss+xml", "title": "\(title) (RSS)", "url": routes.link(rss)],
            ["type": "application/atom+xml", "title": "\(title) (Atom)", "url": routes.link(atom)],
        ]
    }

    private func link(to post: Post, on pageLanguage: String?) -> [String: Any] {
        var link: [String: Any] = ["title": post.title, "url": routes.link(post.path)]
        if let language = differingLanguage(post.language, on: pageLanguage) { link["itemLang"] = language }
        return link
    }

    /// A link to one of the site's pages, by its title, for the footer or the search page.
    func pageLink(_ page: Page, on pageLanguage: String?) -> [String: Any] {
        var link: [String: Any] = ["title": page.title, "url": routes.link(page.path)]
        if let language = differingLanguage(page.language, on: pageLanguage) { link["itemLang"] = language }
        return link
    }

    /// The language of words in `language` (nil: the site's) shown on a page in `pageLanguage`,
    /// when a screen reader would otherwise read them in the wrong voice; nil when it would not.
    func differingLanguage(_ language: String?, on pageLanguage: String?) -> String? {
        let own = language ?? site.config.language
        return LanguageTag.primary(own) == LanguageTag.primary(pageLanguage ?? site.config.language) ? nil : own
    }

    /// Posts as a list shows them: each with its `post-item` rendered (heading `level`, the list
    /// page's words and language) as `html`. A post is in several lists (the blog, its tags, its
    /// year, its authors), so each is made once per level and language, ready for the templates.
    func listed(_ posts: [Int], level: Int, in page: [String: Any]) -> [Any] {
        let language = page["lang"] as? String ?? ""
        return posts.map { index -> Any in
            let key = "\(index)|\(level)|\(language)"
            return fragments.value(key) {
                var post = postSummary(index)
                post["html"] = fragments.render("post-item", key: key, theme: theme) {
                    var item = post
                    item["level"] = level
                    item["t"] = page["t"]
                    item["lang"] = page["lang"]
                    return item
                }
                return post
            }
        }
    }

    /// Who an author is, for their page (with JSON-LD) and for the end of their posts.
    func profileContext(_ profile: AuthorProfile) -> [String: Any] {
        var context: [String: Any] = [
            "name": profile.name, "url": routes.link(Routes.author(profile.slug)), "summary": profile.summary,
            "bio": profile.bio.html,
            "links": profile.links.map { ["text": $0.text, "url": $0.url] }, "hasLinks": !profile.links.isEmpty,
            "jsonLD": JSONLD.script(JSONLD.person(profile, page: routes.absolute(Routes.author(profile.slug)))),
        ]
        if let role = profile.role { context["role"] = role }
        if let organisation = profile.organisation { context["organisation"] = organisation }
        if let language = differingLanguage(profile.language, on: nil) { context["itemLang"] = language }
        return context
    }

    func postSummary(_ index: Int) -> [String: Any] {
        let post = site.posts[index]
        let authors = post.authors.map { ["name": $0.name, "url": routes.link(Routes.author($0.slug))] }
        let tags = post.tags.map { ["name": $0.name, "url": routes.link(Routes.tag($0.slug))] }
        var summary: [String: Any] = [
            "title": post.title, "url": routes.link(post.path), "summary": post.summary,
            "date": ["iso": post.date.isoDay, "long": post.date.longForm],
            "authors": authors, "hasAuthors": !authors.isEmpty, "tags": tags, "hasTags": !tags.isEmpty,
            "draft": post.draft,
        ]
        // Lists are in the site's language; a post in another says so on its title and summary.
        if let language = differingLanguage(post.language, on: nil) { summary["itemLang"] = language }
        return summary
    }

    /// What every template showing a whole document gets: its HTML, its table of contents and
    /// the front matter the generator does not know (`params`).
    func document(_ body: RenderedMarkdown, _ extra: [DataField]) -> [String: Any] {
        let toc = tableOfContents(body.headings)
        return ["content": body.html, "toc": toc, "hasToc": !toc.isEmpty, "params": DataValue.table(extra).templateValue]
    }

    /// Level-2 headings with their level-3 headings nested; deeper levels are left out to keep it short.
    private func tableOfContents(_ headings: [Heading]) -> [[String: Any]] {
        var entries: [[String: Any]] = []
        var children: [[String: Any]] = []
        func flush() {
            guard !entries.isEmpty, !children.isEmpty else { return }
            entries[entries.count - 1]["children"] = children
            entries[entries.count - 1]["hasChildren"] = true
            children = []
        }
        for heading in headings where heading.level <= 3 {
            let entry: [String: Any] = ["text": heading.text, "id": heading.id]
            if heading.level <= 2 {
                flush()
                entries.append(entry.merging(["hasChildren": false]) { a, _ in a })
            } else if !entries.isEmpty {
                children.append(entry)
            }
        }
        flush()
        return entries.count >= 2 ? entries : []
    }
}

extension SiteRenderer.Job {
    var isNotFound: Bool {
        if case .notFound = self { return true }
        return false
    }

    /// Where a post or a page of a blog list is published, known without building the page.
    func blogPath(in site: Site) -> String? {
        switch self {
        case .post(let index): site.posts[index].path
        case .blog(let page, _, _): Routes.paged(Routes.blog, page)
        case .tag(let term, let page, _, _): Routes.paged(Routes.tag(site.tags[term].slug), page)
        case .author(let term, let page, _, _): Routes.paged(Routes.author(site.authors[term].slug), page)
        case .year(let year, let page, _, _): Routes.paged(Routes.year(site.years[year].year), page)
        default: nil
        }
    }
}

/// What the header and footer templates see of a page: `{{{chrome.header}}}` and
/// `{{{chrome.footer}}}` in the layout are rendered from this alone.
enum Chrome {
    static let keys: Set<String> = ["site", "t", "lang", "chromeLang", "banner"]
    static let templates = ["header", "footer"]
}

/// Pieces that many pages share (the header and footer, a post in a list): each is rendered once
/// per template and key, and pages take the HTML. The key must name everything the context is made
/// from within one build (a post's index, a language). On a 10,000-post site these two halved the
/// time spent in templates.
final class Fragments: Sendable {
    private let rendered = Mutex<[String: String]>([:])
    private let values = Mutex<[String: TemplateValue]>([:])

    /// A piece of context made once for many pages (a post as lists show it, the site's fields),
    /// by the same kind of key; a template value where `make`'s object converts to one.
    func value(_ key: String, _ make: () -> [String: Any]) -> Any {
        if let made = values.withLock({ $0[key] }) { return made }
        let object = make()
        guard let made = TemplateValue(object) else { return object }
        values.withLock { $0[key] = made }
        return made
    }

    func render(_ template: String, key: String, theme: Theme, context: () -> [String: Any]) -> String {
        let name = template + "|" + key
        if let html = rendered.withLock({ $0[name] }) { return html }
        // Without its last line break, as a partial on a line of its own would be.
        var html = theme.templates.render(context(), withTemplate: template) ?? ""
        if html.hasSuffix("\n") { html.removeLast() }
        rendered.withLock { $0[name] = html }
        return html
    }
}
