import Foundation

/// LocalGov Digital Voice: the river, members, the feed health page, and the combined feeds
/// and OPML. Entry text and HTML come sanitised from the Aggregate stage; templates escape text.
extension SiteRenderer {
    func voiceJobs() -> [Job] {
        guard let voice = site.voice else { return [] }
        var jobs: [Job] = [.voiceMembers, .voiceStatus]
        jobs += voice.members.indices.filter { voice.members[$0].member.enabled }.map(Job.voiceMember)
        func paged(_ entries: [Int], year: Int?) {
            let chunks = Pagination.pages(entries, size: site.config.voice.pageSize)
            for (index, chunk) in chunks.enumerated() { jobs.append(.voice(year: year, page: index + 1, entries: chunk, pages: chunks.count)) }
        }
        paged(Array(voice.entries.indices), year: nil)
        for year in voice.years { paged(year.posts, year: year.year) }
        return jobs
    }

    private var voiceTitle: String { site.voice?.intro?.title ?? "LocalGov Digital Voice" }

    func voicePage(year: Int?, number: Int, entries: [Int], pages: Int) -> RenderedPage {
        let voice = site.voice!
        let base = year.map(Routes.voiceYear) ?? Routes.voice
        let relative = Routes.paged(base, number)
        let heading = year.map { "\(voiceTitle): posts from \($0)" } ?? voiceTitle
        let title = pages > 1 ? "\(heading) (page \(number) of \(pages))" : heading
        var context = frame(
            relative: relative, title: title, section: nil,
            description: voice.intro?.summary ?? "Posts from the blogs of \(site.config.title) members",
            language: voice.intro?.language, crumbs: year == nil ? [] : [(voiceTitle, Routes.voice)], feeds: voiceFeedLinks(),
            image: year == nil && number == 1 ? voice.intro?.image : nil)
        context["heading"] = heading
        context["intro"] = number == 1 && year == nil ? voice.intro?.body.html ?? "" : ""
        context["entries"] = entries.map { voiceEntry($0, showMember: true) }
        context["hasEntries"] = !entries.isEmpty
        context["pagination"] = Pagination(current: number, count: pages, base: base).context(routes: routes)
        context.merge(voiceLinks()) { $1 }
        let origin = year.map { "the Voice archive of \($0)" } ?? "the Voice river"
        return (relative, "voice", context, number == 1 ? origin : "page \(number) of \(origin)")
    }

    func voiceMembersPage() -> RenderedPage {
        let voice = site.voice!
        var context = frame(
            relative: Routes.voiceMembers, title: "Members", section: voiceTitle,
            description: "Everyone whose blog is part of \(voiceTitle)", crumbs: [(voiceTitle, Routes.voice)],
            feeds: voiceFeedLinks())
        context["heading"] = "\(voiceTitle) members"
        context["members"] = voice.members.filter(\.member.enabled).map { voiceMemberSummary($0) }
        context.merge(voiceLinks()) { $1 }
        return (Routes.voiceMembers, "voice-members", context, "the Voice members page")
    }

    func voiceMemberPage(_ index: Int) -> RenderedPage {
        let voice = site.voice!
        let member = voice.members[index]
        let relative = Routes.voiceMember(member.member.slug)
        var context = frame(
            relative: relative, title: member.member.name, section: voiceTitle,
            description: "Posts by \(member.member.name) in \(voiceTitle)",
            crumbs: [(voiceTitle, Routes.voice), ("Members", Routes.voiceMembers)], feeds: voiceFeedLinks())
        context["member"] = voiceMemberSummary(member)
        context["entries"] = member.entries.map { voiceEntry($0, showMember: false) }
        context["hasEntries"] = !member.entries.isEmpty
        context.merge(voiceLinks()) { $1 }
        return (relative, "voice-member", context, member.member.location.file)
    }

    func voiceStatusPage() -> RenderedPage {
        let voice = site.voice!
        var context = frame(
            relative: Routes.voiceStatus, title: "Feed status", section: voiceTitle,
            description: "When each member's feed was last fetched, and what went wrong",
            crumbs: [(voiceTitle, Routes.voice), ("Members", Routes.voiceMembers)], feeds: voiceFeedLinks())
        context["heading"] = "Feed status"
        let rows = voice.members.map { voiceStatusRow($0) }
        context["rows"] = rows
        context["problemCount"] = English.count(rows.count { $0["hasProblem"] as? Bool == true }, "feed")
        context.merge(voiceLinks()) { $1 }
        return (Routes.voiceStatus, "voice-status", context, "the Voice status page")
    }

    // MARK: Pieces

    private func voiceLinks() -> [String: Any] {
        [
            "voiceURL": routes.link(Routes.voice), "membersURL": routes.link(Routes.voiceMembers),
            "statusURL": routes.link(Routes.voiceStatus), "rssURL": routes.link(Routes.voiceRSS),
            "atomURL": routes.link(Routes.voiceAtom), "opmlURL": routes.link(Routes.voiceOPML),
            "voiceTitle": voiceTitle,
            "years": (site.voice?.years ?? []).map { ["year": $0.year, "url": routes.link(Routes.voiceYear($0.year))] as [String: Any] },
            "hasYears": site.voice?.years.isEmpty == false,
        ]
    }

    private func voiceFeedLinks() -> [[String: Any]] {
        [
            ["type": "application/rss+xml", "title": "\(voiceTitle) (RSS)", "url": routes.link(Routes.voiceRSS)],
            ["type": "application/atom+xml", "title": "\(voiceTitle) (Atom)", "url": routes.link(Routes.voiceAtom)],
        ]
    }

    private func dateContext(_ date: Date, withTime: Bool = false) -> [String: Any] {
        ["iso": Format.rfc3339(date), "long": Format.longForm(date, in: site.config.timeZone, withTime: withTime)]
    }

    /// A title to link with: a feed entry may have none, and a link needs words.
    private func displayTitle(_ entry: VoiceEntry) -> String {
        guard entry.entry.title.isEmpty else { return entry.entry.title }
        let member = site.voice!.members[entry.member].member
        return "Untitled post by \(member.name), \(Format.longForm(entry.date, in: site.config.timeZone, withTime: false))"
    }

    private func voiceEntry(_ index: Int, showMember: Bool) -> [String: Any] {
        let voice = site.voice!
        let entry = voice.entries[index]
        let member = voice.members[entry.member].member
        var context: [String: Any] = [
            "title": displayTitle(entry), "excerpt": entry.excerpt, "date": dateContext(entry.date),
            "memberName": member.name, "memberURL": routes.link(Routes.voiceMember(member.slug)), "showMember": showMember,
            "siteLang": site.config.language,
        ]
        if let link = entry.entry.link { context["url"] = link }
        if let organisation = member.organisation { context["organisation"] = organisation }
        if let author = entry.entry.author, author != member.name { context["author"] = author }
        if let language = entry.language { context["entryLang"] = language }
        return context
    }

    private func voiceMemberSummary(_ member: VoiceMember) -> [String: Any] {
        var context: [String: Any] = [
            "name": member.member.name, "url": routes.link(Routes.voiceMember(member.member.slug)),
            "blogURL": member.member.url, "feedURL": member.member.feed, "count": English.count(member.entries.count, "post"),
        ]
        if let organisation = member.member.organisation { context["organisation"] = organisation }
        if let latest = member.entries.first { context["latest"] = voiceEntry(latest, showMember: false) }
        return context
    }

    private func voiceStatusRow(_ member: VoiceMember) -> [String: Any] {
        let record = member.health.record
        var notes: [String] = []
        if !member.member.enabled { notes.append("Disabled in members.toml") }
        if record?.gone == true { notes.append("Gone: the server answered 410, so it is no longer fetched") }
        if let moved = record?.movedTo { notes.append("Moved permanently to \(moved): update members.toml") }
        if let retry = record?.retryAfter {
            notes.append("The server asked for no requests before \(Format.rfc3339(retry))")
        }
        notes += member.health.repairs.map { "Repaired to read it: \($0)" }
        let moderated = member.moderated
        if moderated.hidden > 0 { notes.append("\(English.count(moderated.hidden, "entry", plural: "entries")) hidden in members.toml") }
        if moderated.filtered > 0 {
            notes.append("\(English.count(moderated.filtered, "entry", plural: "entries")) left out by category")
        }
        if member.member.moderation.review {
            notes.append(
                "Held for review: \(English.count(moderated.held.count, "entry", plural: "entries")) kept off the river until review = true is taken out of members.toml")
        }
        if member.member.enabled {
            switch member.health.source {
            case .cache: break
            case .snapshot: notes.append("Shown from the committed snapshot: not fetched yet")
            case .none: notes.append("Not fetched yet")
            }
        }
        let error = member.health.parseError.map { "Cannot be read: \($0)" } ?? record?.lastError
        var context: [String: Any] = [
            "name": member.member.name, "feedURL": member.member.feed, "notes": notes.joined(separator: ". "),
            "hasNotes": !notes.isEmpty,
            "hasProblem": error != nil || record?.gone == true || record?.movedTo != nil || !moderated.held.isEmpty,
            "held": moderated.held.map { entry -> [String: Any] in
                var held: [String: Any] = ["title": entry.title.isEmpty ? "Untitled post" : entry.title]
                if let link = entry.link { held["url"] = link }
                if let date = entry.date { held["date"] = dateContext(date) }
                return held
            },
            "hasHeld": !moderated.held.isEmpty,
        ]
        if member.member.enabled { context["url"] = routes.link(Routes.voiceMember(member.member.slug)) }
        if let success = record?.lastSuccess { context["lastSuccess"] = dateContext(success, withTime: true) }
        if let error { context["lastError"] = error }
        return context
    }

    // MARK: Feeds and OPML

    func voiceOutputs() -> [OutputFile] {
        guard let voice = site.voice else { return [] }
        let items = Array(voice.entries.prefix(site.config.voice.feedItems))
        let content = parallelMap(items) { XML.escape($0.entry.contentHTML) }
        let description = voice.intro?.summary ?? "Posts from the blogs of \(site.config.title) members"
        let rss = zip(items, content).map { entry, escaped in
            let member = voice.members[entry.member].member
            return RSSItem(
                title: displayTitle(entry), link: entry.entry.link, guid: entry.entry.id, date: entry.date,
                authors: [entry.entry.author ?? member.name], categories: [], source: (member.name, member.feed),
                escapedContent: escaped)
        }
        let atom = zip(items, content).map { entry, escaped in
            let member = voice.members[entry.member].member
            // Atom ids must be IRIs; a feed's own id often is not, so such entries use their link,
            // or without one a name made from the member's feed and the id, the same every build.
            let id =
                URL(string: entry.entry.id)?.scheme != nil
                ? entry.entry.id
                : entry.entry.link ?? routes.absolute(Routes.voice) + "#entry-" + Hash.hex(member.feed + "\n" + entry.entry.id)
            return AtomEntry(
                title: displayTitle(entry), url: entry.entry.link, id: id, published: entry.date,
                updated: entry.entry.updated ?? entry.date, authors: [entry.entry.author ?? member.name], categories: [],
                summary: entry.excerpt, escapedContent: escaped)
        }
        return [
            OutputFile(
                path: Routes.voiceRSS,
                text: rssFeed(page: Routes.voice, path: Routes.voiceRSS, title: voiceTitle, description: description, items: rss),
                origin: "the Voice RSS feed"),
            OutputFile(
                path: Routes.voiceAtom,
                text: atomFeed(
                    page: Routes.voice, path: Routes.voiceAtom, title: voiceTitle, subtitle: description,
                    updated: items.first?.date, entries: atom),
                origin: "the Voice Atom feed"),
            OutputFile(path: Routes.voiceOPML, text: opml(voice), origin: "the Voice OPML file"),
        ]
    }

    /// OPML 2.0: every enabled member's feed, for readers to subscribe to all of them at once.
    private func opml(_ voice: Voice) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <opml version="2.0">
            <head>
            <title>\(XML.escape(voiceTitle)) members</title>

            """
        if let newest = voice.entries.first { xml += "<dateModified>\(Format.rfc822(newest.date))</dateModified>\n" }
        xml += "<ownerName>\(XML.escape(site.config.title))</ownerName>\n"
        xml += "<docs>http://opml.org/spec2.opml</docs>\n</head>\n<body>\n"
        for member in voice.members where member.member.enabled && member.health.record?.gone != true {
            let name = XML.escape(member.member.name)
            xml += "<outline type=\"rss\" text=\"\(name)\" title=\"\(name)\" xmlUrl=\"\(XML.escape(member.member.feed))\" "
            xml += "htmlUrl=\"\(XML.escape(member.member.url))\""
            if let organisation = member.member.organisation { xml += " description=\"\(XML.escape(organisation))\"" }
            xml += "/>\n"
        }
        return xml + "</body>\n</opml>\n"
    }
}
