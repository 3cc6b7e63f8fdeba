import Foundation

/// The pages, feeds and calendars of every declared collection, made from its declaration:
/// nothing here names events or groups.
extension SiteRenderer {
    func collectionJobs() -> [Job] {
        site.collections.indices.flatMap { c -> [Job] in
            let collection = site.collections[c]
            var jobs = collection.items.indices.map { Job.item(collection: c, item: $0) }
            if collection.type.listAddress != nil { jobs.append(.collectionList(c)) }
            if collection.type.calendar { jobs.append(.pastEvents(c)) }
            return jobs
        }
    }

    /// The section's title in the words of a page in `language`.
    func sectionTitle(_ type: ContentType, language: String? = nil) -> String {
        type.title(in: theme.strings(for: language ?? site.config.language))
    }

    func itemPage(collection c: Int, item i: Int) -> RenderedPage {
        let collection = site.collections[c]
        let type = collection.type
        let item = collection.items[i]
        let section = sectionTitle(type, language: item.language)
        let crumbs = type.listAddress.map { [(section, $0)] } ?? []
        var context = frame(
            relative: item.path, title: item.title, section: section, description: item.summary, language: item.language,
            crumbs: crumbs, feeds: collectionFeedLinks(type), image: item.image,
            kind: item.span.map { _ in .event(details: eventStructuredData(item)) })
        var entry = document(item.body, item.extra).merging(["title": item.title, "summary": item.summary]) { $1 }
        entry["fields"] = fields(of: item, type: type)
        entry["tags"] = item.tags.map(\.name)
        entry["hasTags"] = !item.tags.isEmpty
        if type.calendar { entry["event"] = event(item, type: type, on: item.language) }
        context["item"] = entry
        context["related"] = site.referring(to: item, of: type).map { referring in
            relatedContext(site.collections[referring.collection], items: referring.items, on: item.language)
        }
        if let list = type.listAddress { context["listURL"] = routes.link(list) }
        return (item.path, type.template, context, item.source)
    }

    func collectionListPage(_ c: Int) -> RenderedPage {
        let collection = site.collections[c]
        let type = collection.type
        let relative = type.listAddress!
        let heading = sectionTitle(type)
        var context = frame(
            relative: relative, title: heading, section: nil, description: "\(heading) on \(site.config.title)",
            feeds: collectionFeedLinks(type))
        context["heading"] = heading
        if type.calendar {
            context["items"] = collection.upcoming.map { summary(collection.items[$0], type: type) }
            context["hasItems"] = !collection.upcoming.isEmpty
            context["pastURL"] = type.pastAddress.map(routes.link)
            context["hasPast"] = !collection.past.isEmpty
            context["pastCount"] = collection.past.count
            context["calendarURL"] = routes.link(Self.calendarPath(type))
        } else if let key = type.groupBy {
            let words = theme.strings(for: site.config.language)
            let grouped = Dictionary(grouping: collection.items.indices) { collection.items[$0].fields[key]?.text ?? "" }
            context["groups"] = grouped.keys.sorted { ($0.isEmpty ? 1 : 0, $0) < ($1.isEmpty ? 1 : 0, $1) }.map { name -> [String: Any] in
                let label = name.isEmpty ? words["list_other"] ?? "Other" : name
                return [
                    "name": label, "id": "\(type.groupBy ?? "group")-\(Slug.make(label))", "items": grouped[name]!.map { summary(collection.items[$0], type: type) },
                ]
            }
            context["hasItems"] = !collection.items.isEmpty
        } else {
            context["items"] = collection.items.map { summary($0, type: type) }
            context["hasItems"] = !collection.items.isEmpty
        }
        return (relative, type.listTemplate ?? type.name, context, "the list of \(type.name)")
    }

    /// A calendar's events that are over, by year, most recent first.
    func pastEventsPage(_ c: Int) -> RenderedPage {
        let collection = site.collections[c]
        let type = collection.type
        let relative = type.pastAddress!
        let words = theme.strings(for: site.config.language)
        let section = sectionTitle(type)
        let heading = words[type.titleKey + "_past"] ?? "Past \(section.lowercased())"
        var context = frame(
            relative: relative, title: heading, section: nil, description: "\(heading) on \(site.config.title)",
            crumbs: type.listAddress.map { [(section, $0)] } ?? [], feeds: collectionFeedLinks(type))
        context["heading"] = heading
        var years: [(Int, [Int])] = []
        for index in collection.past {
            let year = collection.items[index].span?.start.date.year ?? 0
            if years.last?.0 == year { years[years.count - 1].1.append(index) } else { years.append((year, [index])) }
        }
        context["years"] = years.map { year, items -> [String: Any] in
            ["year": year, "id": "year-\(year)", "items": items.map { summary(collection.items[$0], type: type, level: 3) }]
        }
        context["hasItems"] = !collection.past.isEmpty
        if let list = type.listAddress { context["listURL"] = routes.link(list) }
        return (relative, type.pastTemplate ?? type.name, context, "the past \(type.name)")
    }

    /// The first calendar's next events, for the home page.
    func nextEvents(limit: Int = 3) -> [String: Any]? {
        guard let collection = site.collections.first(where: { $0.type.calendar && !$0.items.isEmpty }) else { return nil }
        let type = collection.type
        let items = collection.upcoming.prefix(limit).map { summary(collection.items[$0], type: type, level: 3) }
        var context: [String: Any] = [
            "heading": theme.strings(for: site.config.language)[type.titleKey + "_next"] ?? "Next \(sectionTitle(type).lowercased())",
            "items": Array(items), "hasItems": !items.isEmpty,
        ]
        if let list = type.listAddress { context["url"] = routes.link(list) }
        if let past = type.pastAddress { context["pastURL"] = routes.link(past) }
        return context
    }

    // MARK: Pieces

    /// An item as a list shows it: its title, link and summary; an event's when, where and status.
    private func summary(_ item: CollectionItem, type: ContentType, level: Int = 2, on language: String? = nil) -> [String: Any] {
        var context: [String: Any] = [
            "title": item.title, "url": routes.link(item.path), "summary": item.summary, "level": level,
            "fields": fields(of: item, type: type),
        ]
        if type.calendar { context["event"] = event(item, type: type, on: language) }
        if let language = differingLanguage(item.language, on: language) { context["itemLang"] = language }
        return context
    }

    private func relatedContext(_ collection: Collection, items: [Int], on language: String?) -> [String: Any] {
        let type = collection.type
        let words = theme.strings(for: language ?? site.config.language)
        let heading = sectionTitle(type, language: language)
        let level = type.calendar ? 4 : 3
        let summaries = { (indices: [Int]) in indices.map { self.summary(collection.items[$0], type: type, level: level, on: language) } }
        let chosen = Set(items)
        var context: [String: Any] = ["heading": heading, "id": "related-\(type.name)", "hasItems": !items.isEmpty]
        if type.calendar {
            let upcoming = collection.upcoming.filter(chosen.contains)
            let past = collection.past.filter(chosen.contains)
            context["upcoming"] = summaries(upcoming)
            context["hasUpcoming"] = !upcoming.isEmpty
            context["past"] = summaries(past)
            context["hasPast"] = !past.isEmpty
            context["upcomingHeading"] = words[type.titleKey + "_next"] ?? "Next \(heading.lowercased())"
            context["pastHeading"] = words[type.titleKey + "_past"] ?? "Past \(heading.lowercased())"
        } else {
            context["items"] = summaries(items)
        }
        return context
    }

    /// Each declared field as templates use it (`{{fields.region}}`, `{{fields.venue.name}}`,
    /// `{{fields.booking.url}}`); references become the named item's title and link.
    private func fields(of item: CollectionItem, type: ContentType) -> [String: Any] {
        var context: [String: Any] = [:]
        for declaration in type.fields {
            guard let value = item.fields[declaration.name] else { continue }
            switch value.value {
            case .text(let text): context[declaration.name] = text
            case .link(let url): context[declaration.name] = ["url": routes.rootRelative(url), "text": url]
            case .list(let items): context[declaration.name] = items
            case .time(let time):
                context[declaration.name] = [
                    "iso": time.iso(in: site.config.timeZone),
                    "long": Format.weekdayLong(time.date.instant, in: site.config.timeZone), "allDay": time.allDay,
                ]
            case .table(let parts): context[declaration.name] = Dictionary(uniqueKeysWithValues: parts.map { ($0.key, $0.text) })
            case .reference(let slug):
                guard case .reference(let target) = declaration.kind,
                    let named = site.collection(target)?.items.first(where: { $0.slug == slug })
                else { continue }
                context[declaration.name] = ["title": named.title, "url": routes.link(named.path), "slug": slug]
            }
        }
        return context
    }

    /// When, where and how to go: what every view of an event shows.
    private func event(_ item: CollectionItem, type: ContentType, on language: String?) -> [String: Any] {
        let words = theme.strings(for: language ?? site.config.language)
        let status = item.status
        var context: [String: Any] = [
            "when": item.span?.html(in: site.config.timeZone) ?? "",
            "status": status, "statusLabel": words["status_\(status.replacingOccurrences(of: "-", with: "_"))"] ?? status,
            "isScheduled": status == "scheduled", "isCancelled": status == "cancelled",
            "calendarURL": routes.link(Self.calendarPath(item)),
        ]
        if let name = item.fields["venue"]?.part("name") {
            var venue: [String: Any] = ["name": name]
            if let address = item.fields["venue"]?.part("address") { venue["address"] = address }
            context["venue"] = venue
        }
        if let online = item.fields["online"]?.text { context["online"] = ["url": routes.rootRelative(online)] }
        if let booking = item.fields["booking"]?.text { context["booking"] = ["url": routes.rootRelative(booking)] }
        return context
    }

    /// schema.org `Event` facts beyond name, description, address and image (`SharingCard` adds those).
    private func eventStructuredData(_ item: CollectionItem) -> [String: JSONValue] {
        let zone = site.config.timeZone
        let statuses = [
            "scheduled": "EventScheduled", "cancelled": "EventCancelled", "postponed": "EventPostponed",
            "moved-online": "EventMovedOnline",
        ]
        var details: [String: JSONValue] = [
            "eventStatus": .text("https://schema.org/\(statuses[item.status] ?? "EventScheduled")")
        ]
        if let span = item.span {
            details["startDate"] = .text(span.start.iso(in: zone))
            if let end = span.end { details["endDate"] = .text(end.iso(in: zone)) }
        }
        var locations: [JSONValue] = []
        let venue = item.fields["venue"]
        let place = item.status == "moved-online" ? nil : venue?.part("name") ?? item.fields["region"]?.text
        if let name = place {
            var place: [String: JSONValue] = ["@type": "Place", "name": .text(name)]
            if let address = venue?.part("address") { place["address"] = .text(address) }
            locations.append(.object(place))
        }
        if let online = item.fields["online"]?.text {
            locations.append(["@type": "VirtualLocation", "url": .text(routes.absoluteLink(routes.rootRelative(online)))])
        }
        if !locations.isEmpty { details["location"] = locations.count == 1 ? locations[0] : .list(locations) }
        let online = item.fields["online"] != nil || item.status == "moved-online"
        let offline = place != nil
        let mode = online && offline ? "MixedEventAttendanceMode" : online ? "OnlineEventAttendanceMode" : "OfflineEventAttendanceMode"
        details["eventAttendanceMode"] = .text("https://schema.org/\(mode)")
        if let organiser = item.fields["organiser"]?.text { details["organizer"] = ["@type": "Organization", "name": .text(organiser)] }
        if let booking = item.fields["booking"]?.text {
            details["offers"] = ["@type": "Offer", "url": .text(routes.absoluteLink(routes.rootRelative(booking)))]
        }
        return details
    }

    private func collectionFeedLinks(_ type: ContentType) -> [[String: Any]] {
        guard type.feed, let list = type.listAddress else { return blogFeedLinks() }
        return blogFeedLinks() + [
            [
                "type": "application/atom+xml", "title": "\(site.config.title): \(sectionTitle(type)) (Atom)",
                "url": routes.link(list + "atom.xml"),
            ]
        ]
    }

    // MARK: Feeds and calendars

    /// An Atom feed for each collection that asks for one, and iCalendar files for each calendar.
    func collectionOutputs() -> [OutputFile] {
        site.collections.flatMap { collection -> [OutputFile] in
            let type = collection.type
            var files: [OutputFile] = []
            if type.feed, let list = type.listAddress { files.append(collectionFeed(collection, list: list)) }
            if type.calendar {
                let calendar = ICalendar(site: site, routes: routes)
                files += collection.items.map { item in
                    OutputFile(path: Self.calendarPath(item), text: calendar.file(events: [item], type: type, title: sectionTitle(type)), origin: item.source)
                }
                files.append(
                    OutputFile(
                        path: Self.calendarPath(type), text: calendar.file(events: collection.items, type: type, title: sectionTitle(type)),
                        origin: "the calendar of \(type.name)"))
            }
            return files
        }
    }

    /// Newest first: the latest start, or for other collections the latest update.
    private func collectionFeed(_ collection: Collection, list: String) -> OutputFile {
        let type = collection.type
        func when(_ item: CollectionItem) -> Date { item.updated?.instant ?? item.span?.start.date.instant ?? Date(timeIntervalSince1970: 0) }
        let limit = site.config.blog.feedItems
        let ordered = collection.items.sorted { (when($0), $0.slug) > (when($1), $1.slug) }
        let items = limit == 0 ? ordered : Array(ordered.prefix(limit))
        let entries = items.map { item in
            let url = routes.absolute(item.path)
            let dateLine = item.span.map { "<p>\($0.html(in: site.config.timeZone))</p>\n" } ?? ""
            return AtomEntry(
                title: item.title, url: url, id: url, published: when(item), updated: when(item), authors: [],
                categories: item.tags.map { ($0.slug, $0.name) }, summary: item.summary,
                escapedContent: XML.escape(routes.absolutising(dateLine + item.body.html)))
        }
        let title = "\(site.config.title): \(sectionTitle(type))"
        return OutputFile(
            path: list + "atom.xml",
            text: atomFeed(
                page: list, path: list + "atom.xml", title: title, subtitle: "", updated: items.first.map(when), entries: entries),
            origin: "the feed of \(type.name)")
    }

    /// `events/x/` → `events/x.ics`.
    static func calendarPath(_ item: CollectionItem) -> String {
        (item.path.hasSuffix("/") ? String(item.path.dropLast()) : item.path) + ".ics"
    }

    /// `events/events.ics`: every event of the type in one file.
    static func calendarPath(_ type: ContentType) -> String { (type.listAddress ?? "\(type.folder)/") + "\(type.name).ics" }
}
