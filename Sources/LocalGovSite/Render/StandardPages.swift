import Foundation

/// The Standard's and the principles' pages, feed and open-data exports.
extension SiteRenderer {
    func standardJobs() -> [Job] {
        var jobs: [Job] = []
        if let standard = site.standard {
            jobs += [.standardIndex, .wholeStandard]
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
            feeds: standardFeedLinks())
        context["intro"] = standard.intro?.body.html ?? ""
        context["points"] = standard.points.map { pointSummary($0) }
        context["pointCount"] = standard.points.count
        context["allURL"] = routes.link(Routes.wholeStandard)
        context["feedURL"] = routes.link(Routes.standardFeed)
        context["jsonURL"] = routes.link(Routes.standardData)
        return (
            Routes.standard, "standard", context, standard.intro?.source ?? "the Standard's contents page"
        )
    }

    func pointPage(_ index: Int) -> RenderedPage {
        let standard = site.standard!
        let point = standard.points[index]
        let relative = Routes.point(point.slug)
        var context = frame(
            relative: relative, title: point.title, section: standard.title, description: point.summary,
            language: point.language, crumbs: [(standard.title, Routes.standard)],
            feeds: standardFeedLinks())
        var entry = pointSummary(point).merging(document(point.body, point.extra)) { $1 }
        entry["count"] = standard.points.count
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
            description: principles.intro?.summary ?? "", language: principles.intro?.language)
        context["intro"] = principles.intro?.body.html ?? ""
        if principles.sets.count == 1 {
            context["set"] = principleSet(principles.sets[0])
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
            description: SiteModel.summarise(set.intro.firstParagraph),
            crumbs: [(principles.title, Routes.principlesIndex)])
        context["intro"] = ""
        context["set"] = principleSet(set)
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

    private func principleSet(_ set: PrincipleSet) -> [String: Any] {
        return [
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
                    reviewed: $0.reviewed.isoDay, status: $0.status)
            }
            files.append(
                OutputFile(
                    path: Routes.standardData,
                    bytes: Self.json(
                        StandardExport(
                            title: standard.title, url: routes.absolute(Routes.standard), points: points)),
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
                    bytes: Self.json(SetExport(title: set.title, url: page, rows: rows)),
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

    /// Atom, one entry per point, newest review first: a point reviewed again is a new entry
    /// (its id carries the review date), so readers see every change to the guidance.
    private func standardFeed(_ standard: Standard) -> OutputFile {
        let byReview = standard.points.sorted {
            ($0.reviewed.instant, $1.number) > ($1.reviewed.instant, $0.number)
        }
        let entries = byReview.map { point in
            let url = routes.absolute(Routes.point(point.slug))
            return AtomEntry(
                title: "Point \(point.number): \(point.title)", url: url,
                id: "\(url)#reviewed-\(point.reviewed.isoDay)",
                published: point.reviewed.instant, updated: point.reviewed.instant, authors: [],
                categories: [],
                summary: point.summary, escapedContent: XML.escape(routes.absolutising(point.body.html)))
        }
        let xml = atomFeed(
            page: Routes.standard, path: Routes.standardFeed, title: "Changes to \(standard.title)",
            subtitle: "Points of the Standard as they are reviewed",
            updated: byReview.first?.reviewed.instant, entries: entries)
        return OutputFile(path: Routes.standardFeed, text: xml, origin: "the Standard's feed")
    }

    private struct PointExport: Encodable {
        var point: Int
        var title: String
        var summary: String
        var url: String
        var reviewed: String
        var status: String?
    }

    private struct StandardExport: Encodable {
        var title: String
        var url: String
        var points: [PointExport]
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
