import Foundation

/// Small pieces of English the generator writes itself.
public enum English {
    /// `1 post`, `3 posts`; `1 entry`, `3 entries` with `plural`.
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
    }

    /// `"a", "b" or "c"`: items joined as a sentence says them.
    public static func list(_ items: [String], conjunction: String = "and") -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }

    /// A time of day as GOV.UK writes it: `9am`, `9:30am`, `5:15pm`, `midday`, `midnight`.
    public static func clock(hour: Int, minute: Int) -> String {
        if minute == 0, hour == 12 { return "midday" }
        if minute == 0, hour == 0 { return "midnight" }
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        return "\(twelve)" + (minute == 0 ? "" : ":" + Format.pad(minute)) + (hour < 12 ? "am" : "pm")
    }

    /// `20,000,000`: grouped in threes with commas, whatever the machine's locale.
    public static func number(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var result = n < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}

/// `text` without surrounding whitespace, or nil if nothing is left: an optional field written
/// as blank is treated as not written.
func trimmedNonEmpty(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

extension String {
    /// `trimmingCharacters(in:)`, without its trip through NSString when there is nothing to trim,
    /// which is nearly always: it was 3% of a build's time in the link and content checks.
    func trimming(_ characters: CharacterSet) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !characters.contains(first), !characters.contains(last) { return self }
        return trimmingCharacters(in: characters)
    }
}
