import Foundation

/// The text of a new item of a declared collection, as `localgov new item <type>` writes it: its
/// declared fields, the required ones filled with values that build and the rest commented out.
public enum ItemScaffold {
    public static func text(title: String, type: ContentType, date: Date, timeZone: TimeZone) -> String {
        let day = PostScaffold.day(date, in: timeZone)
        let offset = Format.isoLocal(date, in: timeZone).suffix(6)
        var lines = ["---", "\(type.titleField): \(PostScaffold.quoted(title))", "summary: \"\""]
        for field in type.fields {
            let (value, hint) = example(field, day: day, offset: String(offset))
            let line = "\(field.name): \(value)" + (hint.map { "  # \($0)" } ?? "")
            let written = field.required || field.defaultValue != nil || (type.calendar && field.name == "end")
            lines.append(written ? line : "# " + line)
        }
        lines += ["draft: true", "---", "", "Say what this is and who it is for in the first paragraph: lists show it when no summary is written.", ""]
        return lines.joined(separator: "\n")
    }

    private static func example(_ field: FieldDeclaration, day: String, offset: String) -> (String, String?) {
        switch field.kind {
        case .text: (field.defaultValue.map(PostScaffold.quoted) ?? "\"\"", nil)
        case .link: ("\"https://\"", "a web address, or a path on this site such as /about/")
        case .date:
            (field.name == "end" ? "\(day)T17:00:00\(offset)" : "\(day)T09:30:00\(offset)", "or a day alone (\(day)) for all day")
        case .list: ("[]", nil)
        case .choice(let values): (field.defaultValue ?? values.first ?? "\"\"", values.isEmpty ? nil : "one of: \(values.joined(separator: ", "))")
        case .reference(let target): ("\"\"", "the file name, without .md, of one of content's \(target)")
        case .table(let keys): ("{ \(keys.map { "\($0): \"\"" }.joined(separator: ", ")) }", nil)
        }
    }
}
