import Foundation

/// One cell of a principles table: the markdown as written (for the exports) and as HTML.
public struct PrincipleCell: Sendable, Hashable, Codable {
    public var markdown: String
    public var rendered: RenderedMarkdown
}

/// One row of a principles table.
public struct PrincipleRow: Sendable, Hashable, Codable {
    /// The row's fragment id: written as `id`, or else made from the principle's text.
    public var id: String
    public var traditional: PrincipleCell
    public var principle: PrincipleCell
    public var practice: PrincipleCell

    /// The table's columns, in order: traditional, principle, in practice.
    static let columns = 0..<3

    public var cells: [PrincipleCell] { Self.columns.map { self[cell: $0] } }

    /// A cell by its column: 0 traditional, 1 principle, 2 in practice.
    subscript(cell column: Int) -> PrincipleCell {
        get { column == 0 ? traditional : column == 1 ? principle : practice }
        set {
            switch column {
            case 0: traditional = newValue
            case 1: principle = newValue
            default: practice = newValue
            }
        }
    }
}

/// Whether a set is still being written and consulted on, or agreed.
public enum PrincipleStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, adopted
}

/// Someone a set of principles is credited to, and what they did.
public struct Credit: Sendable, Hashable, Codable {
    public var name: String
    public var role: String?
}

/// `content/principles/<set>.toml` (or `.yaml`): a title, an intro and ordered rows.
public struct PrincipleSet: Sendable, Hashable, Codable {
    public var source: String
    public var slug: String
    public var title: String
    public var intro: RenderedMarkdown
    public var rows: [PrincipleRow]
    public var status: PrincipleStatus?
    /// The date of this version of the set.
    public var date: ContentDate?
    public var credits: [Credit] = []
}

public enum PrincipleSetError: DiagnosticConvertible {
    case notATable(at: SourceLocation)
    case noRows(syntax: DataSyntax, at: SourceLocation)
    case rowNotATable(row: Int, at: SourceLocation)
    case emptyCell(column: String, row: Int, at: SourceLocation)
    case badID(id: String, suggestion: String, at: SourceLocation)
    case duplicateID(id: String, row: Int, firstRow: Int, at: SourceLocation)
    case badStatus(text: String, at: SourceLocation)
    case badDate(text: String, problem: ContentDateParser.Problem, at: SourceLocation)
    case creditNotANameOrTable(credit: Int, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .notATable(location):
            Diagnostic(
                .error, code: "principles.shape",
                "a principles file is a table with title, intro and rows; this one is a single value", at: location)
        case let .noRows(syntax, location):
            Diagnostic(
                .error, code: "principles.rows",
                "this set has no rows; add one with "
                    + (syntax == .toml ? "[[rows]] followed by traditional, principle and practice" : "rows: then - traditional: …"),
                at: location)
        case let .rowNotATable(row, location):
            Diagnostic(
                .error, code: "principles.row",
                "row \(row) is not a table; give it the keys traditional, principle and practice", at: location)
        case let .emptyCell(column, row, location):
            Diagnostic(
                .error, code: "principles.empty-cell",
                "the \(PrincipleSetParser.columnNames[column] ?? column) cell of row \(row) is empty; every row needs all three cells",
                at: location)
        case let .badID(id, suggestion, location):
            Diagnostic(
                .error, code: "principles.id",
                "id \"\(id)\" cannot be used in an address; use lowercase letters, digits and hyphens, such as \"\(suggestion)\"",
                at: location)
        case let .duplicateID(id, row, firstRow, location):
            Diagnostic(
                .error, code: "principles.duplicate-id",
                "rows \(firstRow) and \(row) both have the id \"\(id)\"; links to a principle need one row each, so give row \(row) its own id",
                at: location)
        case let .badStatus(text, location):
            Diagnostic(
                .error, code: "principles.status",
                "status \"\(text)\" is not one the page can show; write "
                    + PrincipleStatus.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "),
                at: location)
        case let .badDate(text, .notADate(suggestion), location):
            Diagnostic(
                .error, code: "principles.date",
                "date \"\(text)\" is not a date; write it as \(suggestion ?? "2016-06-09") (year-month-day)", at: location)
        case let .badDate(text, .impossible(reason), location):
            Diagnostic(
                .error, code: "principles.date", "date \"\(text)\" is not a real date: \(reason); check the day and month",
                at: location)
        case let .creditNotANameOrTable(credit, location):
            Diagnostic(
                .error, code: "principles.credits",
                "credit \(credit) is neither a name nor a table; write \"Name\" or { name = \"Name\", role = \"What they did\" }",
                at: location)
        }
    }
}

public enum PrincipleSetParser {
    /// The three cells of every row, in the order the table shows them.
    public static let columns = ["traditional", "principle", "practice"]
    static let columnNames = [
        "traditional": "traditional practice", "principle": "digital principle", "practice": "in practice",
    ]

    public static func parse(
        _ file: SourceFile, markdown: MarkdownOptions, timeZone: TimeZone
    ) -> (PrincipleSet?, [Diagnostic]) {
        let syntax: DataSyntax = file.path.hasSuffix(".toml") ? .toml : .yaml
        let root: DataNode
        do {
            root = syntax == .toml ? try TOMLReader.read(file.text, file: file.path) : try YAMLReader.read(file.text, file: file.path)
        } catch let error as DiagnosticConvertible {
            return (nil, [error.diagnostic])
        } catch {
            return (nil, [Diagnostic(.error, code: "principles", "\(error)", at: SourceLocation(file: file.path))])
        }
        guard case .table = root.value else { return (nil, [PrincipleSetError.notATable(at: root.location).diagnostic]) }

        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        var errors: [DiagnosticConvertible] = []
        var reader = FieldReader(root, domain: "principles", syntax: syntax)
        let title = reader.string("title", required: "\"Our digital principles\"") ?? ""
        let introNode = reader.located("intro")
        let hasRows = reader.located("rows") != nil
        let rowNodes = reader.list("rows")
        var status: PrincipleStatus?
        if let node = reader.located("status"), let text = node.value.scalarText {
            status = PrincipleStatus(rawValue: text)
            if status == nil { errors.append(PrincipleSetError.badStatus(text: text, at: node.location)) }
        }
        var date: ContentDate?
        if let node = reader.located("date") {
            switch ContentDateParser.parse(node.value.scalarText ?? "", in: timeZone) {
            case .success(let parsed): date = parsed
            case .failure(let problem):
                errors.append(PrincipleSetError.badDate(text: node.value.scalarText ?? "", problem: problem, at: node.location))
            }
        }
        var credits: [Credit] = []
        for (index, node) in (reader.list("credits") ?? []).enumerated() {
            if case .string(let name) = node.value {
                credits.append(Credit(name: name))
            } else if case .table = node.value {
                var credit = FieldReader(node, domain: "principles", syntax: syntax, prefix: "credits[\(index + 1)].")
                let name = credit.string("name", required: "\"Name\"")
                let role = credit.string("role")
                credit.warnUnknownKeys(known: ["name", "role"])
                reader.absorb(credit)
                if let name { credits.append(Credit(name: name, role: role)) }
            } else {
                errors.append(PrincipleSetError.creditNotANameOrTable(credit: index + 1, at: node.location))
            }
        }
        reader.warnUnknownKeys(known: ["title", "intro", "rows", "status", "date", "credits"])
        if !hasRows || rowNodes?.isEmpty == true {
            errors.append(PrincipleSetError.noRows(syntax: syntax, at: root.location))
        }

        var rows: [(id: String, cells: [DataNode])] = []
        for (index, node) in (rowNodes ?? []).enumerated() {
            let number = index + 1
            guard case .table = node.value else {
                errors.append(PrincipleSetError.rowNotATable(row: number, at: node.location))
                continue
            }
            var row = FieldReader(node, domain: "principles", syntax: syntax, prefix: "rows[\(number)].")
            var cells: [DataNode] = []
            for column in columns {
                guard let cell = row.located(column, required: "\"…\"") else { continue }
                guard let text = cell.value.scalarText else {
                    _ = row.string(column)
                    continue
                }
                if text.allSatisfy(\.isWhitespace) {
                    errors.append(PrincipleSetError.emptyCell(column: column, row: number, at: cell.location))
                } else {
                    cells.append(cell)
                }
            }
            let written = row.located("id")
            let id = written?.value.scalarText ?? Slug.make(cells.count == 3 ? cells[1].value.scalarText ?? "" : "")
            row.warnUnknownKeys(known: columns + ["id"])
            reader.absorb(row)
            if let written, Slug.make(id) != id {
                let suggestion = Slug.make(id).isEmpty ? "digital-by-default" : Slug.make(id)
                errors.append(PrincipleSetError.badID(id: id, suggestion: suggestion, at: written.location))
                continue
            }
            if let first = rows.firstIndex(where: { $0.id == id }) {
                errors.append(
                    PrincipleSetError.duplicateID(
                        id: id, row: number, firstRow: first + 1, at: written?.location ?? node.location))
                continue
            }
            guard cells.count == 3 else { continue }
            rows.append((id, cells))
        }

        let diagnostics = reader.errors.map(\.diagnostic) + errors.map(\.diagnostic)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }

        // Row ids share the page with headings in the intro and cells, so headings keep clear of them.
        let cellOptions = MarkdownOptions(
            unsafeHTML: markdown.unsafeHTML, smartPunctuation: markdown.smartPunctuation,
            reservedIDs: markdown.reservedIDs.union(rows.map(\.id)))
        func render(_ node: DataNode) -> RenderedMarkdown {
            Markdown.render(node.value.scalarText ?? "", startingAt: markdownOrigin(of: node, in: lines), options: cellOptions)
        }
        func cell(_ node: DataNode) -> PrincipleCell {
            PrincipleCell(markdown: (node.value.scalarText ?? "").trimmingCharacters(in: .whitespacesAndNewlines), rendered: render(node))
        }
        let set = PrincipleSet(
            source: file.path, slug: Slug.make(DocumentParser.nameWithoutNumber(file.path)), title: title,
            intro: introNode.map(render) ?? Markdown.render("", startingAt: root.location, options: cellOptions),
            rows: rows.map { row in
                PrincipleRow(id: row.id, traditional: cell(row.cells[0]), principle: cell(row.cells[1]), practice: cell(row.cells[2]))
            }, status: status, date: date, credits: credits)
        return (set, diagnostics)
    }

    /// Where a string value's text starts, so that links in a cell are reported at their real
    /// line: after `"""` and a line break, on the next line; in a quoted string, after the quote;
    /// in a YAML block scalar (`|`, `>`), on the next line at its indentation.
    static func markdownOrigin(of node: DataNode, in lines: [Substring]) -> SourceLocation {
        let location = node.location
        guard location.line >= 1, location.line <= lines.count else { return location }
        let line = lines[location.line - 1].unicodeScalars
        let rest = String(String.UnicodeScalarView(line.dropFirst(location.column - 1)))
        let next = SourceLocation(file: location.file, line: location.line + 1, column: 1)
        for delimiter in ["\"\"\"", "'''"] where rest.hasPrefix(delimiter) {
            let after = rest.dropFirst(3)
            return after.allSatisfy(\.isWhitespace)
                ? next : SourceLocation(file: location.file, line: location.line, column: location.column + 3)
        }
        if rest.hasPrefix("\"") || rest.hasPrefix("'") {
            return SourceLocation(file: location.file, line: location.line, column: location.column + 1)
        }
        if rest.hasPrefix("|") || rest.hasPrefix(">") {
            let body = lines.dropFirst(location.line).first { !$0.allSatisfy(\.isWhitespace) }
            let indent = body.map { $0.prefix { $0 == " " }.count } ?? 0
            return SourceLocation(file: location.file, line: location.line + 1, column: indent + 1)
        }
        return location
    }
}
