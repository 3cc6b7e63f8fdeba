import Foundation

/// RSS 2.0 and Atom feeds, the sitemap and robots.txt: machine-read outputs, written directly
/// rather than through templates so they are always well-formed.
extension SiteRenderer {
    func feeds() -> [OutputFile] {
        let limit = site.config.blog.feedItems
        func select(_ indices: [Int]) -> [Post] {
            (limit == 0 ? indices : Array(indices.prefix(limit))).map { site.posts[$0] }
        }
        var files = feedPair(
            folder: Routes.blog, title: site.config.title, description: site.config.description,
            posts: select(Array(site.posts.indices)), origin: "the blog feed")
        for term in site.tags {
            files += feedPair(
                folder: Routes.tag(term.slug), title: "\(site.config.title): \(term.name)",
                description: "Posts tagged \u{201C}\(term.name)\u{201D} on \(site.config.title)",
                posts: select(term.posts), origin: "the feed for tag \(term.name)")
        }
        return files
    }

    private func feedPair(folder: String, title: String, description: String, posts: [Post], origin: String) -> [OutputFile] {
        [
            OutputFile(path: folder + "feed.xml", text: rss(folder: folder, title: title, description: description, posts: posts), origin: origin),
            OutputFile(path: folder + "atom.xml", text: atom(folder: folder, title: title, description: description, posts: posts), origin: origin),
        ]
    }

    func rss(folder: String, title: String, description: String, posts: [Post]) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel>
            <title>\(XML.escape(title))</title>
            <link>\(XML.escape(routes.absolute(folder)))</link>
            <description>\(XML.escape(description.isEmpty ? title : description))</description>
            <language>\(XML.escape(site.config.language))</language>
            <atom:link href="\(XML.escape(routes.absolute(folder + "feed.xml")))" rel="self" type="application/rss+xml"/>

            """
        if let newest = posts.first {
            xml += "<lastBuildDate>\(Format.rfc822(newest.date.instant))</lastBuildDate>\n"
        }
        for post in posts {
            let url = XML.escape(routes.absolute(Routes.post(post.slug)))
            xml += "<item>\n<title>\(XML.escape(post.title))</title>\n<link>\(url)</link>\n"
            xml += "<guid isPermaLink=\"true\">\(url)</guid>\n<pubDate>\(Format.rfc822(post.date.instant))</pubDate>\n"
            for author in post.authors { xml += "<dc:creator>\(XML.escape(author.name))</dc:creator>\n" }
            for tag in post.tags { xml += "<category>\(XML.escape(tag.name))</category>\n" }
            xml += "<description>\(XML.escape(routes.absolutising(post.body.html)))</description>\n</item>\n"
        }
        return xml + "</channel>\n</rss>\n"
    }

    func atom(folder: String, title: String, description: String, posts: [Post]) -> String {
        // Atom requires `updated`; an empty feed has no newest post, so it takes the epoch rather than the clock.
        let updated = Format.rfc3339(posts.first?.date.instant ?? Date(timeIntervalSince1970: 0))
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(XML.escape(site.config.language))">
            <title>\(XML.escape(title))</title>

            """
        if !description.isEmpty { xml += "<subtitle>\(XML.escape(description))</subtitle>\n" }
        xml += """
            <id>\(XML.escape(routes.absolute(folder)))</id>
            <link rel="self" type="application/atom+xml" href="\(XML.escape(routes.absolute(folder + "atom.xml")))"/>
            <link rel="alternate" type="text/html" href="\(XML.escape(routes.absolute(folder)))"/>
            <updated>\(updated)</updated>
            <author><name>\(XML.escape(site.config.title))</name></author>

            """
        for post in posts {
            let url = XML.escape(routes.absolute(Routes.post(post.slug)))
            let date = Format.rfc3339(post.date.instant)
            xml += "<entry>\n<title>\(XML.escape(post.title))</title>\n<id>\(url)</id>\n"
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(url)\"/>\n"
            xml += "<published>\(date)</published>\n<updated>\(date)</updated>\n"
            for author in post.authors { xml += "<author><name>\(XML.escape(author.name))</name></author>\n" }
            for tag in post.tags {
                xml += "<category term=\"\(XML.escape(tag.slug))\" label=\"\(XML.escape(tag.name))\"/>\n"
            }
            xml += "<summary>\(XML.escape(post.summary))</summary>\n"
            xml += "<content type=\"html\">\(XML.escape(routes.absolutising(post.body.html)))</content>\n</entry>\n"
        }
        return xml + "</feed>\n"
    }

    func sitemap() -> OutputFile {
        var entries: [(String, String?)] = [("", site.posts.first?.date.isoDay)]
        entries += site.posts.map { (Routes.post($0.slug), $0.date.isoDay) }
        entries += site.pages.map { (Routes.page($0.slug), nil) }
        entries.append((Routes.blog, site.posts.first?.date.isoDay))
        entries += site.tags.map { (Routes.tag($0.slug), site.posts[$0.posts[0]].date.isoDay) }
        entries += site.authors.map { (Routes.author($0.slug), site.posts[$0.posts[0]].date.isoDay) }
        entries += site.years.map { (Routes.year($0.year), site.posts[$0.posts[0]].date.isoDay) }
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
        let cleaned = text.unicodeScalars.contains(where: isForbidden)
            ? String(String.UnicodeScalarView(text.unicodeScalars.filter { !isForbidden($0) })) : text
        return HTML.escape(cleaned)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE
            || scalar.value == 0xFFFF
    }
}
