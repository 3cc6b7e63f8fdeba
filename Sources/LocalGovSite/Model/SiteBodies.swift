/// Where a body of markdown sits in the site. A value rather than a key path: making a key
/// path through an index for each of 10,000 posts was a sixth of the link checks.
enum BodyPlace: Sendable {
    case post(Int)
    case page(Int)
    case home
    case standardIntro
    case point(Int)
    case principlesIntro
    case setIntro(Int)
    /// A cell of a principles table: the set, the row, and the column (0 traditional, 1 principle, 2 in practice).
    case cell(Int, row: Int, column: Int)
    case voiceIntro
    case profile(String)
    case item(collection: Int, Int)
}

extension Site {
    /// Where every body of markdown in the site is, with the page it is shown on: the one list
    /// that link checks read and the image stage writes through.
    func bodies() -> [(body: BodyPlace, page: String)] {
        var bodies: [(BodyPlace, String)] = posts.indices.map { (.post($0), posts[$0].path) }
        bodies += pages.indices.map { (.page($0), pages[$0].path) }
        if home != nil { bodies.append((.home, "")) }
        if let standard {
            if standard.intro != nil { bodies.append((.standardIntro, Routes.standard)) }
            bodies += standard.points.indices.map { (.point($0), Routes.point(standard.points[$0].slug)) }
        }
        if let principles {
            if principles.intro != nil { bodies.append((.principlesIntro, Routes.principlesIndex)) }
            for s in principles.sets.indices {
                let page = Routes.principles(principles.sets[s].slug, setCount: principles.sets.count)
                bodies.append((.setIntro(s), page))
                for r in principles.sets[s].rows.indices {
                    for column in PrincipleRow.columns { bodies.append((.cell(s, row: r, column: column), page)) }
                }
            }
        }
        if voice?.intro != nil { bodies.append((.voiceIntro, Routes.voice)) }
        for slug in profiles.keys.sorted() { bodies.append((.profile(slug), Routes.author(slug))) }
        for c in collections.indices {
            bodies += collections[c].items.indices.map { (.item(collection: c, $0), collections[c].items[$0].path) }
        }
        return bodies
    }

    /// The body at a place `bodies()` listed.
    subscript(body place: BodyPlace) -> RenderedMarkdown {
        // Borrowed and changed in place: a copy of a body retains each of its strings and lists,
        // and the link checks, the image stage and the references read every body on each build.
        _read {
            switch place {
            case .post(let index): yield posts[index].body
            case .page(let index): yield pages[index].body
            case .home: yield home!.body
            case .standardIntro: yield standard!.intro!.body
            case .point(let index): yield standard!.points[index].body
            case .principlesIntro: yield principles!.intro!.body
            case .setIntro(let set): yield principles!.sets[set].intro
            case let .cell(set, row, column): yield principles!.sets[set].rows[row][cell: column].rendered
            case .voiceIntro: yield voice!.intro!.body
            case .profile(let slug): yield profiles[slug]!.bio
            case let .item(collection, index): yield collections[collection].items[index].body
            }
        }
        _modify {
            switch place {
            case .post(let index): yield &posts[index].body
            case .page(let index): yield &pages[index].body
            case .home: yield &home!.body
            case .standardIntro: yield &standard!.intro!.body
            case .point(let index): yield &standard!.points[index].body
            case .principlesIntro: yield &principles!.intro!.body
            case .setIntro(let set): yield &principles!.sets[set].intro
            case let .cell(set, row, column): yield &principles!.sets[set].rows[row][cell: column].rendered
            case .voiceIntro: yield &voice!.intro!.body
            case .profile(let slug): yield &profiles[slug]!.bio
            case let .item(collection, index): yield &collections[collection].items[index].body
            }
        }
    }

    /// Every picture chosen for link previews, with the page it is written for: the site's own
    /// (from `site.toml`) is read from the root, as the home page's is.
    func shareImages() -> [(image: ShareImage, page: String)] {
        var images: [(ShareImage, String)] = posts.indices.compactMap { index in posts[index].image.map { ($0, posts[index].path) } }
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
