import Foundation
import Synchronization

/// RSS 2.0 and Atom feeds, the sitemap and robots.txt: machine-read outputs, written directly
/// rather than through templates so they are always well-formed.
extension SiteRenderer {
    /// One feed's worth of posts: the blog's, or one tag's.
    struct FeedJob: Sendable {
        var folder: String
        var title: String
        var description: String
        var posts: [Int]
        var origin: String
    }

    func feeds() -> [OutputFile] {
        let limit = site.config.blog.feedItems
        func select(_ indices: [Int]) -> [Int] { limit == 0 ? indices : Array(indices.prefix(limit)) }
        var jobs = [
            FeedJob(
                folder: Routes.blog, title: site.config.title, description: site.config.description,
                posts: select(Array(site.posts.indices)), origin: "the blog feed")
        ]
        jobs += site.tags.map { term in
            FeedJob(
                folder: Routes.tag(term.slug), title: "\(site.config.title): \(term.name)",
                description: "Posts tagged \u{201C}\(term.name)\u{201D} on \(site.config.title)",
                posts: select(term.posts), origin: "the feed for tag \(term.name)")
        }
        // A post's content appears in several feeds; it is escaped once, when a feed the build
        // cache does not keep first needs it.
        let escaped = Mutex<[Int: String]>([:])
        @Sendable func content(_ index: Int) -> String {
            if let done = escaped.withLock({ $0[index] }) { return done }
            func escape() -> String { XML.escape(routes.absolutising(site.posts[index].body.html)) }
            let content = cache?.feedContent(of: site.posts[index], baseURL: site.config.baseURL, escape) ?? escape()
            escaped.withLock { $0[index] = content }
            return content
        }
        return parallelMap(jobs) { job in
            let digest = inputs?.digest(ofFeed: job.folder, title: job.title, description: job.description, posts: job.posts)
            func file(_ name: String, _ text: ([(Post, String)]) -> String) -> OutputFile {
                func made() -> OutputFile {
                    OutputFile(path: job.folder + name, text: text(job.posts.map { (site.posts[$0], content($0)) }), origin: job.origin)
                }
                guard let cache, let digest else { return made() }
                return cache.feed(job.folder + name, fingerprint: digest, made)
            }
            return [file("feed.xml") { rss(job, $0) }, file("atom.xml") { atom(job, $0) }]
        }.flatMap { $0 }
    }

    /// - Parameter posts: each post with its content already absolutised and escaped.
    func rss(_ job: FeedJob, _ posts: [(Post, String)]) -> String {
        let items = posts.map { post, content in
            let url = routes.absolute(post.path)
            return RSSItem(
                title: post.title, link: url, guid: url, date: post.date.instant, authors: post.authors.map(\.name),
                categories: post.tags.map(\.name), source: nil, escapedContent: content)
        }
        return rssFeed(page: job.folder, path: job.folder + "feed.xml", title: job.title, description: job.description, items: items)
    }

    struct RSSItem {
        var title: String
        /// Nil for a Voice entry whose feed gave no link.
        var link: String?
        /// A permalink when it is the item's link, else an opaque id.
        var guid: String
        var date: Date
        var authors: [String]
        var categories: [String]
        /// For an item gathered from another feed: that feed's title and address (RSS `<source>`).
        var source: (title: String, url: String)?
        /// HTML, absolutised and escaped once by the caller.
        var escapedContent: String
    }

    /// - Parameters:
    ///   - page: the HTML page the feed follows (its link);
    ///   - path: where the feed itself is written (its self link).
    func rssFeed(page: String, path: String, title: String, description: String, items: [RSSItem]) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel>
            <title>\(XML.escape(title))</title>
            <link>\(XML.escape(routes.absolute(page)))</link>
            <description>\(XML.escape(description.isEmpty ? title : description))</description>
            <language>\(XML.escape(site.config.language))</language>
            <atom:link href="\(XML.escape(routes.absolute(path)))" rel="self" type="application/rss+xml"/>

            """
        if let newest = items.first {
            xml += "<lastBuildDate>\(Format.rfc822(newest.date))</lastBuildDate>\n"
        }
        for item in items {
            xml += "<item>\n<title>\(XML.escape(item.title))</title>\n"
            if let link = item.link { xml += "<link>\(XML.escape(link))</link>\n" }
            xml += "<guid isPermaLink=\"\(item.guid == item.link)\">\(XML.escape(item.guid))</guid>\n"
            xml += "<pubDate>\(Format.rfc822(item.date))</pubDate>\n"
            for author in item.authors { xml += "<dc:creator>\(XML.escape(author))</dc:creator>\n" }
            for category in item.categories { xml += "<category>\(XML.escape(category))</category>\n" }
            if let source = item.source {
                xml += "<source url=\"\(XML.escape(source.url))\">\(XML.escape(source.title))</source>\n"
            }
            xml += "<description>\(item.escapedContent)</description>\n</item>\n"
        }
        return xml + "</channel>\n</rss>\n"
    }

    func atom(_ job: FeedJob, _ posts: [(Post, String)]) -> String {
        let entries = posts.map { post, content in
            let url = routes.absolute(post.path)
            return AtomEntry(
                title: post.title, url: url, id: url, published: post.date.instant, updated: post.date.instant,
                authors: post.authors.map(\.name), categories: post.tags.map { ($0.slug, $0.name) }, summary: post.summary,
                escapedContent: content)
        }
        return atomFeed(
            page: job.folder, path: job.folder + "atom.xml", title: job.title, subtitle: job.description,
            updated: posts.first?.0.date.instant, entries: entries)
    }

    struct AtomEntry {
        var title: String
        var url: String?
        var id: String
        var published: Date
        var updated: Date
        var authors: [String]
        var categories: [(term: String, label: String)]
        var summary: String
        /// HTML, absolutised and escaped once by the caller.
        var escapedContent: String
    }

    /// - Parameter updated: the newest entry's date; an empty feed takes the epoch rather than the
    ///   clock, since Atom requires `updated` and output must not depend on when it was built.
    /// - Parameters:
    ///   - page: the HTML page the feed follows (its id and alternate link);
    ///   - path: where the feed itself is written (its self link).
    func atomFeed(page: String, path: String, title: String, subtitle: String, updated: Date?, entries: [AtomEntry]) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(XML.escape(site.config.language))">
            <title>\(XML.escape(title))</title>

            """
        if !subtitle.isEmpty { xml += "<subtitle>\(XML.escape(subtitle))</subtitle>\n" }
        xml += """
            <id>\(XML.escape(routes.absolute(page)))</id>
            <link rel="self" type="application/atom+xml" href="\(XML.escape(routes.absolute(path)))"/>
            <link rel="alternate" type="text/html" href="\(XML.escape(routes.absolute(page)))"/>
            <updated>\(Format.rfc3339(updated ?? Date(timeIntervalSince1970: 0)))</updated>
            <author><name>\(XML.escape(site.config.title))</name></author>

            """
        for entry in entries {
            xml += "<entry>\n<title>\(XML.escape(entry.title))</title>\n<id>\(XML.escape(entry.id))</id>\n"
            if let url = entry.url { xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(XML.escape(url))\"/>\n" }
            xml += "<published>\(Format.rfc3339(entry.published))</published>\n<updated>\(Format.rfc3339(entry.updated))</updated>\n"
            for author in entry.authors { xml += "<author><name>\(XML.escape(author))</name></author>\n" }
            for category in entry.categories {
                xml += "<category term=\"\(XML.escape(category.term))\" label=\"\(XML.escape(category.label))\"/>\n"
            }
            xml += "<summary>\(XML.escape(entry.summary))</summary>\n"
            xml += "<content type=\"html\">\(entry.escapedContent)</content>\n</entry>\n"
        }
        return xml + "</feed>\n"
    }

    func sitemap() -> OutputFile {
        var entries: [(String, String?)] = [("", site.posts.first?.date.isoDay)]
        if site.types.first(.posts)?.inSitemap ?? true { entries += site.posts.indices.map { (site.posts[$0].path, site.posts[$0].date.isoDay) } }
        if site.types.first(.pages)?.inSitemap ?? true { entries += site.pages.map { ($0.path, nil) } }
        entries.append((Routes.blog, site.posts.first?.date.isoDay))
        entries += site.tags.map { (Routes.tag($0.slug), site.posts[$0.posts[0]].date.isoDay) }
        // An author with a profile may have no post yet.
        entries += site.authors.map { (Routes.author($0.slug), $0.posts.first.map { site.posts[$0].date.isoDay }) }
        entries += site.years.map { (Routes.year($0.year), site.posts[$0.posts[0]].date.isoDay) }
        if let standard = site.standard {
            let newest = standard.points.map(\.reviewed).max()?.isoDay
            entries += [(Routes.standard, newest), (Routes.wholeStandard, newest)]
            if let latest = standard.changeLog.first?.changes.first {
                entries.append((Routes.standardChanges, latest.note.date.isoDay))
            }
            entries += standard.points.map { (Routes.point($0.slug), $0.reviewed.isoDay) }
        }
        if let principles = site.principles {
            entries.append((Routes.principlesIndex, nil))
            if principles.sets.count > 1 {
                entries += principles.sets.map { (Routes.principles($0.slug, setCount: principles.sets.count), nil) }
            }
        }
        if let voice = site.voice {
            let newest = voice.entries.first.map { Format.rfc3339($0.date) }
            entries += [(Routes.voice, newest), (Routes.voiceMembers, newest)]
            entries += voice.members.filter(\.member.enabled).map { member in
                (Routes.voiceMember(member.member.slug), member.entries.first.map { Format.rfc3339(voice.entries[$0].date) })
            }
        }
        for collection in site.collections where collection.type.inSitemap {
            let items = collection.items.map { ($0.path, $0.updated?.isoDay) }
            entries += [collection.type.listAddress, collection.type.pastAddress].compactMap { $0 }.map { ($0, nil) } + items
        }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (relative, lastModified) in entries {
            xml += "<url><loc>\(XML.escape(routes.absolute(relative)))</loc>"
            if let lastModified { xml += "<lastmod>\(lastModified)</lastmod>" }
            xml += "</url>\n"
        }
        return OutputFile(path: "sitemap.xml", text: xml + "</urlset>\n", origin: "the sitemap")
    }

    func robots() -> OutputFile {
        OutputFile(
            path: "robots.txt", text: "User-agent: *\nAllow: /\n\nSitemap: \(routes.absolute("sitemap.xml"))\n",
            origin: "robots.txt")
    }
}

enum XML {
    /// Escapes markup and drops the control characters XML 1.0 forbids (a stray U+0008 in a
    /// post would otherwise make every feed reader reject the whole feed).
    static func escape(_ text: String) -> String {
        let suspicious = text.utf8.contains { $0 < 0x20 || $0 == 0xEF }
        let cleaned = suspicious && text.unicodeScalars.contains(where: isForbidden)
            ? String(String.UnicodeScalarView(text.unicodeScalars.filter { !isForbidden($0) })) : text
        return HTML.escape(cleaned)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE
            || scalar.value == 0xFFFF
    }
}
