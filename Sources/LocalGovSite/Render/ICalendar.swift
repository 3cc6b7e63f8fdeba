import Foundation

/// iCalendar (RFC 5545) files of events, for adding one event or subscribing to all: written
/// directly, as feeds are, so that escaping, line folding and CRLF are always right.
struct ICalendar {
    let site: Site
    let routes: Routes

    /// One `VCALENDAR` holding a `VEVENT` for each item, in the order given.
    func file(events items: [CollectionItem], type: ContentType, title: String) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//\(Self.text(site.config.title))//localgov//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(Self.text("\(site.config.title): \(title)"))",
        ]
        for item in items { lines += event(item, type: type) }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    private func event(_ item: CollectionItem, type: ContentType) -> [String] {
        guard let span = item.span else { return [] }
        let url = routes.absolute(item.path)
        let host = URL(string: site.config.baseURL)?.host ?? "localhost"
        var lines = [
            "BEGIN:VEVENT",
            // Stable across builds and edits: the type and slug name the event, the host the site.
            "UID:\(Self.text("\(type.name)-\(item.slug)@\(host)"))",
            // When this description of the event was last changed: its `updated`, else its start,
            // never the build's clock, so unchanged events give unchanged files.
            "DTSTAMP:\(Self.utc(item.updated?.instant ?? span.start.date.instant))",
        ]
        if span.start.allDay {
            lines.append("DTSTART;VALUE=DATE:\(Self.day(span.start))")
            // An all-day end is exclusive in iCalendar: the day after the last day.
            let last = span.end ?? span.start
            let after = Calendar.gregorian(in: site.config.timeZone).date(byAdding: .day, value: 1, to: last.date.instant)!
            lines.append("DTEND;VALUE=DATE:\(Format.isoDay(after, in: site.config.timeZone).replacingOccurrences(of: "-", with: ""))")
        } else {
            lines.append("DTSTART:\(Self.utc(span.start.date.instant))")
            if let end = span.end { lines.append("DTEND:\(Self.utc(end.date.instant))") }
        }
        lines.append("SUMMARY:\(Self.text(item.title))")
        var description = item.summary
        if let booking = item.fields["booking"]?.text { description += "\n\nBook: \(routes.absoluteLink(routes.rootRelative(booking)))" }
        description += "\n\n\(url)"
        lines.append("DESCRIPTION:\(Self.text(description))")
        let venue = [item.fields["venue"]?.part("name"), item.fields["venue"]?.part("address")].compactMap { $0 }
        let online = item.fields["online"]?.text.map { routes.absoluteLink(routes.rootRelative($0)) }
        let location = venue.isEmpty ? online : venue.joined(separator: ", ")
        if let location { lines.append("LOCATION:\(Self.text(location))") }
        lines.append("URL:\(url)")
        let statuses = ["cancelled": "CANCELLED", "postponed": "TENTATIVE"]
        lines.append("STATUS:\(statuses[item.status] ?? "CONFIRMED")")
        if !item.tags.isEmpty { lines.append("CATEGORIES:\(item.tags.map { Self.text($0.name) }.joined(separator: ","))") }
        if let organiser = item.fields["organiser"]?.text {
            lines.append("ORGANIZER;CN=\(Self.parameter(organiser)):\(routes.absolute(""))")
        }
        lines.append("END:VEVENT")
        return lines
    }

    /// TEXT as RFC 5545 §3.3.11 escapes it.
    static func text(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": continue
            default: result.append(character)
            }
        }
        return result
    }

    /// A parameter value is quoted and may not hold a quote (§3.2).
    static func parameter(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\"", with: "'").filter { !$0.isNewline } + "\""
    }

    /// Lines longer than 75 octets are folded (§3.1), never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var folded = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > 75 {
                folded += "\r\n "
                octets = 1
            }
            folded.append(character)
            octets += size
        }
        return folded
    }

    static func utc(_ date: Date) -> String {
        Format.rfc3339(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    static func day(_ time: EventTime) -> String { time.date.isoDay.replacingOccurrences(of: "-", with: "") }
}
