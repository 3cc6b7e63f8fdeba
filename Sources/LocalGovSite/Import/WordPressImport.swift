import Foundation

/// Turns a WordPress export into posts and pages: statuses, dates, authors, terms, slugs and
/// old addresses mapped to front matter, and each body converted to markdown.
public enum WordPressImport {
    /// - Parameter uploads: whether a local copy of `wp-content/uploads` has a file, by its
    ///   path there; nil when there is no copy, so every upload stays on the old site.
    public static func convert(_ export: WordPressExport, uploads: ((String) -> Bool)?) -> ImportResult {
        var result = ImportResult(
            site: ImportedSite(
                title: HTMLSanitiser.plainText(html: export.title), baseURL: ImportedSite.baseURL(from: export.link),
                description: export.description.map { HTMLSanitiser.plainText(html: $0) }.flatMap(trimmedNonEmpty),
                language: export.language))
        let site = OldSite(link: export.link)
        let attachments = attachments(in: export)
        var targets = Targets(site: site, uploads: uploads)
        for attachment in attachments.values {
            if let key = attachment.pageLink.flatMap(site.key) { targets.files[key] = attachment.url }
            if let key = site.key("?attachment_id=\(attachment.id)") { targets.files[key] = attachment.url }
        }

        // Slugs first, so that links between posts can be pointed at their new addresses.
        var planned: [(item: WordPressItem, kind: ImportedDocument.Kind, slug: String)] = []
        var slugs: [ImportedDocument.Kind: UniqueIDs] = [:]
        for item in export.items {
            result.comments += item.comments
            guard let kind = kind(of: item, skipping: &result.skipped) else { continue }
            let slug = slugs[kind, default: UniqueIDs()].claim(slug(for: item, kind: kind))
            planned.append((item, kind, slug))
            let address = ImportedDocument.address(of: kind, slug: slug)
            // `?p=` and `?page_id=` are relative: they are addresses in the old site's folder.
            for old in [item.link, item.id.map { "?p=\($0)" }, item.id.map { "?page_id=\($0)" }].compactMap({ $0 }) {
                if let key = site.key(old) { targets.pages[key] = address }
            }
        }

        var copied: Set<String> = []
        var remote: Set<String> = []
        for (item, kind, slug) in planned {
            let uses = UploadUses()
            let document = self.document(
                item, kind: kind, slug: slug, export: export, site: site, attachments: attachments, targets: targets, uses: uses)
            if document.draft { result.drafts[isUnpublished(item) ? item.status : "password-protected", default: 0] += 1 }
            if kind == .post && item.status == "future" { result.future += 1 }
            result.uploadsToCopy += uses.copied.filter { copied.insert($0).inserted }
            result.uploadsLeftRemote += uses.remote.filter { remote.insert($0).inserted }
            result.documents.append(document)
        }
        return result
    }

    private static func attachments(in export: WordPressExport) -> [Int: WordPressAttachment] {
        var attachments: [Int: WordPressAttachment] = [:]
        for item in export.items where item.type == "attachment" {
            guard let id = item.id, let url = item.attachmentURL else { continue }
            attachments[id] = WordPressAttachment(
                id: id, parent: item.parent, menuOrder: item.menuOrder, url: url, pageLink: item.link,
                alt: item.meta["_wp_attachment_image_alt"].flatMap(trimmedNonEmpty), caption: trimmedNonEmpty(item.excerpt))
        }
        return attachments
    }

    /// Posts of every state but the bin's become posts; published pages become pages. The
    /// site publishes every page it has at once, so a page that is not public on the old site
    /// (a draft, or scheduled, or behind a password) is left out rather than made public.
    private static func kind(of item: WordPressItem, skipping skipped: inout [String: Int]) -> ImportedDocument.Kind? {
        switch item.type {
        case "post" where item.status == "publish" || item.status == "future" || isUnpublished(item):
            return .post
        case "page" where item.status == "publish" && item.password == nil:
            return .page
        case "page" where item.password != nil:
            skipped["password-protected page", default: 0] += 1
        case "page" where isUnpublished(item) || item.status == "future":
            skipped["unpublished page", default: 0] += 1
        case "post", "page":
            skipped["\(item.type) (\(item.status.isEmpty ? "no status" : item.status))", default: 0] += 1
        default:
            skipped[item.type.isEmpty ? "untyped item" : item.type, default: 0] += 1
        }
        return nil
    }

    private static func isUnpublished(_ item: WordPressItem) -> Bool {
        ["draft", "pending", "private"].contains(item.status)
    }

    /// `wp:post_name`, percent-decoded as WordPress stores letters outside ASCII, else one
    /// made from the title (a draft has no name yet).
    private static func slug(for item: WordPressItem, kind: ImportedDocument.Kind) -> String {
        let name = item.name.map { Slug.make($0.removingPercentEncoding ?? $0) } ?? ""
        let slug = name.isEmpty ? Slug.make(HTMLSanitiser.plainText(html: item.title)) : name
        guard slug.isEmpty else { return slug }
        return (kind == .post ? "post-" : "page-") + (item.id.map(String.init) ?? "untitled")
    }

    private static func document(
        _ item: WordPressItem, kind: ImportedDocument.Kind, slug: String, export: WordPressExport, site: OldSite,
        attachments: [Int: WordPressAttachment], targets: Targets, uses: UploadUses
    ) -> ImportedDocument {
        let expanded = WordPressShortcodes.expand(item.content, postID: item.id, attachments: attachments)
        // Content from the block editor carries its paragraphs; only the classic editor's needs them made.
        let converted = HTMLToMarkdown.convert(
            expanded.html,
            options: .init(automaticParagraphs: !item.content.contains("<!-- wp:"), address: { targets.address(for: $0, recording: uses) }))
        var document = ImportedDocument(
            kind: kind, slug: slug, title: HTMLSanitiser.plainText(html: item.title), body: converted.markdown)

        if kind == .post {
            document.date = date(item)
            if document.date == nil { document.notes.append(.noDate) }
            if let login = item.creator { document.authors = [export.authors[login] ?? login] }
            document.addTags(tags(item))
        }
        document.summary = trimmedNonEmpty(HTMLSanitiser.plainText(html: item.excerpt))
        document.draft = isUnpublished(item) || item.password != nil
        if item.password != nil { document.notes.append(.passwordProtected) }

        let pageName = kind == .page ? item.name.map { "/" + ($0.removingPercentEncoding ?? $0) + "/" } : nil
        document.addAliases([item.link.flatMap(site.alias), item.id.map { "/?p=\($0)" }, pageName])

        document.notes += expanded.leftAsText.map(ImportNote.shortcode)
        document.notes += expanded.missingAttachments.map(ImportNote.missingAttachment)
        document.notes += converted.notes + uses.remote.map(ImportNote.remoteUpload)
        return document
    }

    /// `wp:post_date_gmt` in UTC; a draft's is all zeros, and then `wp:post_date`, which is in
    /// the old site's zone, stays a wall-clock time for the new site's zone.
    private static func date(_ item: WordPressItem) -> ImportedDocument.PublishedDate? {
        if let gmt = item.dateGMT.flatMap(WordPressDate.init) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let components = DateComponents(
                year: gmt.year, month: gmt.month, day: gmt.day, hour: gmt.hour, minute: gmt.minute, second: gmt.second)
            return calendar.date(from: components).map(ImportedDocument.PublishedDate.instant)
        }
        return item.date.flatMap(WordPressDate.init).map {
            .local(year: $0.year, month: $0.month, day: $0.day, hour: $0.hour, minute: $0.minute, second: $0.second)
        }
    }

    /// Categories and tags, as names; WordPress's default category is no one's choice.
    private static func tags(_ item: WordPressItem) -> [String] {
        item.terms.filter { ($0.domain == "category" || $0.domain == "post_tag") && $0.nicename != "uncategorized" }
            .map { HTMLSanitiser.plainText(html: $0.name) }.filter { Slug.make($0) != "uncategorized" }
    }

    /// Where links and images go on the new site.
    private struct Targets {
        let site: OldSite
        let uploads: ((String) -> Bool)?
        /// New addresses of imported posts and pages, by the key of an old address.
        var pages: [String: String] = [:]
        /// Files of attachment pages, by the key of the page's address.
        var files: [String: String] = [:]

        /// A post's old address becomes its new one, an attachment page its file, and an
        /// upload the local copy has `/uploads/<path>`; an upload it lacks keeps its absolute address.
        func address(for raw: String, recording uses: UploadUses) -> String? {
            if let page = site.newAddress(of: raw, in: pages) { return page }
            let (withoutFragment, fragment) = OldSite.splitFragment(raw)
            let target = site.key(withoutFragment).flatMap { files[$0] } ?? withoutFragment
            guard let url = site.absolute(target), let path = site.uploadPath(url) else { return raw }
            if uploads?(path) == true {
                uses.copy(path)
                return "/uploads/" + encodedPath(path)
            }
            let absolute = (url.string ?? target) + fragment
            uses.leaveRemote(absolute)
            return absolute
        }
    }
}

/// The uploads one body links to, gathered while it is converted.
private final class UploadUses {
    private(set) var copied: [String] = []
    private(set) var remote: [String] = []

    func copy(_ path: String) {
        if !copied.contains(path) { copied.append(path) }
    }

    func leaveRemote(_ url: String) {
        if !remote.contains(url) { remote.append(url) }
    }
}

/// `2016-03-01 09:30:00`, as WXR writes times; nil for the all-zero time of an unset one.
struct WordPressDate {
    var year, month, day, hour, minute, second: Int

    init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" })
            .map { Int($0) }
        guard parts.count == 6, let year = parts[0], let month = parts[1], let day = parts[2], let hour = parts[3],
            let minute = parts[4], let second = parts[5], year > 0, (1...12).contains(month),
            (1...Format.daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }
}
