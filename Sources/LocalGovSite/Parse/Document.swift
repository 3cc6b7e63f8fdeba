import Foundation

/// Where a content file belongs, decided by its path alone.
public enum ContentKind: Sendable, Hashable, Codable {
    /// `content/_index.md`: the home page's intro.
    case home
    /// `content/blog/<slug>.md`
    case post
    /// `content/pages/<slug>.md`
    case page
    /// `content/standard/_index.md`: the Standard's title and intro.
    case standardIntro
    /// `content/standard/NN-<slug>.md`: one point of the Standard.
    case standardPoint
    /// `content/principles/_index.md`
    case principlesIntro
    /// `content/principles/<set>.toml` (or `.yaml`): rows of data, not a markdown document.
    case principleSet
    /// `content/voice/_index.md`: the river's title and intro.
    case voiceIntro
    /// `content/voice/members.toml`: the LocalGov Digital Voice members.
    case voiceMembers
    /// `content/authors/<slug>.md`: a profile shown on the author's page and under their posts.
    case authorProfile

    /// `content/<folder>/<slug>.md` of a declared collection (events, groups).
    case item(ContentType)

    /// Published at an address made from its file name (or its `slug`).
    var hasOwnAddress: Bool {
        if case .item = self { return true }
        return [.post, .page, .standardPoint, .authorProfile].contains(self)
    }

    /// The file a document of a folder of its own is written in: `content/blog/<slug>/index.md`.
    static let bundleIndex = "index.md"

    /// Where a path belongs among the site's declared types; nil for a file no type reads.
    public init?(path: String, types: ContentTypes) {
        // Split on the bytes: a split by characters walked every path's graphemes, on every build.
        var parts = path.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        guard parts.first == Substring(ContentLoader.contentFolder) else { return nil }
        let type = parts.count >= 3 ? types.type(forFolder: parts[1]) : nil
        // A post, page, point or collection item may be a folder holding its index.md and the files it uses.
        if parts.count == 4, parts[3] == Substring(Self.bundleIndex),
            let model = type?.model, [.posts, .pages, .standard, .collection].contains(model)
        {
            parts = Array(parts[0...1]) + [parts[2] + ".md"]
        }
        let name = parts[parts.count - 1]
        let isMarkdown = name.hasSuffix(".md")
        let isIndex = name == "_index.md"
        if parts.count == 2 {
            guard isIndex else { return nil }
            self = .home
            return
        }
        guard parts.count == 3, let type else { return nil }
        switch type.model {
        case .posts where isMarkdown && !isIndex: self = .post
        case .pages where isMarkdown: self = .page
        case .standard where isMarkdown: self = isIndex ? .standardIntro : .standardPoint
        case .principles where isIndex: self = .principlesIntro
        case .principles where [".toml", ".yaml", ".yml"].contains(where: { name.hasSuffix($0) }): self = .principleSet
        case .voice where isIndex: self = .voiceIntro
        case .voice where name == "members.toml": self = .voiceMembers
        case .authors where isMarkdown && !isIndex: self = .authorProfile
        case .collection where isMarkdown && !isIndex: self = .item(type)
        default: return nil
        }
    }

    /// The name a document's slug and date come from: its file's name without the extension,
    /// or its folder's for a folder's `index.md`.
    static func documentName(_ path: String) -> String {
        let name = PathText.name(path)
        let folder = PathText.parent(path)
        return name == bundleIndex && PathText.componentCount(folder) == 3 ? PathText.name(folder) : PathText.withoutExtension(name)
    }

    /// The folder whose other files are published beside the document: its own folder for an
    /// `index.md`, else the folder named as the file is (`content/blog/x/` beside `x.md`).
    static func bundleFolder(_ path: String) -> String {
        PathText.name(path) == bundleIndex && PathText.componentCount(path) == 4
            ? PathText.parent(path) + "/" : PathText.withoutExtension(path) + "/"
    }

    /// Only these files have front matter and a markdown body.
    var isDocument: Bool { self != .principleSet && self != .voiceMembers }
}

extension ContentKind {
    /// Every kind but a collection's item, which carries its type.
    static let fixed: [ContentKind] = [
        .home, .post, .page, .standardIntro, .standardPoint, .principlesIntro, .principleSet, .voiceIntro, .voiceMembers,
        .authorProfile,
    ]
}

/// The front matter every kind of document may carry, typed. Fields the generator does not
/// know stay in `extra`, reachable from templates as `params`.
public struct DocumentMetadata: Sendable, Hashable, Codable {
    public var title: String
    public var date: ContentDate?
    public var authors: [String] = []
    /// Where `authors` (or `author`) is written, for warnings about a name.
    public var authorsLocation: SourceLocation?
    public var tags: [String] = []
    public var summary: String?
    /// When it last changed in a way readers should know of: `updated`, or Hugo's `lastmod`
    /// and Jekyll's `last_modified_at`.
    public var updated: ContentDate?
    public var image: ShareImage?
    public var draft = false
    public var slug: String
    /// A page in another language than the site's (`cy` for Welsh).
    public var language: String?
    /// Jekyll's `permalink`: this document's own address, whatever the site's pattern says.
    public var permalink: String?
    /// Old addresses that now lead here: `aliases`, or Jekyll's `redirect_from`.
    public var aliases: [Alias] = []
    /// Written by an importer and not edited since: its body still matches `import_checksum`.
    /// Content checks on it are warnings, so an imported site builds before anyone tidies it.
    public var importedUnedited = false
    public var extra: [DataField] = []
}

/// An old address of a document, as written, and where it is written.
public struct Alias: Sendable, Hashable, Codable {
    /// Root-relative, as written: `/2016/03/01/old/` or `/?p=123`.
    public var written: String
    /// The redirect page's path in the output, or nil for an address with a query, which only a
    /// server's redirect map can answer.
    public var page: String?
    public var location: SourceLocation
}

/// What only a point of the Standard carries.
public struct PointFields: Sendable, Hashable, Codable {
    public var number: Int
    /// Where `point` is written, for errors about gaps and duplicates.
    public var numberLocation: SourceLocation
    public var reviewed: ContentDate
    public var reviewedLocation: SourceLocation
    public var status: String?
}

/// One entry of a change history: what changed in which version, and when.
public struct ChangeNote: Sendable, Hashable, Codable {
    public var version: String
    public var date: ContentDate
    public var note: String
}

/// The version a document of the Standard (its intro or a point) belongs to, and its history.
public struct Revision: Sendable, Hashable, Codable {
    public var version: String?
    public var versionLocation: SourceLocation?
    /// As written; the model sorts them.
    public var changes: [ChangeNote]
}

/// A link on an author's profile: their blog, a social account.
public struct ProfileLink: Sendable, Hashable, Codable {
    public var text: String
    public var url: String
}

/// What only an author's profile carries; its `name` is the document's title.
public struct ProfileFields: Sendable, Hashable, Codable {
    public var role: String?
    public var organisation: String?
    public var links: [ProfileLink]
}

public struct ParsedDocument: Sendable, Hashable, Codable {
    public var path: String
    public var kind: ContentKind
    public var metadata: DocumentMetadata
    public var body: RenderedMarkdown
    /// Its `summary`, else the start of its first paragraph: made with the parse, which the
    /// build cache keeps, rather than again for every page of every build.
    public var summary: String
    public var point: PointFields?
    public var revision: Revision?
    public var profile: ProfileFields?
    /// A collection item's declared fields, by name.
    public var fields: [String: FieldValue] = [:]
}

public enum DocumentError: DiagnosticConvertible {
    case badDate(key: String, text: String, problem: ContentDateParser.Problem, syntax: DataSyntax, at: SourceLocation)
    case unsafeSlug(slug: String, at: SourceLocation)
    case noSlug(name: String, at: SourceLocation)
    case unsafeLink(url: String, at: SourceLocation)
    case badAddress(key: String, written: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .badDate(key, text, .notADate(suggestion), syntax, location):
            Diagnostic(
                .error, code: "front-matter.\(key)",
                "\(key) \"\(text)\" is not a date; write \(syntax.example(key, suggestion ?? "2017-02-15")) (year-month-day)",
                at: location)
        case let .badDate(key, text, .impossible(reason), _, location):
            Diagnostic(
                .error, code: "front-matter.\(key)", "\(key) \"\(text)\" is not a real date: \(reason); check the day and month",
                at: location)
        case let .unsafeSlug(slug, location):
            Diagnostic(
                .error, code: "front-matter.slug",
                "slug \"\(slug)\" would put the page outside its folder; use lowercase letters, digits and hyphens, such as \"\(Slug.make(slug).isEmpty ? "my-post" : Slug.make(slug))\"",
                at: location)
        case let .noSlug(name, location):
            Diagnostic(
                .error, code: "content.slug",
                "the file name \"\(name)\" has no letters or digits to make an address from; rename the file (for example to my-post.md) or set `slug` in its front matter",
                at: location)
        case let .badAddress(key, written, location):
            Diagnostic(
                .error, code: "front-matter.\(key)",
                "\(key) \"\(written)\" is not an address on this site; write a path from the site's root, such as \"/2016/03/01/my-post/\"",
                at: location)
        case let .unsafeLink(url, location):
            Diagnostic(
                .error, code: "front-matter.links",
                "link \"\(url)\" is not a web or email address; write it in full, such as \"https://example.org/blog/\"",
                at: location)
        }
    }
}

/// A content file → its typed metadata and rendered body, with every problem found.
public enum DocumentParser {
    public static func parse(
        _ file: SourceFile, kind: ContentKind, timeZone: TimeZone, markdown: MarkdownOptions
    ) -> (ParsedDocument?, [Diagnostic]) {
        let split: FrontMatterSplit
        let fields: DataNode
        do {
            split = try FrontMatter.split(file.text, file: file.path)
            fields = try FrontMatter.read(split, file: file.path)
        } catch let error as DiagnosticConvertible {
            return (nil, [error.diagnostic])
        } catch {
            return (nil, [Diagnostic(.error, code: "front-matter", "\(error)", at: SourceLocation(file: file.path))])
        }

        var reader = FieldReader(fields, domain: "front-matter", syntax: split.syntax)
        var errors: [DocumentError] = []
        // A profile names a person; everything else has a title.
        let title: String?
        if case .item(let type) = kind, type.titleField != "title" {
            title = reader.string(type.titleField, required: "\"A clear, specific name\"")
        } else if kind == .authorProfile {
            title = reader.string("name", required: "\"Priya Shah\"")
        } else {
            title = reader.string("title", required: "\"A clear, specific title\"")
        }
        func parseDate(_ node: DataNode, key: String) -> ContentDate? {
            let text = node.value.scalarText ?? ""
            switch ContentDateParser.parse(text, in: timeZone) {
            case .success(let parsed): return parsed
            case .failure(let problem):
                errors.append(.badDate(key: key, text: text, problem: problem, syntax: split.syntax, at: node.location))
                return nil
            }
        }
        func readDate(_ key: String, required: Bool) -> ContentDate? {
            guard let node = required ? reader.located(key, required: "2017-02-15") : reader.located(key) else { return nil }
            return parseDate(node, key: key)
        }
        // Jekyll names posts `2016-03-01-slug.md`: the name gives the date when front matter does not.
        let jekyllName = kind == .post ? JekyllName(path: file.path) : nil
        var date = readDate("date", required: kind == .post && jekyllName == nil)
        if date == nil, reader.located("date") == nil, let jekyllName {
            switch ContentDateParser.parse(jekyllName.day, in: timeZone) {
            case .success(let parsed): date = parsed
            case .failure(let problem):
                errors.append(
                    .badDate(key: "date", text: jekyllName.day, problem: problem, syntax: split.syntax, at: SourceLocation(file: file.path)))
            }
        }
        var point: PointFields?
        if kind == .standardPoint {
            let number = reader.integer("point", required: "1", in: 1...999)
            let numberLocation = reader.located("point")?.location ?? SourceLocation(file: file.path)
            let reviewed = readDate("reviewed", required: true)
            let reviewedLocation = reader.located("reviewed")?.location ?? SourceLocation(file: file.path)
            let status = reader.string("status")
            if let number, let reviewed {
                point = PointFields(
                    number: number, numberLocation: numberLocation, reviewed: reviewed, reviewedLocation: reviewedLocation,
                    status: status)
            }
        }
        var revision: Revision?
        if kind == .standardPoint || kind == .standardIntro {
            let version = reader.string("version")
            let versionLocation = reader.located("version")?.location
            var changes: [ChangeNote] = []
            for (index, node) in (reader.list("changes") ?? []).enumerated() {
                let prefix = "changes[\(index + 1)]."
                guard case .table = node.value else {
                    reader.invalid(
                        "changes", "change \(index + 1) is not a table; give it version, date and note, such as "
                            + "{ version: \"1\", date: 2016-04-08, note: \"What changed\" }", at: node.location)
                    continue
                }
                var item = FieldReader(node, domain: "front-matter", syntax: split.syntax, prefix: prefix)
                let changeVersion = item.string("version", required: "\"1\"")
                let changeDate = item.located("date", required: "2016-04-08").flatMap { parseDate($0, key: "date") }
                let note = item.string("note", required: "\"What changed, in a sentence\"")
                item.warnUnknownKeys(known: ["version", "date", "note"])
                reader.absorb(item)
                if let changeVersion, let changeDate, let note {
                    changes.append(ChangeNote(version: changeVersion, date: changeDate, note: note))
                }
            }
            revision = Revision(version: version, versionLocation: versionLocation, changes: changes)
        }
        var profile: ProfileFields?
        if kind == .authorProfile {
            var links: [ProfileLink] = []
            for (index, node) in (reader.list("links") ?? []).enumerated() {
                guard case .table = node.value else {
                    reader.invalid(
                        "links", "link \(index + 1) is not a table; give it text and url, such as "
                            + "{ text: \"My blog\", url: \"https://example.org/\" }", at: node.location)
                    continue
                }
                var item = FieldReader(node, domain: "front-matter", syntax: split.syntax, prefix: "links[\(index + 1)].")
                let text = item.string("text", required: "\"My blog\"")
                let urlNode = item.located("url", required: "\"https://example.org/\"")
                item.warnUnknownKeys(known: ["text", "url"])
                reader.absorb(item)
                guard let text, let urlNode, let written = urlNode.value.scalarText else { continue }
                // Only absolute web and email addresses: a profile link leaves the site.
                guard written.contains(":"), let safe = SafeURL.resolve(written, against: nil) else {
                    errors.append(.unsafeLink(url: written, at: urlNode.location))
                    continue
                }
                links.append(ProfileLink(text: text, url: safe))
            }
            profile = ProfileFields(role: reader.string("role"), organisation: reader.string("organisation"), links: links)
        }
        let fileSlug = Slug.make(jekyllName?.slug ?? Self.nameWithoutNumber(file.path))
        var slug = fileSlug
        if let slugNode = reader.located("slug"), let written = slugNode.value.scalarText {
            // In NFC, as made slugs are, so "café" typed on any system is one address.
            if Slug.isSafe(written) {
                slug = written.precomposedStringWithCanonicalMapping
            } else {
                errors.append(.unsafeSlug(slug: written, at: slugNode.location))
            }
        } else if slug.isEmpty, kind.hasOwnAddress {
            let name = (file.path as NSString).lastPathComponent
            errors.append(
                .noSlug(name: name == ContentKind.bundleIndex ? ContentKind.documentName(file.path) + "/" : name, at: SourceLocation(file: file.path)))
        }
        var metadata = DocumentMetadata(title: title ?? "", slug: slug)
        metadata.date = date
        metadata.updated = ["updated", "lastmod", "last_modified_at"].lazy.compactMap { readDate($0, required: false) }.first
        metadata.image = reader.shareImage()
        metadata.authorsLocation = (reader.located("authors") ?? reader.located("author"))?.location
        metadata.authors = reader.stringList("authors") ?? reader.stringList("author") ?? []
        // Jekyll's `categories` are tags here; written as one string, they are separated by spaces, as Jekyll reads them.
        let categories = reader.located("categories")?.value.scalarText.map { $0.split(separator: " ").map(String.init) }
            ?? reader.stringList("categories") ?? []
        metadata.tags = Self.uniqueBySlug((reader.stringList("tags") ?? []) + categories)
        // A point's summary is its line on the contents page and in the open data, so it is written, not derived.
        let summaryExample = kind == .standardPoint ? "\"What the team must do, in one sentence\"" : nil
        // Jekyll and Hugo call it `excerpt` or `description`.
        let summaryKey = ["summary", "excerpt", "description"].first { reader.located($0) != nil } ?? "summary"
        metadata.summary = reader.string(summaryKey, required: summaryExample).flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        // Jekyll's `published: false` keeps a post out as a draft does.
        metadata.draft = reader.bool("draft") ?? reader.bool("published").map { !$0 } ?? false
        // Jekyll's layout names a template of the old site; ours chooses by kind, so it is read and left.
        _ = reader.located("layout")
        metadata.language = reader.string("lang")
        if let checksum = reader.string("import_checksum") {
            metadata.importedUnedited = checksum == ImportChecksum.of(body: split.body)
        }
        if let node = reader.located("permalink"), let written = node.value.scalarText {
            if let path = WrittenAddress.relative(written), !path.isEmpty {
                metadata.permalink = path
            } else {
                errors.append(.badAddress(key: "permalink", written: written, at: node.location))
            }
        }
        for key in ["aliases", "redirect_from"] {
            let nodes: [DataNode]
            if let node = reader.located(key), node.value.scalarText != nil {
                nodes = [node]
            } else {
                nodes = reader.list(key) ?? []
            }
            for node in nodes {
                guard let written = node.value.scalarText else {
                    reader.invalid(key, "write each old address as text, such as \"/2016/03/01/my-post/\"", at: node.location)
                    continue
                }
                switch WrittenAddress.alias(written) {
                case .page(let path): metadata.aliases.append(Alias(written: written, page: path, location: node.location))
                case .serverOnly: metadata.aliases.append(Alias(written: written, page: nil, location: node.location))
                case nil: errors.append(.badAddress(key: key, written: written, at: node.location))
                }
            }
        }
        var fieldDiagnostics: [Diagnostic] = []
        var declared: [String: FieldValue] = [:]
        if case .item(let type) = kind {
            declared = reader.declaredFields(type.fields, timeZone: timeZone, diagnostics: &fieldDiagnostics)
        }
        metadata.extra = reader.unusedFields

        let diagnostics = reader.errors.map(\.diagnostic) + errors.map(\.diagnostic) + fieldDiagnostics
        let body = Markdown.render(
            split.body, startingAt: SourceLocation(file: file.path, line: split.bodyStartLine), options: markdown)
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (
            ParsedDocument(
                path: file.path, kind: kind, metadata: metadata, body: body,
                summary: metadata.summary ?? Summary.of(body.firstParagraph), point: point, revision: revision,
                profile: profile, fields: declared),
            diagnostics
        )
    }

    /// The first spelling of each tag, so `Open data` and `open-data` from tags and categories are one.
    static func uniqueBySlug(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert(Slug.make($0)).inserted }
    }

    /// `content/standard/03-multidisciplinary-team.md` → `multidisciplinary-team`: the number
    /// orders files in a listing but is not part of the address, so renumbering keeps links working.
    static func nameWithoutNumber(_ path: String) -> String {
        let name = ContentKind.documentName(path)
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.dropFirst(digits.count).first == "-", name.count > digits.count + 1 else { return name }
        return String(name.dropFirst(digits.count + 1))
    }
}

/// A post named as Jekyll names them, `2016-03-01-slug.md`: the day and the slug in the name.
struct JekyllName: Equatable {
    var day: String
    var slug: String

    init?(path: String) {
        // Read by hand: a Regex here was 3 % of a build's CPU, for one test per post.
        let name = Array(ContentKind.documentName(path).utf8)
        let shape = Array("dddd-dd-dd-".utf8)
        guard name.count > shape.count,
            zip(name, shape).allSatisfy({ $1 == UInt8(ascii: "d") ? (0x30...0x39).contains($0) : $0 == $1 })
        else { return nil }
        day = String(decoding: name[..<10], as: UTF8.self)
        slug = String(decoding: name[11...], as: UTF8.self)
    }
}
