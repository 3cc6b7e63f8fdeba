extension Site {
    /// Everything a reader can search for, in a stable order: posts, pages, points, principles, the
    /// items of searched collections, and Voice entries when the site opts in.
    /// - Parameter words: the theme's strings in the site's language, for section names.
    func searchDocuments(routes: Routes, words: [String: String] = [:]) -> [SearchDocument] {
        var documents: [SearchDocument] = []
        if let type = types.first(.posts), type.searched {
            let section = type.title(in: words)
            // Posts by index: taking each of thousands as a value copied all of it. On every
            // core, as a large blog's documents are made again on each of `serve`'s rebuilds.
            let posts = posts
            documents += parallelMap(Array(posts.indices)) { index in
                SearchDocument(
                    url: routes.link(posts[index].path), title: posts[index].title, section: section,
                    date: posts[index].date.isoDay, summary: posts[index].summary,
                    body: posts[index].body)
            }
        }
        if let type = types.first(.pages), type.searched {
            let section = type.title(in: words)
            documents += pages.map { page in
                SearchDocument(
                    url: routes.link(page.path), title: page.title, section: section, date: "",
                    summary: page.summary, body: page.body)
            }
        }
        if let standard {
            documents += standard.points.map { point in
                SearchDocument(
                    url: routes.link(Routes.point(point.slug)), title: "\(point.number). \(point.title)",
                    section: standard.title, date: point.reviewed.isoDay, summary: point.summary,
                    body: point.body)
            }
        }
        if let principles {
            for set in principles.sets {
                let page = routes.link(Routes.principles(set.slug, setCount: principles.sets.count))
                documents += set.rows.map { row in
                    SearchDocument(
                        url: "\(page)#\(row.id)", title: row.principle.rendered.plainText, section: principles.title,
                        date: "", summary: Summary.of(row.practice.rendered.plainText), headings: [],
                        body: row.traditional.rendered.plainText + "\n" + row.practice.rendered.plainText)
                }
            }
        }
        for collection in collections where collection.type.searched {
            let section = collection.type.title(in: words)
            documents += collection.items.map { item in
                SearchDocument(
                    url: routes.link(item.path), title: item.title, section: section,
                    date: item.span?.start.date.isoDay ?? item.updated?.isoDay ?? "", summary: item.summary,
                    body: item.body)
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
