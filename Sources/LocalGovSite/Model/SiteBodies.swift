extension Site {
    /// Where every body of markdown in the site is, with the page it is shown on: the one list
    /// that link checks read and the image stage writes through.
    func bodies() -> [(body: WritableKeyPath<Site, RenderedMarkdown>, page: String)] {
        var bodies: [(WritableKeyPath<Site, RenderedMarkdown>, String)] = posts.indices.map { (\Site.posts[$0].body, posts[$0].path) }
        bodies += pages.indices.map { (\Site.pages[$0].body, pages[$0].path) }
        if home != nil { bodies.append((\Site.home!.body, "")) }
        if let standard {
            if standard.intro != nil { bodies.append((\Site.standard!.intro!.body, Routes.standard)) }
            bodies += standard.points.indices.map { (\Site.standard!.points[$0].body, Routes.point(standard.points[$0].slug)) }
        }
        if let principles {
            if principles.intro != nil { bodies.append((\Site.principles!.intro!.body, Routes.principlesIndex)) }
            for s in principles.sets.indices {
                let page = Routes.principles(principles.sets[s].slug, setCount: principles.sets.count)
                bodies.append((\Site.principles!.sets[s].intro, page))
                for r in principles.sets[s].rows.indices {
                    let row: WritableKeyPath<Site, PrincipleRow> = \Site.principles!.sets[s].rows[r]
                    let cells: [WritableKeyPath<PrincipleRow, PrincipleCell>] = [\.traditional, \.principle, \.practice]
                    for cell in cells { bodies.append((row.appending(path: cell).appending(path: \PrincipleCell.rendered), page)) }
                }
            }
        }
        if voice?.intro != nil { bodies.append((\Site.voice!.intro!.body, Routes.voice)) }
        for slug in profiles.keys.sorted() { bodies.append((\Site.profiles[slug]!.bio, Routes.author(slug))) }
        for c in collections.indices {
            bodies += collections[c].items.indices.map { (\Site.collections[c].items[$0].body, collections[c].items[$0].path) }
        }
        return bodies
    }

    /// Every picture chosen for link previews, with the page it is written for: the site's own
    /// (from `site.toml`) is read from the root, as the home page's is.
    func shareImages() -> [(image: ShareImage, page: String)] {
        var images: [(ShareImage, String)] = posts.compactMap { post in post.image.map { ($0, post.path) } }
        images += pages.compactMap { page in page.image.map { ($0, page.path) } }
        let intros = [
            (home?.image, ""), (standard?.intro?.image, Routes.standard), (principles?.intro?.image, Routes.principlesIndex),
            (voice?.intro?.image, Routes.voice), (config.image, ""),
        ]
        images += intros.compactMap { image, page in image.map { ($0, page) } }
        images += (standard?.points ?? []).compactMap { point in point.image.map { ($0, Routes.point(point.slug)) } }
        images += collections.flatMap(\.items).compactMap { item in item.image.map { ($0, item.path) } }
        return images
    }
}
