import Foundation

/// When an event is: its start, and its end when written.
public struct EventSpan: Sendable, Hashable {
    public var start: EventTime
    public var end: EventTime?

    /// The moment after which the event is over: the end of its last day when it is all-day, its
    /// end time, or (with no end written) its start.
    public func finishes(in zone: TimeZone) -> Date {
        let last = end ?? start
        guard last.allDay else { return last.date.instant }
        return Calendar.gregorian(in: zone).date(byAdding: .day, value: 1, to: last.date.instant) ?? last.date.instant
    }

    /// "Saturday 19 September 2016, 9:30am to 5pm" as HTML, each part in a `<time datetime>`.
    public func html(in zone: TimeZone) -> String {
        func time(_ moment: EventTime, _ text: String) -> String {
            return "<time datetime=\"\(moment.iso(in: zone))\">\(HTML.escape(text))</time>"
        }
        let startDay = Format.weekdayLong(start.date.instant, in: zone)
        let startText = start.allDay ? startDay : "\(startDay), \(Format.clock(start.date.instant, in: zone))"
        guard let end else { return time(start, startText) }
        let endDay = Format.weekdayLong(end.date.instant, in: zone)
        let sameDay = endDay == startDay
        if sameDay, start.allDay { return time(start, startText) }
        let endText =
            end.allDay ? endDay : sameDay ? Format.clock(end.date.instant, in: zone) : "\(endDay), \(Format.clock(end.date.instant, in: zone))"
        return "\(time(start, startText)) to \(time(end, endText))"
    }
}

/// One item of a declared collection: an event, a peer group, or a type a site adds.
public struct CollectionItem: Sendable, Hashable {
    public var source: String
    public var slug: String
    public var path: String
    public var aliases: [Alias]
    public var title: String
    public var summary: String
    public var image: ShareImage?
    public var language: String?
    public var tags: [TermRef]
    public var draft: Bool
    public var updated: ContentDate?
    public var body: RenderedMarkdown
    public var fields: [String: FieldValue]
    public var extra: [DataField]
    /// For an item of a calendar.
    public var span: EventSpan?

    /// An event's `status`, or "scheduled".
    public var status: String { fields["status"]?.text ?? "scheduled" }
}

/// A declared type with its items, in the order its list shows them.
public struct Collection: Sendable {
    public var type: ContentType
    /// A calendar's by start, soonest first; any other's by title.
    public var items: [CollectionItem]
    /// A calendar's events not yet over at build time, soonest first.
    public var upcoming: [Int] = []
    /// A calendar's events that are over, most recent first.
    public var past: [Int] = []
}

public enum CollectionError: DiagnosticConvertible {
    case endBeforeStart(end: String, start: String, at: SourceLocation)
    case unknownReference(key: String, slug: String, type: String, folder: String, example: String?, at: SourceLocation)
    case pastButPostponed(title: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .endBeforeStart(end, start, location):
            Diagnostic(
                .error, code: "content.event-end",
                "end \"\(end)\" is before start \"\(start)\"; check both dates and times, and the zones", at: location)
        case let .unknownReference(key, slug, type, folder, example, location):
            Diagnostic(
                .error, code: "content.reference",
                "\(key) \"\(slug)\" is not one of the site's \(type); write the name of a file in content/\(folder)/ without .md"
                    + (example.map { ", such as \"\($0)\"" } ?? ", or add content/\(folder)/\(slug).md"),
                at: location)
        case let .pastButPostponed(title, location):
            Diagnostic(
                .warning, code: "content.event-status",
                "\"\(title)\" is marked postponed but its date has passed, so it is listed with past events; give it its new date, or mark it cancelled",
                at: location)
        }
    }
}

extension SiteModel {
    /// Every declared collection that has items, with them, and what is wrong with them.
    static func collections(
        _ documents: [ParsedDocument], types: ContentTypes, selection: ContentSelection, now: Date, timeZone: TimeZone
    ) -> ([Collection], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var collections: [Collection] = []
        for type in types.collections {
            var slugs = SlugRegistry(kind: type.name)
            var items: [CollectionItem] = []
            // By index: the loop meets every document of the site, and taking each as a value
            // copied all of it for each type.
            for index in documents.indices {
                guard case .item(let declared) = documents[index].kind, declared.name == type.name else { continue }
                if documents[index].metadata.draft && !selection.drafts { continue }
                if let clash = slugs.claim(documents[index].metadata.slug, by: documents[index].path) {
                    diagnostics.append(clash)
                    continue
                }
                let (item, found) = item(from: documents[index], type: type)
                diagnostics += found
                items.append(item)
            }
            // A type with nothing in its folder publishes nothing, not an empty section.
            guard !items.isEmpty else { continue }
            var collection = Collection(type: type, items: items)
            if type.calendar {
                collection.items.sort { ($0.span?.start.date.instant ?? .distantPast, $0.slug) < ($1.span?.start.date.instant ?? .distantPast, $1.slug) }
                for (index, item) in collection.items.enumerated() {
                    let over = (item.span?.finishes(in: timeZone) ?? .distantPast) <= now
                    if over { collection.past.insert(index, at: 0) } else { collection.upcoming.append(index) }
                    if over, item.status == "postponed" {
                        diagnostics.append(CollectionError.pastButPostponed(title: item.title, at: item.fields["status"]?.location ?? SourceLocation(file: item.source)).diagnostic)
                    }
                }
            } else {
                collection.items.sort { ($0.title.lowercased(), $0.slug) < ($1.title.lowercased(), $1.slug) }
            }
            collections.append(collection)
        }
        diagnostics += resolveReferences(in: &collections)
        return (collections, diagnostics)
    }

    private static func item(from document: ParsedDocument, type: ContentType) -> (CollectionItem, [Diagnostic]) {
        let meta = document.metadata
        var span: EventSpan?
        var diagnostics: [Diagnostic] = []
        if type.calendar, let start = document.fields["start"]?.time {
            var end = document.fields["end"]?.time
            if let written = end, written.date.instant < start.date.instant {
                diagnostics.append(
                    CollectionError.endBeforeStart(end: written.written, start: start.written, at: document.fields["end"]!.location)
                        .diagnostic)
                end = nil
            }
            span = EventSpan(start: start, end: end)
        }
        let item = CollectionItem(
            source: document.path, slug: meta.slug, path: meta.permalink ?? type.path(slug: meta.slug), aliases: meta.aliases,
            title: meta.title, summary: document.summary, image: meta.image,
            language: meta.language, tags: meta.tags.map { TermRef(name: $0, slug: Slug.make($0)) }, draft: meta.draft,
            updated: meta.updated, body: document.body, fields: document.fields, extra: meta.extra, span: span)
        return (item, diagnostics)
    }

    /// A reference names an item of another collection by slug; one that names none is an error.
    private static func resolveReferences(in collections: inout [Collection]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let slugs = Dictionary(uniqueKeysWithValues: collections.map { ($0.type.name, $0.items.map(\.slug)) })
        for collection in collections {
            for field in collection.type.fields {
                guard case .reference(let target) = field.kind, let known = slugs[target] else { continue }
                let named = Set(known)
                let folder = collections.first { $0.type.name == target }?.type.folder ?? target
                for item in collection.items {
                    guard let value = item.fields[field.name], let slug = value.text, !named.contains(slug) else { continue }
                    let example = known.min { editDistance($0, slug) < editDistance($1, slug) }
                    diagnostics.append(
                        CollectionError.unknownReference(
                            key: field.name, slug: slug, type: target, folder: folder, example: example, at: value.location
                        ).diagnostic)
                }
            }
        }
        return diagnostics
    }
}

extension Site {
    /// The collection of a type, by the type's name.
    func collection(_ name: String) -> Collection? { collections.first { $0.type.name == name } }

    /// Items of other collections whose reference fields name this item (the events a group runs).
    func referring(to item: CollectionItem, of type: ContentType) -> [(collection: Int, items: [Int])] {
        collections.indices.compactMap { c in
            let keys = collections[c].type.fields.compactMap { field -> String? in
                if case .reference(let target) = field.kind, target == type.name { field.name } else { nil }
            }
            guard !keys.isEmpty else { return nil }
            let items = collections[c].items.indices.filter { i in
                keys.contains { collections[c].items[i].fields[$0]?.text == item.slug }
            }
            return (c, items)
        }
    }
}
