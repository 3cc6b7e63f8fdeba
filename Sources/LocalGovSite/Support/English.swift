/// Small pieces of English the generator writes itself.
public enum English {
    /// `1 post`, `3 posts`; `1 entry`, `3 entries` with `plural`.
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
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
