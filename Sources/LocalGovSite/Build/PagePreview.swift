import Foundation

/// `serve`'s first answer to an edited post or page: that page alone, rendered against the last
/// good site, so the tab showing it reloads at once. The full rebuild follows and is what stays
/// served; it also updates every other page the edit touches (lists, feeds, search).
///
/// Only an edit that leaves the site's shape alone is previewed: the same address, aliases, date
/// and draft status, so the post keeps its place, its neighbours and its address. Anything else (a new
/// file, a changed date, an error the parse or the content checks find) waits for the full
/// rebuild; so does an error only the whole site shows (a broken link).
public enum PagePreview {
    public static func render(_ file: SourceFile, in site: Site, theme: Theme) -> OutputFile? {
        guard let kind = ContentKind(path: file.path, types: site.types), kind == .post || kind == .page else { return nil }
        let (parsed, found) = DocumentParser.parse(
            file, kind: kind, timeZone: site.config.timeZone, markdown: SiteBuild.markdownOptions(site.config))
        guard let document = parsed,
            !(found + ContentChecks.run(on: document.body, config: site.config)).contains(where: { $0.severity == .error })
        else { return nil }
        let resolver = ReferenceResolver(standard: site.standard, principles: site.principles, routes: Routes(site.config))
        var site = site
        let job: SiteRenderer.Job
        if kind == .post {
            guard let index = site.posts.firstIndex(where: { $0.source == file.path }), var post = SiteModel.post(from: document, permalink: site.config.blog.permalink)
            else { return nil }
            let old = site.posts[index]
            guard post.path == old.path, post.aliases == old.aliases, post.date == old.date, post.draft == old.draft,
                resolver.resolve(&post.body).isEmpty
            else { return nil }
            ImageMarkup(site.config).apply(to: &post.body, on: post.path, images: site.images)
            site.posts[index] = post
            job = .post(index)
        } else {
            guard let index = site.pages.firstIndex(where: { $0.source == file.path }) else { return nil }
            var page = SiteModel.page(from: document)
            guard page.path == site.pages[index].path, page.aliases == site.pages[index].aliases, resolver.resolve(&page.body).isEmpty else { return nil }
            ImageMarkup(site.config).apply(to: &page.body, on: page.path, images: site.images)
            site.pages[index] = page
            job = .page(index)
        }
        return SiteRenderer(site: site, theme: theme).renderPage(job)
    }
}
