import Foundation

/// `serve`'s first answer to an edited post or page: that page alone, rendered against the last
/// good site, so the tab showing it reloads at once. The full rebuild follows and is what stays
/// served; it also updates every other page the edit touches (lists, feeds, search).
///
/// Only an edit that leaves the site's shape alone is previewed: the same address, aliases, date
/// and draft status, so the post keeps its place, its neighbours and its address. Anything else (a new
/// file, a changed date, an error the parse or the content checks find) waits for the full
/// rebuild; so does an error only the whole site shows (a broken link).
///
/// The edited post or page is put into `site` for the rendering and the old one put back after:
/// a copy of the site with it replaced copied all 10,000 posts of a large site.
public enum PagePreview {
    public static func render(_ file: SourceFile, in site: inout Site, theme: Theme) -> OutputFile? {
        guard let kind = ContentKind(path: file.path, types: site.types), kind == .post || kind == .page else { return nil }
        let (parsed, found) = DocumentParser.parse(
            file, kind: kind, timeZone: site.config.timeZone, markdown: SiteBuild.markdownOptions(site.config))
        guard let document = parsed,
            !(found + ContentChecks.run(on: document.body, config: site.config)).contains(where: { $0.severity == .error })
        else { return nil }
        let resolver = ReferenceResolver(standard: site.standard, principles: site.principles, routes: Routes(site.config))
        if kind == .post {
            guard let index = site.posts.indices.first(where: { site.posts[$0].source == file.path }), var post = SiteModel.post(from: document, permalink: site.config.blog.permalink)
            else { return nil }
            let old = site.posts[index]
            guard post.path == old.path, post.aliases == old.aliases, post.date == old.date, post.draft == old.draft,
                resolver.resolve(&post.body).isEmpty
            else { return nil }
            ImageMarkup(site.config).apply(to: &post.body, on: post.path, images: site.images)
            site.posts[index] = post
            defer { site.posts[index] = old }
            return SiteRenderer(site: site, theme: theme).renderPage(.post(index))
        } else {
            guard let index = site.pages.indices.first(where: { site.pages[$0].source == file.path }) else { return nil }
            var page = SiteModel.page(from: document)
            let old = site.pages[index]
            guard page.path == old.path, page.aliases == old.aliases, resolver.resolve(&page.body).isEmpty else { return nil }
            ImageMarkup(site.config).apply(to: &page.body, on: page.path, images: site.images)
            site.pages[index] = page
            defer { site.pages[index] = old }
            return SiteRenderer(site: site, theme: theme).renderPage(.page(index))
        }
    }
}
