import Foundation

/// Turns a Blogger export into posts and pages, the bodies converted as WordPress's are.
public enum BloggerImport {
    /// - Parameter now: posts published after it are scheduled ones, which the site leaves out
    ///   until their date.
    public static func convert(_ export: BloggerExport, now: Date) -> ImportResult {
        let home = export.link ?? export.entries.lazy.compactMap(\.link).compactMap(origin).first
        var result = ImportResult(
            site: ImportedSite(
                title: export.title, baseURL: ImportedSite.baseURL(from: home), description: export.subtitle, language: nil))
        let site = OldSite(link: home)

        var planned: [(entry: BloggerEntry, kind: ImportedDocument.Kind, slug: String)] = []
        var slugs: [ImportedDocument.Kind: UniqueIDs] = [:]
        var addresses: [String: String] = [:]
        for entry in export.entries {
            guard let kind = kind(of: entry, now: now, result: &result) else { continue }
            let slug = slugs[kind, default: UniqueIDs()].claim(slug(for: entry))
            planned.append((entry, kind, slug))
            let address = ImportedDocument.address(of: kind, slug: slug)
            for old in [entry.link, entry.fileName].compactMap({ $0 }) {
                if let key = site.key(old) { addresses[key] = address }
            }
        }

        for (entry, kind, slug) in planned {
            let converted = HTMLToMarkdown.convert(
                entry.content,
                options: .init(address: { site.newAddress(of: $0, in: addresses) ?? $0 }))
            var document = ImportedDocument(kind: kind, slug: slug, title: entry.title, body: converted.markdown)
            if kind == .post {
                document.date = (entry.published ?? entry.updated).map(ImportedDocument.PublishedDate.instant)
                if document.date == nil { document.notes.append(.noDate) }
                document.authors = entry.author.map { [$0] } ?? []
                document.addTags(entry.labels)
            }
            document.summary = entry.metaDescription
            document.draft = entry.status == .draft
            document.addAliases([entry.fileName.map { $0.hasPrefix("/") ? $0 : "/" + $0 }, entry.link.flatMap(site.alias)])
            document.notes += converted.notes
            result.documents.append(document)
        }
        return result
    }

    /// Live and draft posts become posts, live pages pages; the bin, comments, settings and
    /// the template are counted. The site publishes every page it has, so a draft page is
    /// left out rather than made public.
    private static func kind(of entry: BloggerEntry, now: Date, result: inout ImportResult) -> ImportedDocument.Kind? {
        switch (entry.kind, entry.status) {
        case (.comment, _):
            result.comments += 1
        case (.post, .trashed), (.page, .trashed):
            result.skipped["deleted \(entry.kind == .post ? "post" : "page")", default: 0] += 1
        case (.post, .draft):
            result.drafts["draft", default: 0] += 1
            return .post
        case (.post, .live):
            if let published = entry.published, published > now { result.future += 1 }
            return .post
        case (.page, .draft):
            result.skipped["unpublished page", default: 0] += 1
        case (.page, .live):
            return .page
        case (.other(let name), _):
            result.skipped[name, default: 0] += 1
        }
        return nil
    }

    /// The last part of the old address without `.html` (`/2016/03/slug.html` → `slug`), or
    /// one made from the title for a draft, which has no address yet.
    private static func slug(for entry: BloggerEntry) -> String {
        let path = entry.fileName ?? entry.link.flatMap { URLComponents(string: $0)?.path }
        let name = path.flatMap { $0.split(separator: "/").last }.map { String($0) }
        let fromName = name.map { Slug.make($0.hasSuffix(".html") ? String($0.dropLast(5)) : $0) } ?? ""
        let fromTitle = fromName.isEmpty ? Slug.make(entry.title) : fromName
        return fromTitle.isEmpty ? "untitled" : fromTitle
    }

    /// `https://x.blogspot.com/2016/03/a.html` → `https://x.blogspot.com/`.
    private static func origin(_ link: String) -> String? {
        guard var components = URLComponents(string: link), components.host != nil else { return nil }
        components.path = "/"
        components.query = nil
        components.fragment = nil
        return components.string
    }
}
