extension Site {
    /// Everything a reader can search for, in a stable order: posts, pages, points, principles, and
    /// Voice entries when the site opts in.
    func searchDocuments(routes: Routes) -> [SearchDocument] {
        var documents = posts.map { post in
            SearchDocument(
                url: routes.link(post.path), title: post.title, section: "Blog", date: post.date.isoDay,
                summary: post.summary, headings: post.body.headings.map(\.text), body: post.body.plainText)
        }
        documents += pages.map { page in
            SearchDocument(
                url: routes.link(page.path), title: page.title, section: "Pages", date: "",
                summary: page.summary, headings: page.body.headings.map(\.text), body: page.body.plainText)
        }
        if let standard {
            documents += standard.points.map { point in
                SearchDocument(
                    url: routes.link(Routes.point(point.slug)), title: "\(point.number). \(point.title)",
                    section: standard.title, date: point.reviewed.isoDay, summary: point.summary,
                    headings: point.body.headings.map(\.text), body: point.body.plainText)
            }
        }
        if let principles {
            for set in principles.sets {
                let page = routes.link(Routes.principles(set.slug, setCount: principles.sets.count))
                documents += set.rows.map { row in
                    SearchDocument(
                        url: "\(page)#\(row.id)", title: row.principle.rendered.plainText, section: principles.title,
                        date: "", summary: SiteModel.summarise(row.practice.rendered.plainText), headings: [],
                        body: row.traditional.rendered.plainText + "\n" + row.practice.rendered.plainText)
                }
            }
        }
        if let voice, config.voice.search {
            // A result must lead somewhere: an entry whose feed gave no link is on the river only.
            documents += voice.entries.compactMap { entry in
                guard let link = entry.entry.link else { return nil }
                return SearchDocument(
                    url: link, title: entry.entry.title, section: voice.intro?.title ?? "LocalGov Digital Voice",
                    date: Format.isoDay(entry.date, in: config.timeZone), summary: entry.excerpt, headings: [],
                    body: HTMLSanitiser.plainText(html: entry.entry.contentHTML))
            }
        }
        return documents
    }
}
