import Foundation

/// The Standard's and the principles' pages, feed and open-data exports.
extension SiteRenderer {
    func standardJobs() -> [Job] {
        var jobs: [Job] = []
        if let standard = site.standard {
            jobs += [.standardIndex, .wholeStandard]
            if !standard.changeLog.isEmpty { jobs.append(.standardChanges) }
            jobs += standard.points.indices.map(Job.point)
        }
        if let principles = site.principles {
            jobs.append(.principlesIndex)
            if principles.sets.count > 1 { jobs += principles.sets.indices.map(Job.principleSet) }
        }
        return jobs
    }

    func standardIndexPage() -> RenderedPage {
        let standard = site.standard!
        var context = frame(
            relative: Routes.standard, title: standard.title, section: nil,
            description: standard.intro?.summary ?? "", language: standard.intro?.language,
            feeds: standardFeedLinks(), image: standard.intro?.image)
        context["intro"] = standard.intro?.body.html ?? ""
        context["points"] = standard.points.map { pointSummary($0) }
        context["pointCount"] = standard.points.count
        context["allURL"] = routes.link(Routes.wholeStandard)
        context["feedURL"] = routes.link(Routes.standardFeed)
        context["jsonURL"] = routes.link(Routes.standardData)
        context["revision"] = revision(version: standard.version, changes: [])
        return (
            Routes.standard, "standard", context, standard.intro?.source ?? "the Standard's contents page"
        )
    }

    /// Every change note, by version, newest first: what changed in the Standard and its guidance.
    func standardChangesPage() -> RenderedPage {
        let standard = site.standard!
        var context = frame(
            relative: Routes.standardChanges, title: "Changes to the Standard", section: standard.title,
            description: "What changed in each version of \(standard.title) and its guidance",
            language: standard.intro?.language, crumbs: [(standard.title, Routes.standard)],
            feeds: standardFeedLinks())
        if let version = standard.version { context["current"] = ["label": Self.versionLabel(version, inSentence: true)] }
        context["feedURL"] = routes.link(Routes.standardFeed)
        context["versions"] = standard.changeLog.map { group -> [String: Any] in
            [
                "label": Self.versionLabel(group.version), "id": "version-\(Slug.make(group.version))",
                "isCurrent": group.version == standard.version,
                "changes": group.changes.map { change -> [String: Any] in
                    var entry: [String: Any] = [
                        "date": ["iso": change.note.date.isoDay, "long": change.note.date.longForm], "note": change.note.note,
                    ]
                    if let index = change.point { entry["point"] = pointSummary(standard.points[index]) }
                    return entry
                },
            ]
        }
        return (Routes.standardChanges, "standard-changes", context, "the Standard's changes page")
    }

    /// "1" reads as "Version 1" (in a sentence, "version 1"); a name such as "Draft" stands as it is.
    static func versionLabel(_ version: String, inSentence: Bool = false) -> String {
        version.first?.isNumber == true ? "\(inSentence ? "version" : "Version") \(version)" : version
    }

    /// A version and, when the site keeps a change log, the link to it; empty when neither is known.
    private func revision(version: String?, changes: [ChangeNote]) -> [String: Any] {
        var context: [String: Any] = [:]
        if let version { context["version"] = Self.versionLabel(version, inSentence: true) }
        let hasLog = !(site.standard?.changeLog.isEmpty ?? true)
        if hasLog { context["changesURL"] = routes.link(Routes.standardChanges) }
        context["changes"] = changes.map { ["date": ["iso": $0.date.isoDay, "long": $0.date.longForm], "note": $0.note] }
        context["hasChanges"] = !changes.isEmpty
        context["hasRevision"] = version != nil || hasLog
        return context
    }

    func pointPage(_ index: Int) -> RenderedPage {
        let standard = site.standard!
        let point = standard.points[index]
        let relative = Routes.point(point.slug)
        var context = frame(
            relative: relative, title: point.title, section: standard.title, description: point.summary,
            language: point.language, crumbs: [(standard.title, Routes.standard)],
            feeds: standardFeedLinks(), image: point.image)
        var entry = pointSummary(point).merging(document(point.body, point.extra)) { $1 }
        entry["count"] = standard.points.count
        entry["revision"] = revision(version: point.version, changes: point.changes)
        context["point"] = entry
        if index > 0 { context["previous"] = pointSummary(standard.points[index - 1]) }
        if index + 1 < standard.points.count {
            context["next"] = pointSummary(standard.points[index + 1])
        }
        context["hasNeighbours"] = standard.points.count > 1
        context["allURL"] = routes.link(Routes.wholeStandard)
        return (relative, "point", context, point.source)
    }

    func wholeStandardPage() -> RenderedPage {
        let standard = site.standard!
        var context = frame(
            relative: Routes.wholeStandard, title: "All points on one page", section: standard.title,
            description: "Every point of \(standard.title) on one page, for reading offline and printing",
            language: standard.intro?.language, crumbs: [(standard.title, Routes.standard)],
            feeds: standardFeedLinks())
        context["heading"] = standard.title
        context["intro"] = standard.intro?.body.html ?? ""
        context["toc"] = standard.points.map {
            ["text": "\($0.number). \($0.title)", "id": "point-\($0.number)", "hasChildren": false]
        }
        context["hasToc"] = !standard.points.isEmpty
        context["points"] = standard.points.map { point -> [String: Any] in
            var entry = pointSummary(point)
            entry["count"] = standard.points.count
            entry["anchor"] = "point-\(point.number)"
            entry["content"] = Self.nested(point.body.html, idPrefix: "point-\(point.number)-")
            return entry
        }
        return (Routes.wholeStandard, "standard-all", context, "the one-page Standard")
    }

    func principlesIndexPage() -> RenderedPage {
        let principles = site.principles!
        var context = frame(
            relative: Routes.principlesIndex, title: principles.title, section: nil,
            description: principles.intro?.summary ?? "", language: principles.intro?.language,
            image: principles.intro?.image)
        context["intro"] = principles.intro?.body.html ?? ""
        if principles.sets.count == 1 {
            context["set"] = principleSet(principles.sets[0], words: context["t"] as? [String: String] ?? [:])
        } else {
            context["sets"] = principles.sets.map {
                [
                    "title": $0.title,
                    "url": routes.link(Routes.principles($0.slug, setCount: principles.sets.count)),
                ]
            }
            context["hasSets"] = !principles.sets.isEmpty
        }
        return (
            Routes.principlesIndex, "principles", context,
            principles.intro?.source ?? "the principles page"
        )
    }

    func principleSetPage(_ index: Int) -> RenderedPage {
        let principles = site.principles!
        let set = principles.sets[index]
        let relative = Routes.principles(set.slug, setCount: principles.sets.count)
        var context = frame(
            relative: relative, title: set.title, section: principles.title,
            description: Summary.of(set.intro.firstParagraph),
            crumbs: [(principles.title, Routes.principlesIndex)])
        context["intro"] = ""
        context["set"] = principleSet(set, words: context["t"] as? [String: String] ?? [:])
        return (relative, "principles", context, set.source)
    }

    private func pointSummary(_ point: StandardPoint) -> [String: Any] {
        [
            "number": point.number, "title": point.title, "summary": point.summary,
            "url": routes.link(Routes.point(point.slug)),
            "reviewed": ["iso": point.reviewed.isoDay, "long": point.reviewed.longForm],
            "status": point.status ?? "", "hasStatus": point.status != nil,
        ]
    }

    private func principleSet(_ set: PrincipleSet, words: [String: String]) -> [String: Any] {
        var meta: [String: Any] = [:]
        if let status = set.status { meta["status"] = words["principles_\(status.rawValue)"] ?? status.rawValue }
        if let date = set.date { meta["date"] = ["iso": date.isoDay, "long": date.longForm] }
        meta["credits"] = set.credits.map { credit -> [String: Any] in
            var entry: [String: Any] = ["name": credit.name]
            if let role = credit.role { entry["role"] = role }
            return entry
        }
        meta["hasCredits"] = !set.credits.isEmpty
        return [
            "meta": meta, "hasMeta": set.status != nil || set.date != nil || !set.credits.isEmpty,
            "title": set.title, "intro": set.intro.html, "hasIntro": !set.intro.html.isEmpty,
            "jsonURL": routes.link(Routes.principlesData(set.slug, format: "json")),
            "csvURL": routes.link(Routes.principlesData(set.slug, format: "csv")),
            "rows": set.rows.map { row -> [String: Any] in
                [
                    "id": row.id, "traditional": Self.inline(row.traditional.rendered.html),
                    "principle": Self.inline(row.principle.rendered.html),
                    "practice": row.practice.rendered.html,
                ]
            },
        ]
    }

    private func standardFeedLinks() -> [[String: Any]] {
        [
            [
                "type": "application/atom+xml", "title": "Changes to \(site.standard!.title) (Atom)",
                "url": routes.link(Routes.standardFeed),
            ]
        ]
    }

    /// A cell of one paragraph reads better without it, and a row header may not hold one in
    /// some older screen readers' table modes; several paragraphs or a list stay as they are.
    static func inline(_ html: String) -> String {
        guard html.hasPrefix("<p>"), html.hasSuffix("</p>\n") else { return html }
        let inner = html.dropFirst(3).dropLast(5)
        return inner.contains("<p>") ? html : String(inner)
    }

    /// One point's guidance inside the one-page Standard: its headings go one level down (they
    /// sit under the point's own h2), and its ids and in-page links get the point's prefix so
    /// that fifteen "Why it matters" headings stay distinct.
    static func nested(_ html: String, idPrefix: String) -> String {
        var rewrites: [(String, String)] = []
        for level in 1...6 {
            let lower = min(level + 1, 6)
            rewrites += [("<h\(level)", "<h\(lower)"), ("</h\(level)", "</h\(lower)")]
        }
        rewrites += [(" id=\"", " id=\"\(idPrefix)"), (" href=\"#", " href=\"#\(idPrefix)")]
        return TextRewriter(rewrites).apply(to: html)
    }

    // MARK: Feed and exports

    func standardOutputs() -> [OutputFile] {
        var files: [OutputFile] = []
        if let standard = site.standard {
            files.append(standardFeed(standard))
            let points = standard.points.map {
                PointExport(
                    point: $0.number, title: $0.title, summary: $0.summary,
                    url: routes.absolute(Routes.point($0.slug)),
                    reviewed: $0.reviewed.isoDay, status: $0.status, version: $0.version,
                    changes: $0.changes.map(ChangeExport.init))
            }
            let changes = standard.changeLog.flatMap(\.changes).filter { $0.point == nil }.map { ChangeExport($0.note) }
            files.append(
                OutputFile(
                    path: Routes.standardData,
                    bytes: Self.json(
                        StandardExport(
                            title: standard.title, url: routes.absolute(Routes.standard), version: standard.version,
                            changes: changes, points: points)),
                    origin: "the Standard's JSON export"))
        }
        for set in site.principles?.sets ?? [] {
            let page = routes.absolute(Routes.principles(set.slug, setCount: site.principles!.sets.count))
            let rows = set.rows.map {
                RowExport(
                    id: $0.id, traditional: $0.traditional.markdown, principle: $0.principle.markdown,
                    practice: $0.practice.markdown, url: "\(page)#\($0.id)")
            }
            files.append(
                OutputFile(
                    path: Routes.principlesData(set.slug, format: "json"),
                    bytes: Self.json(
                        SetExport(
                            title: set.title, url: page, status: set.status?.rawValue, date: set.date?.isoDay,
                            credits: set.credits.map { CreditExport(name: $0.name, role: $0.role) }, rows: rows)),
                    origin: "the JSON export of \(set.source)"))
            let header = ["id", "traditional", "principle", "practice", "url"]
            let records =
                [header] + rows.map { [$0.id, $0.traditional, $0.principle, $0.practice, $0.url] }
            files.append(
                OutputFile(
                    path: Routes.principlesData(set.slug, format: "csv"), text: CSV.document(records),
                    origin: "the CSV export of \(set.source)"))
        }
        return files
    }

    /// Atom, newest first: one entry per review of a point (its id carries the review date, so a
    /// point reviewed again is a new entry) and one per change note, so readers see every change.
    private func standardFeed(_ standard: Standard) -> OutputFile {
        var dated: [(date: ContentDate, order: Int, entry: AtomEntry)] = standard.points.map { point in
            let url = routes.absolute(Routes.point(point.slug))
            return (
                point.reviewed, 1_000_000 + point.number,
                AtomEntry(
                    title: "Point \(point.number): \(point.title)", url: url,
                    id: "\(url)#reviewed-\(point.reviewed.isoDay)",
                    published: point.reviewed.instant, updated: point.reviewed.instant, authors: [],
                    categories: [],
                    summary: point.summary, escapedContent: XML.escape(routes.absolutising(point.body.html)))
            )
        }
        let changesPage = routes.absolute(Routes.standardChanges)
        for (position, change) in standard.changeLog.flatMap(\.changes).enumerated() {
            let point = change.point.map { standard.points[$0] }
            let subject = point.map { "Point \($0.number): \($0.title)" } ?? standard.title
            let label = Self.versionLabel(change.note.version)
            dated.append(
                (
                    change.note.date, position,
                    AtomEntry(
                        title: "\(label): \(subject)",
                        url: point.map { routes.absolute(Routes.point($0.slug)) }
                            ?? "\(changesPage)#version-\(Slug.make(change.note.version))",
                        // Named by what it says, so the id stays as notes are added around it.
                        id: "\(changesPage)#\(Slug.make(change.note.version))-\(change.note.date.isoDay)-\(point?.number ?? 0)-"
                            + String(Slug.make(change.note.note).prefix(48)),
                        published: change.note.date.instant, updated: change.note.date.instant, authors: [],
                        categories: [], summary: change.note.note,
                        escapedContent: XML.escape("<p>" + HTML.escape(change.note.note) + "</p>"))
                ))
        }
        let entries = dated.sorted { ($0.date.instant, $1.order) > ($1.date.instant, $0.order) }.map(\.entry)
        let xml = atomFeed(
            page: Routes.standard, path: Routes.standardFeed, title: "Changes to \(standard.title)",
            subtitle: "Points of the Standard as they are reviewed, and notes of what changed in each version",
            updated: entries.first?.updated, entries: entries)
        return OutputFile(path: Routes.standardFeed, text: xml, origin: "the Standard's feed")
    }

    private struct ChangeExport: Encodable {
        var version: String
        var date: String
        var note: String

        init(_ note: ChangeNote) {
            (version, date, self.note) = (note.version, note.date.isoDay, note.note)
        }
    }

    private struct PointExport: Encodable {
        var point: Int
        var title: String
        var summary: String
        var url: String
        var reviewed: String
        var status: String?
        var version: String?
        var changes: [ChangeExport]
    }

    private struct StandardExport: Encodable {
        var title: String
        var url: String
        var version: String?
        var changes: [ChangeExport]
        var points: [PointExport]
    }

    private struct CreditExport: Encodable {
        var name: String
        var role: String?
    }

    private struct RowExport: Encodable {
        var id: String
        var traditional: String
        var principle: String
        var practice: String
        var url: String
    }

    private struct SetExport: Encodable {
        var title: String
        var url: String
        var status: String?
        var date: String?
        var credits: [CreditExport]
        var rows: [RowExport]
    }

    private static func json(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { $0 + Data("\n".utf8) } ?? Data()
    }
}

/// RFC 4180: records end in CRLF; a field with a comma, quote or line break is quoted, and its
/// quotes doubled.
enum CSV {
    static func document(_ records: [[String]]) -> String {
        records.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ text: String) -> String {
        guard
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
