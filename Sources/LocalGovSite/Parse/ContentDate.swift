import Foundation

/// A date from front matter: the instant, and the calendar day it falls on in the site's zone.
public struct ContentDate: Sendable, Hashable, Codable, Comparable {
    public var instant: Date
    public var year: Int
    public var month: Int
    public var day: Int

    public static func < (lhs: ContentDate, rhs: ContentDate) -> Bool { lhs.instant < rhs.instant }

    /// `2017-02-15`, for `<time datetime>` and URLs.
    public var isoDay: String { Format.pad(year, 4) + "-" + Format.pad(month) + "-" + Format.pad(day) }

    /// `15 February 2017`, the GOV.UK style; fixed English names so output never depends on the locale.
    public var longForm: String { "\(day) \(Format.monthNames[month - 1]) \(year)" }
}

/// Reads `2017-02-15`, `2017-02-15T09:30`, `2017-02-15T09:30:00+01:00` and `…Z`, and the forms
/// Jekyll writes: `2015-06-11 11:30:00 -0400`, `-04:00`, `-4`.
/// A date or time without a zone is in the site's time zone, never the machine's.
public enum ContentDateParser {
    public enum Problem: Error, Equatable {
        /// Not in a date format at all; carries the ISO form when the intent is clear (`15/02/2017`).
        case notADate(suggestion: String?)
        /// Right shape, impossible value (`2023-02-30`).
        case impossible(reason: String)
    }

    public static func parse(_ text: String, in zone: TimeZone) -> Result<ContentDate, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let fields = Fields(trimmed) else {
            return .failure(.notADate(suggestion: dayFirstSuggestion(trimmed)))
        }
        guard (1...12).contains(fields.month) else {
            return .failure(.impossible(reason: "there is no month \(fields.month)"))
        }
        let daysInMonth = Format.daysIn(month: fields.month, year: fields.year)
        guard (1...daysInMonth).contains(fields.day) else {
            return .failure(
                .impossible(reason: "\(Format.monthNames[fields.month - 1]) \(fields.year) has \(daysInMonth) days"))
        }
        guard fields.hour < 24, fields.minute < 60, fields.second < 61 else {
            return .failure(.impossible(reason: "the time \(Format.pad(fields.hour)):\(Format.pad(fields.minute)) does not exist"))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = fields.offsetSeconds.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        let components = DateComponents(
            year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute,
            second: min(fields.second, 59))
        guard let instant = calendar.date(from: components) else {
            return .failure(.impossible(reason: "it cannot be placed on the calendar"))
        }
        var local = Calendar(identifier: .gregorian)
        local.timeZone = zone
        let day = local.dateComponents([.year, .month, .day], from: instant)
        return .success(ContentDate(instant: instant, year: day.year!, month: day.month!, day: day.day!))
    }

    private static func dayFirstSuggestion(_ text: String) -> String? {
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ Int($0) != nil }), parts[2].count == 4,
            let day = Int(parts[0]), let month = Int(parts[1]), (1...31).contains(day), (1...12).contains(month)
        else { return nil }
        return "\(parts[2])-\(Format.pad(month))-\(Format.pad(day))"
    }

    /// The numeric fields of an ISO 8601 / RFC 3339 text, or nil if its shape is wrong.
    private struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var offsetSeconds: Int?

        init?(_ text: String) {
            var scanner = DigitScanner(Array(text.utf8))
            guard let y = scanner.number(4), scanner.take("-"), let m = scanner.number(2), scanner.take("-"),
                let d = scanner.number(2)
            else { return nil }
            (year, month, day) = (y, m, d)
            if scanner.atEnd { return }
            guard scanner.take("T") || scanner.take("t") || scanner.take(" ") else { return nil }
            guard let h = scanner.number(2), scanner.take(":"), let mi = scanner.number(2) else { return nil }
            (hour, minute) = (h, mi)
            if scanner.take(":") {
                guard let s = scanner.number(2) else { return nil }
                second = s
                // ISO 8601 allows a comma before the fraction as well as a point.
                if scanner.take(".") || scanner.take(",") {
                    guard scanner.skipDigits() else { return nil }
                }
            }
            _ = scanner.take(" ")
            if scanner.atEnd { return }
            if scanner.take("Z") || scanner.take("z") {
                offsetSeconds = 0
            } else {
                let sign: Int
                if scanner.take("+") { sign = 1 } else if scanner.take("-") { sign = -1 } else { return nil }
                // Jekyll writes Ruby's offsets, which may be one digit of hours (`-4`).
                guard let oh = scanner.number(2) ?? scanner.number(1) else { return nil }
                _ = scanner.take(":")
                let om = scanner.number(2) ?? 0
                guard oh < 24, om < 60 else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            }
            guard scanner.atEnd else { return nil }
        }
    }

    private struct DigitScanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }

        mutating func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }

        mutating func skipDigits() -> Bool {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            return index > start
        }
    }
}

/// Formatting that must be identical on every machine, whatever its locale.
public enum Format {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// RFC 3339 in UTC: `2017-02-15T09:30:00Z`.
    public static func rfc3339(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return "\(pad(c.year!, 4))-\(pad(c.month!))-\(pad(c.day!))T\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!))Z"
    }

    /// `21 November 2026`, or `21 November 2026 at 09:15`, as the time falls in `zone`.
    static func longForm(_ date: Date, in zone: TimeZone, withTime: Bool) -> String {
        let c = components(of: date, in: zone)
        let day = "\(c.day!) \(monthNames[c.month! - 1]) \(c.year!)"
        return withTime ? "\(day) at \(pad(c.hour!)):\(pad(c.minute!))" : day
    }

    /// `Saturday 19 September 2016`, the day as it falls in `zone`.
    static func weekdayLong(_ date: Date, in zone: TimeZone) -> String {
        let c = Calendar.gregorian(in: zone).dateComponents([.year, .month, .day, .weekday], from: date)
        return "\(weekdayNames[c.weekday! - 1]) \(c.day!) \(monthNames[c.month! - 1]) \(c.year!)"
    }

    /// `9:30am`, the time of day as it falls in `zone`.
    static func clock(_ date: Date, in zone: TimeZone) -> String {
        let c = components(of: date, in: zone)
        return English.clock(hour: c.hour!, minute: c.minute!)
    }

    /// `2016-09-19T09:30:00+01:00`: the moment as the clocks in `zone` showed it, with their offset.
    static func isoLocal(_ date: Date, in zone: TimeZone) -> String {
        let c = Calendar.gregorian(in: zone).dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let zoneText = "\(sign)\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
        return "\(pad(c.year!, 4))-\(pad(c.month!))-\(pad(c.day!))T\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!))\(zoneText)"
    }

    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// `2026-11-21`, the day as it falls in `zone`.
    static func isoDay(_ date: Date, in zone: TimeZone) -> String {
        let c = components(of: date, in: zone)
        return "\(pad(c.year!, 4))-\(pad(c.month!))-\(pad(c.day!))"
    }

    private static func components(of date: Date, in zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// RFC 822 as RSS wants it: `Wed, 15 Feb 2017 09:30:00 +0000`.
    static func rfc822(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let month = String(monthNames[c.month! - 1].prefix(3))
        return "\(weekdays[c.weekday! - 1]), \(pad(c.day!)) \(month) \(pad(c.year!, 4)) \(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!)) +0000"
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

extension Calendar {
    /// The Gregorian calendar as the clocks in `zone` read it.
    static func gregorian(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
