import Foundation

/// Where a content file belongs, decided by its path alone.
public enum ContentKind: Sendable, Hashable {
    /// `content/_index.md`: the home page's intro.
    case home
    /// `content/blog/<slug>.md`
    case post
    /// `content/pages/<slug>.md`
    case page

    public init?(path: String) {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, parts[0] == Substring(ContentLoader.contentFolder), path.hasSuffix(".md") else { return nil }
        switch (parts.count, parts[1]) {
        case (2, "_index.md"): self = .home
        case (3, "blog") where parts[2] != "_index.md": self = .post
        case (3, "pages"): self = .page
        default: return nil
        }
    }
}

/// The front matter every kind of document may carry, typed. Fields the generator does not
/// know stay in `extra`, reachable from templates as `params`.
public struct DocumentMetadata: Sendable, Hashable {
    public var title: String
    public var date: ContentDate?
    public var authors: [String] = []
    public var tags: [String] = []
    public var summary: String?
    public var draft = false
    public var slug: String
    /// A page in another language than the site's (`cy` for Welsh).
    public var language: String?
    public var extra: [DataField] = []
}

public struct ParsedDocument: Sendable, Hashable {
    public var path: String
    public var kind: ContentKind
    public var metadata: DocumentMetadata
    public var body: RenderedMarkdown
}

public enum DocumentError: DiagnosticConvertible {
    case badDate(text: String, problem: ContentDateParser.Problem, syntax: DataSyntax, at: SourceLocation)
    case unsafeSlug(slug: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .badDate(text, .notADate(suggestion), syntax, location):
            Diagnostic(
                .error, code: "front-matter.date",
                "date \"\(text)\" is not a date; write \(syntax.example("date", suggestion ?? "2017-02-15")) (year-month-day)",
                at: location)
        case let .badDate(text, .impossible(reason), _, location):
            Diagnostic(
                .error, code: "front-matter.date", "date \"\(text)\" is not a real date: \(reason); check the day and month",
                at: location)
        case let .unsafeSlug(slug, location):
            Diagnostic(
                .error, code: "front-matter.slug",
                "slug \"\(slug)\" would put the page outside its folder; use lowercase letters, digits and hyphens, such as \"\(Slug.make(slug).isEmpty ? "my-post" : Slug.make(slug))\"",
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
        let title = reader.string("title", required: "\"A clear, specific title\"")
        var date: ContentDate?
        let dateNode = kind == .post ? reader.located("date", required: "2017-02-15") : reader.located("date")
        if let dateNode {
            let text = dateNode.value.scalarText ?? ""
            switch ContentDateParser.parse(text, in: timeZone) {
            case .success(let parsed): date = parsed
            case .failure(let problem):
                errors.append(.badDate(text: text, problem: problem, syntax: split.syntax, at: dateNode.location))
            }
        }
        let fileSlug = Slug.make(((file.path as NSString).lastPathComponent as NSString).deletingPathExtension)
        var slug = fileSlug
        if let slugNode = reader.located("slug"), let written = slugNode.value.scalarText {
            if Slug.isSafe(written) { slug = written } else { errors.append(.unsafeSlug(slug: written, at: slugNode.location)) }
        }
        var metadata = DocumentMetadata(title: title ?? "", slug: slug)
        metadata.date = date
        metadata.authors = reader.stringList("authors") ?? reader.stringList("author") ?? []
        metadata.tags = reader.stringList("tags") ?? []
        metadata.summary = reader.string("summary").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        metadata.draft = reader.bool("draft") ?? false
        metadata.language = reader.string("lang")
        metadata.extra = reader.unusedFields

        let diagnostics = reader.errors.map(\.diagnostic) + errors.map(\.diagnostic)
        let body = Markdown.render(
            split.body, startingAt: SourceLocation(file: file.path, line: split.bodyStartLine), options: markdown)
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (ParsedDocument(path: file.path, kind: kind, metadata: metadata, body: body), diagnostics)
    }
}
