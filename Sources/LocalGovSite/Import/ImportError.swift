/// Why an export could not be imported at all. Anything less (a post without a date, a
/// shortcode no converter knows) is imported and listed in the report instead.
public enum ImportError: DiagnosticConvertible, Equatable {
    case malformedXML(file: String, line: Int, column: Int, message: String)
    /// `<!ENTITY` in the document type: no export needs one, and it is how entity-expansion
    /// and file-reading attacks start, so it is refused before anything is expanded.
    case entityDeclaration(file: String, line: Int, column: Int)
    /// Well-formed XML, but not the export the command reads.
    case notAnExport(file: String, line: Int, expected: String, found: String, hint: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .malformedXML(file, line, column, message):
            Diagnostic(
                .error, code: "import.malformed-xml", "the export is not well-formed XML: \(message)",
                at: SourceLocation(file: file, line: line, column: column))
        case let .entityDeclaration(file, line, column):
            Diagnostic(
                .error, code: "import.entities",
                "the export declares XML entities, which are refused: they are how entity-expansion and file-reading attacks work",
                at: SourceLocation(file: file, line: line, column: column))
        case let .notAnExport(file, line, expected, found, hint):
            Diagnostic(
                .error, code: "import.not-an-export", "this is \(found), not \(expected)",
                at: SourceLocation(file: file, line: line, column: 1), hint: hint)
        }
    }

    /// The failures every XML export shares, in the importer's terms.
    static func reading(_ failure: LibXML.ReadFailure, file: String) -> ImportError {
        switch failure {
        case let .entityDeclaration(line, column): .entityDeclaration(file: file, line: line, column: column)
        case let .malformed(line, column, message): .malformedXML(file: file, line: line, column: column, message: message)
        }
    }
}
