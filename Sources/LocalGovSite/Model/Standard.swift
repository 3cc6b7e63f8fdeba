import Foundation

public struct StandardPoint: Sendable, Hashable {
    public var source: String
    public var number: Int
    public var slug: String
    public var title: String
    public var summary: String
    public var reviewed: ContentDate
    public var image: ShareImage?
    /// Free text such as "Under review", shown beside the point when present.
    public var status: String?
    public var language: String?
    public var body: RenderedMarkdown
    public var extra: [DataField]
    /// The version of the Standard this point was last changed in, when written.
    public var version: String?
    /// Newest first.
    public var changes: [ChangeNote]
    public var aliases: [Alias]
}

/// One change note with what it is about: the Standard as a whole, or one point.
public struct StandardChange: Sendable, Hashable {
    public var note: ChangeNote
    /// An index into `Standard.points`; nil for a change to the Standard as a whole.
    public var point: Int?
}

/// The changes made in one version, newest first.
public struct VersionChanges: Sendable, Hashable {
    public var version: String
    public var changes: [StandardChange]
}

/// The Local Government Digital Service Standard: points numbered 1…N without gaps.
public struct Standard: Sendable {
    public var intro: Page?
    /// The version the site publishes, from the intro's `version`.
    public var version: String?
    /// In point order.
    public var points: [StandardPoint]
    /// Every change note of the intro and the points, by version: the version with the newest
    /// change first.
    public var changeLog: [VersionChanges]

    public var title: String { intro?.title ?? "Service Standard" }
}

public struct Principles: Sendable {
    public var intro: Page?
    /// In file name order.
    public var sets: [PrincipleSet]

    public var title: String { intro?.title ?? "Digital principles" }
}

public enum StandardError: DiagnosticConvertible {
    case duplicatePoint(number: Int, first: String, at: SourceLocation)
    case missingPoints(ClosedRange<Int>, previous: (number: Int, file: String)?, found: Int, at: SourceLocation)
    case fileNumberDiffers(fileNumber: Int, point: Int, at: SourceLocation)
    case headingClashesWithRow(id: String, set: String, at: SourceLocation)
    case unknownVersion(version: String, known: [String], at: SourceLocation)
    case reviewedBeforeChange(reviewed: String, changed: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .duplicatePoint(number, first, location):
            return Diagnostic(
                .error, code: "standard.duplicate-point",
                "point \(number) is also the number of \(first); each point needs its own number, so renumber one of them",
                at: location)
        case let .missingPoints(missing, previous, found, location):
            let what = missing.count == 1 ? "point \(missing.lowerBound) is missing" : "points \(missing.lowerBound) to \(missing.upperBound) are missing"
            let context = previous.map { "the Standard goes from point \($0.number) (\($0.file)) to point \(found) here" }
                ?? "the Standard starts at point \(found) here"
            return Diagnostic(
                .error, code: "standard.missing-point",
                "\(what): \(context); points are numbered from 1 without gaps, so add the missing point or renumber this one",
                at: location)
        case let .fileNumberDiffers(fileNumber, point, location):
            return Diagnostic(
                .warning, code: "standard.file-number",
                "the file name says \(Format.pad(fileNumber)) but this is point \(point); rename the file so the listing stays in order",
                at: location)
        case let .headingClashesWithRow(id, set, location):
            return Diagnostic(
                .error, code: "principles.id-clash",
                "this heading's id \"\(id)\" is also the id of a row in \(set), and they share a page; reword the heading or give the row another id",
                at: location)
        case let .unknownVersion(version, known, location):
            return Diagnostic(
                .warning, code: "standard.version",
                "version \"\(version)\" is not a version of the Standard (its versions are "
                    + known.map { "\"\($0)\"" }.joined(separator: ", ")
                    + "); correct it, or add the version to the changes in content/standard/_index.md",
                at: location)
        case let .reviewedBeforeChange(reviewed, changed, location):
            return Diagnostic(
                .warning, code: "standard.reviewed",
                "this point was changed on \(changed) but says it was reviewed on \(reviewed); set reviewed to the date of the latest change or later",
                at: location)
        }
    }
}

/// Parsed points and principle sets → the `Standard` and `Principles` of the site.
enum StandardModel {
    static func standard(intro: Page?, revision: Revision?, points documents: [ParsedDocument]) -> (Standard?, [Diagnostic]) {
        guard intro != nil || !documents.isEmpty else { return (nil, []) }
        var diagnostics: [Diagnostic] = []
        var slugs = SlugRegistry(kind: "point")
        var byNumber: [Int: String] = [:]
        var points: [StandardPoint] = []
        for document in documents.sorted(by: { ($0.point!.number, $0.path) < ($1.point!.number, $1.path) }) {
            let fields = document.point!
            let meta = document.metadata
            if let first = byNumber[fields.number] {
                diagnostics.append(StandardError.duplicatePoint(number: fields.number, first: first, at: fields.numberLocation).diagnostic)
                continue
            }
            if let clash = slugs.claim(meta.slug, by: document.path) {
                diagnostics.append(clash)
                continue
            }
            byNumber[fields.number] = document.path
            if let fileNumber = Int(((document.path as NSString).lastPathComponent).prefix { $0.isASCII && $0.isNumber }),
                fileNumber != fields.number
            {
                diagnostics.append(
                    StandardError.fileNumberDiffers(fileNumber: fileNumber, point: fields.number, at: fields.numberLocation).diagnostic)
            }
            let previous = points.last
            let expected = (previous?.number ?? 0) + 1
            if fields.number > expected {
                diagnostics.append(
                    StandardError.missingPoints(
                        expected...(fields.number - 1), previous: previous.map { ($0.number, $0.source) }, found: fields.number,
                        at: fields.numberLocation
                    ).diagnostic)
            }
            let changes = newestFirst(document.revision?.changes ?? [])
            if let latest = changes.first, latest.date.isoDay > fields.reviewed.isoDay {
                diagnostics.append(
                    StandardError.reviewedBeforeChange(
                        reviewed: fields.reviewed.isoDay, changed: latest.date.isoDay, at: fields.reviewedLocation
                    ).diagnostic)
            }
            points.append(
                StandardPoint(
                    source: document.path, number: fields.number, slug: meta.slug, title: meta.title,
                    summary: document.summary, reviewed: fields.reviewed,
                    image: meta.image, status: fields.status, language: meta.language, body: document.body, extra: meta.extra,
                    version: document.revision?.version, changes: changes, aliases: meta.aliases))
        }
        let log = changeLog(standard: newestFirst(revision?.changes ?? []), points: points)
        let known = Array(Set(log.map(\.version) + [revision?.version].compactMap { $0 })).sorted()
        if !known.isEmpty {
            for document in documents {
                guard let revision = document.revision, let version = revision.version, !known.contains(version),
                    points.contains(where: { $0.source == document.path })
                else { continue }
                diagnostics.append(
                    StandardError.unknownVersion(
                        version: version, known: known,
                        at: revision.versionLocation ?? SourceLocation(file: document.path)
                    ).diagnostic)
            }
        }
        return (Standard(intro: intro, version: revision?.version, points: points, changeLog: log), diagnostics)
    }

    /// Newest first; on one day, in the order written.
    static func newestFirst(_ changes: [ChangeNote]) -> [ChangeNote] {
        changes.enumerated().sorted { ($0.element.date.instant, $1.offset) > ($1.element.date.instant, $0.offset) }.map(\.element)
    }

    /// Groups every note by version. Versions are ordered by their newest change, and within a
    /// version changes to the whole Standard come before changes to a point on the same day.
    static func changeLog(standard: [ChangeNote], points: [StandardPoint]) -> [VersionChanges] {
        var all = standard.map { StandardChange(note: $0, point: nil) }
        for (index, point) in points.enumerated() { all += point.changes.map { StandardChange(note: $0, point: index) } }
        let sorted = all.sorted { a, b in
            if a.note.date.instant != b.note.date.instant { return a.note.date.instant > b.note.date.instant }
            return (a.point ?? -1) < (b.point ?? -1)
        }
        var order: [String] = []
        var byVersion: [String: [StandardChange]] = [:]
        for change in sorted {
            if byVersion[change.note.version] == nil { order.append(change.note.version) }
            byVersion[change.note.version, default: []].append(change)
        }
        return order.map { VersionChanges(version: $0, changes: byVersion[$0]!) }
    }

    static func principles(intro: Page?, sets parsed: [PrincipleSet]) -> (Principles?, [Diagnostic]) {
        guard intro != nil || !parsed.isEmpty else { return (nil, []) }
        var diagnostics: [Diagnostic] = []
        var slugs = SlugRegistry(kind: "set of principles")
        var sets: [PrincipleSet] = []
        for set in parsed.sorted(by: { $0.source < $1.source }) {
            if let clash = slugs.claim(set.slug, by: set.source) {
                diagnostics.append(clash)
                continue
            }
            sets.append(set)
        }
        // With one set, its table sits on the same page as the intro, so their ids must differ.
        if let intro, sets.count == 1 {
            let rowIDs = Set(sets[0].rows.map(\.id))
            for heading in intro.body.headings where rowIDs.contains(heading.id) {
                diagnostics.append(
                    StandardError.headingClashesWithRow(id: heading.id, set: sets[0].source, at: heading.location).diagnostic)
            }
        }
        return (Principles(intro: intro, sets: sets), diagnostics)
    }
}
