import Foundation

/// A day or a moment as an item's front matter gives it: `2016-06-18` is the whole day,
/// `2016-06-18T09:30:00+01:00` a moment.
public struct EventTime: Sendable, Hashable, Codable, Comparable {
    public var date: ContentDate
    public var allDay: Bool
    /// As written, for messages.
    public var written: String

    public static func < (lhs: EventTime, rhs: EventTime) -> Bool { lhs.date.instant < rhs.date.instant }

    /// For machines (`<time datetime>`, JSON-LD): `2016-06-18`, or the moment as the clocks in
    /// `zone` showed it, `2016-06-18T09:30:00+01:00`.
    func iso(in zone: TimeZone) -> String { allDay ? date.isoDay : Format.isoLocal(date.instant, in: zone) }
}

/// One declared field's value, typed, with where it was written.
public struct FieldValue: Sendable, Hashable, Codable {
    public enum Value: Sendable, Hashable, Codable {
        case text(String)
        case link(String)
        case time(EventTime)
        case list([String])
        /// A reference before it is resolved: the slug written.
        case reference(String)
        /// Named parts in the order the declaration lists them; parts not written are left out.
        case table([TablePart])
    }

    public struct TablePart: Sendable, Hashable, Codable {
        public var key: String
        public var text: String
    }

    public var value: Value
    public var location: SourceLocation

    public var text: String? {
        switch value {
        case .text(let text), .link(let text), .reference(let text): text
        default: nil
        }
    }

    public var time: EventTime? { if case .time(let time) = value { time } else { nil } }

    public func part(_ key: String) -> String? {
        if case .table(let parts) = value { parts.first { $0.key == key }?.text } else { nil }
    }
}

public enum DeclaredFieldError: DiagnosticConvertible {
    case badLink(key: String, written: String, at: SourceLocation)
    case notAChoice(key: String, written: String, values: [String], at: SourceLocation)
    case timeWithoutZone(key: String, written: String, zone: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .badLink(key, written, location):
            Diagnostic(
                .error, code: "front-matter.\(key)",
                "\(key) \"\(written)\" is not a web or email address; write it in full, such as \"https://example.org/book/\", or as a path on this site, such as \"/about/\"",
                at: location)
        case let .notAChoice(key, written, values, location):
            Diagnostic(
                .error, code: "front-matter.\(key)",
                "\(key) \"\(written)\" is not one of \(English.list(values.map { "\"\($0)\"" }, conjunction: "or")); write one of those",
                at: location)
        case let .timeWithoutZone(key, written, zone, location):
            Diagnostic(
                .warning, code: "front-matter.\(key)-zone",
                "\(key) \"\(written)\" has a time but no time zone, so it is read in the site's zone (\(zone)); add the offset, such as \(written.replacingOccurrences(of: " ", with: "T"))+01:00, so calendars show the same moment everywhere",
                at: location)
        }
    }
}

extension FieldReader {
    /// The fields a type declares, each checked against its declaration; problems go to
    /// `diagnostics` (a time without a zone is only a warning, read in the site's zone).
    mutating func declaredFields(
        _ declarations: [FieldDeclaration], timeZone: TimeZone, diagnostics: inout [Diagnostic]
    ) -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for declaration in declarations {
            let key = declaration.name
            guard let node = located(key, required: declaration.required ? example(declaration) : nil) else {
                if let value = declaration.defaultValue {
                    values[key] = FieldValue(value: .text(value), location: table.location)
                }
                continue
            }
            let location = node.location
            func text() -> String? {
                if let text = node.value.scalarText { return text }
                invalid(key, "\"\(key)\" should be text, not \(node.value.kindName); write it as \(syntax.example(key, example(declaration)))", at: location)
                return nil
            }
            switch declaration.kind {
            case .text:
                if let text = text() { values[key] = FieldValue(value: .text(text), location: location) }
            case .reference:
                if let text = text() { values[key] = FieldValue(value: .reference(text), location: location) }
            case .link:
                guard let written = text() else { continue }
                let isSitePath = written.hasPrefix("/") && !written.hasPrefix("//")
                if !isSitePath, !written.contains(":") || SafeURL.resolve(written, against: nil) == nil {
                    diagnostics.append(DeclaredFieldError.badLink(key: key, written: written, at: location).diagnostic)
                } else {
                    values[key] = FieldValue(value: .link(isSitePath ? written : SafeURL.resolve(written, against: nil)!), location: location)
                }
            case .choice(let allowed):
                guard let written = text() else { continue }
                if allowed.isEmpty || allowed.contains(written) {
                    values[key] = FieldValue(value: .text(written), location: location)
                } else {
                    diagnostics.append(DeclaredFieldError.notAChoice(key: key, written: written, values: allowed, at: location).diagnostic)
                }
            case .list:
                if let list = stringList(key) { values[key] = FieldValue(value: .list(list), location: location) }
            case .date:
                guard let written = text() else { continue }
                switch ContentDateParser.parse(written, in: timeZone) {
                case .success(let date):
                    let trimmed = written.trimmingCharacters(in: .whitespaces)
                    let allDay = trimmed.count == 10
                    if !allDay, trimmed.wholeMatch(of: /.*(Z|z|[+-]\d{1,2}(:?\d{2})?)/) == nil {
                        diagnostics.append(
                            DeclaredFieldError.timeWithoutZone(key: key, written: trimmed, zone: timeZone.identifier, at: location)
                                .diagnostic)
                    }
                    values[key] = FieldValue(value: .time(EventTime(date: date, allDay: allDay, written: trimmed)), location: location)
                case .failure(let problem):
                    diagnostics.append(
                        DocumentError.badDate(key: key, text: written, problem: problem, syntax: syntax, at: location).diagnostic)
                }
            case .table(let keys):
                guard case .table = node.value else {
                    if let written = node.value.scalarText, let first = keys.first {
                        values[key] = FieldValue(value: .table([.init(key: first, text: written)]), location: location)
                    } else {
                        invalid(key, "\"\(key)\" should be a table of \(keys.joined(separator: ", ")); write it as \(syntax.example(key, example(declaration)))", at: location)
                    }
                    continue
                }
                var parts = FieldReader(node, domain: domain, syntax: syntax, prefix: prefix + key + ".")
                let written = keys.compactMap { part in parts.string(part).map { FieldValue.TablePart(key: part, text: $0) } }
                parts.warnUnknownKeys(known: keys)
                absorb(parts)
                values[key] = FieldValue(value: .table(written), location: location)
            }
        }
        return values
    }

    private func example(_ declaration: FieldDeclaration) -> String {
        switch declaration.kind {
        case .text, .reference: "\"…\""
        case .link: "\"https://example.org/\""
        case .date: "2016-06-18T09:30:00+01:00"
        case .list: "[\"first\", \"second\"]"
        case .choice(let values): "\"\(values.first ?? "…")\""
        case .table(let keys): syntax == .yaml ? "{ \(keys.map { "\($0): \"…\"" }.joined(separator: ", ")) }" : "{ \(keys.map { "\($0) = \"…\"" }.joined(separator: ", ")) }"
        }
    }
}
