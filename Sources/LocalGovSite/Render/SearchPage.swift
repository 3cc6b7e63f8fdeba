import Foundation

extension SiteRenderer {
    /// `/search/`: the form, the place results appear with JavaScript, and without it an A–Z of
    /// topics, the site's sections and every point of the Standard, so nobody meets a dead end.
    func searchPage() -> RenderedPage {
        var context = frame(
            relative: Routes.search, title: "Search", section: nil,
            description: "Search the posts, the Service Standard and the digital principles of \(site.config.title)")
        context["searchURL"] = routes.link(Routes.search)
        context["indexURL"] = routes.link(SearchIndex.folder)
        context["scriptURL"] = routes.link("assets/search/search-page.js")

        var sections: [[String: Any]] = [["title": blogTitle, "url": routes.link(Routes.blog)]]
        if let standard = site.standard { sections.append(["title": standard.title, "url": routes.link(Routes.standard)]) }
        if let principles = site.principles {
            sections.append(["title": principles.title, "url": routes.link(Routes.principlesIndex)])
        }
        sections += site.collections.compactMap { collection in
            collection.type.listAddress.map { ["title": sectionTitle(collection.type), "url": routes.link($0)] }
        }
        sections += site.pages.map { pageLink($0, on: nil) }
        context["sections"] = sections
        context["hasSections"] = !sections.isEmpty

        let points = site.standard?.points ?? []
        context["points"] = points.map { ["title": "\($0.number). \($0.title)", "url": routes.link(Routes.point($0.slug))] }
        context["hasPoints"] = !points.isEmpty

        let topics = site.tags.sorted { ($0.name.lowercased(), $0.slug) < ($1.name.lowercased(), $1.slug) }
        context["topics"] = topics.map {
            ["name": $0.name, "url": routes.link(Routes.tag($0.slug)), "countLabel": English.count($0.posts.count, "post")]
        }
        context["hasTopics"] = !topics.isEmpty
        return (Routes.search, "search", context, "the search page")
    }
}
