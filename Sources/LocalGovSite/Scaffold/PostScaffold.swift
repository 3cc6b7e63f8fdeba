import Foundation

/// The text of a new post, as `localgov new post` writes it.
public enum PostScaffold {
    public static func text(title: String, authors: [String], date: Date, timeZone: TimeZone) -> String {
        let iso = day(date, in: timeZone)
        return """
            ---
            title: \(quoted(title))
            date: \(iso)
            authors: [\(authors.map(quoted).joined(separator: ", "))]
            tags: []
            summary: ""
            draft: true
            ---

            Start with a paragraph that says what this post is about and who it is for: it becomes the
            summary on the blog's front page unless you write one above.

            ## A heading for your first section

            """
    }

    /// `2026-12-04`: the day `date` falls on in the site's time zone.
    static func day(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(Format.pad(day.year!, 4))-\(Format.pad(day.month!))-\(Format.pad(day.day!))"
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
