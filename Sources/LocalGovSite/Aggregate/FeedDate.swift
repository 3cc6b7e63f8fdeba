import Foundation

/// Dates as feeds write them: RFC 822 (RSS) as it is found in the wild, and ISO 8601 / RFC 3339
/// (Atom, JSON Feed, `dc:date`). Nothing here reads the machine's locale or time zone: names
/// are matched against fixed English lists and a time without a zone is UTC.
public enum FeedDate {
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if case let .success(date) = ContentDateParser.parse(trimmed, in: utc.timeZone) { return date.instant }
        return rfc822(trimmed)
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `Wed, 15 Feb 2017 09:30:00 +0000` and what generators make of it: no weekday or the
    /// wrong one (ignored), no seconds, two-digit years, full month names, named or military
    /// zones, `+01:00`, a `(comment)`, and the orders of asctime and JavaScript's `toString`
    /// (`Wed Feb 15 2017 09:30:00 GMT+0000`). Fields are recognised by their shape, so their
    /// order does not matter.
    private static func rfc822(_ text: String) -> Date? {
        var tokens = withoutComments(text)
            .split(whereSeparator: { $0 == "," || $0.isWhitespace })
            .flatMap { token in
                // `15-Feb-2017`, the cookie form.
                token.contains(where: \.isLetter) && token.first?.isNumber == true
                    ? token.split(separator: "-") : [token]
            }
            .map { $0.lowercased() }
        if let first = tokens.first, weekdays.contains(where: { $0.hasPrefix(first.trimmingSuffix(".")) }),
            first.count >= 3
        {
            tokens.removeFirst()
        }
        var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?, offset: Int?
        for token in tokens {
            if token.first?.isNumber == true, token.contains(":") {
                guard time == nil, let parsed = clock(token) else { return nil }
                time = parsed
            } else if token.allSatisfy(\.isNumber) {
                if day == nil, token.count <= 2 {
                    day = Int(token)
                } else if year == nil, (2...4).contains(token.count), let value = Int(token) {
                    year = value
                } else {
                    return nil
                }
            } else if let m = monthNumber(token), month == nil {
                month = m
            } else if let zone = zoneOffset(token), offset == nil {
                offset = zone
            } else {
                return nil
            }
        }
        guard let day, let month, var year else { return nil }
        // RFC 2822 §4.3: two digits are 20xx below 50, else 19xx; three digits count from 1900.
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        guard (1...Format.daysIn(month: month, year: year)).contains(day) else { return nil }
        let (hour, minute, second) = time ?? (0, 0, 0)
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return utc.date(from: components).map { $0.addingTimeInterval(-Double(offset ?? 0)) }
    }

    private static func withoutComments(_ text: String) -> String {
        var depth = 0
        return String(
            text.filter { character in
                if character == "(" { depth += 1 }
                defer { if character == ")" { depth = max(0, depth - 1) } }
                return depth == 0 && character != ")"
            })
    }

    private static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    private static func monthNumber(_ token: String) -> Int? {
        let name = token.trimmingSuffix(".")
        guard name.count >= 3 else { return nil }
        if name == "sept" { return 9 }
        return Format.monthNames.firstIndex { $0.lowercased().hasPrefix(name) }.map { $0 + 1 }
    }

    /// `H:MM` or `HH:MM:SS`; a leap second becomes :59.
    private static func clock(_ token: String) -> (Int, Int, Int)? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count),
            parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        let numbers = parts.compactMap { Int($0) }
        let (hour, minute, second) = (numbers[0], numbers[1], numbers.count == 3 ? numbers[2] : 0)
        guard hour < 24, minute < 60, second <= 60 else { return nil }
        return (hour, minute, min(second, 59))
    }

    /// North American, British, Irish and European zone names RSS generators write, in hours
    /// from UTC. IST is Irish Standard Time here (the network's readers are in these islands).
    private static let namedZones = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
        "pst": -8, "pdt": -7, "bst": 1, "ist": 1, "wet": 0, "west": 1, "cet": 1, "cest": 2, "met": 1, "mest": 2,
        "eet": 2, "eest": 3,
    ]

    /// Seconds east of UTC for `+0100`, `-05:00`, `+01`, `GMT`, `GMT+0100`, or a military letter.
    private static func zoneOffset(_ token: String) -> Int? {
        if let hours = namedZones[token] { return hours * 3600 }
        // RFC 2822 §4.3: RFC 822 got the signs of military zones backwards, so all but Z mean
        // "unknown" and are read as UTC.
        if token.count == 1, let letter = token.unicodeScalars.first, letter.isASCIILetter, letter != "j" { return 0 }
        for prefix in ["gmt", "utc", "ut"] where token.hasPrefix(prefix) && token.count > prefix.count {
            return zoneOffset(String(token.dropFirst(prefix.count)))
        }
        guard let sign = token.first, sign == "+" || sign == "-" else { return nil }
        let digits = token.dropFirst().filter { $0 != ":" }
        guard [1, 2, 4].contains(digits.count), digits.allSatisfy(\.isNumber), token.dropFirst().first != ":" else {
            return nil
        }
        let hours = Int(digits.prefix(digits.count == 4 ? 2 : digits.count))!
        let minutes = digits.count == 4 ? Int(digits.suffix(2))! : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "+" ? 1 : -1) * (hours * 3600 + minutes * 60)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
