/// Front matter and body of a content file, with the lines they start on.
public struct FrontMatterSplit: Sendable, Hashable {
    public var syntax: DataSyntax
    public var fields: String
    /// Line of the file on which the first field line is written (2 when `---` is line 1).
    public var fieldsStartLine: Int
    public var body: String
    public var bodyStartLine: Int
}

public enum FrontMatterError: DiagnosticConvertible {
    case missing(at: SourceLocation)
    case unclosed(delimiter: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .missing(location):
            Diagnostic(
                .error, code: "front-matter.missing", "this file has no front matter; did you forget `---`?", at: location,
                hint: "start the file with a line `---`, then fields such as `title: My post`, then another `---`")
        case let .unclosed(delimiter, location):
            Diagnostic(
                .error, code: "front-matter.unclosed",
                "front matter opened with `\(delimiter)` is never closed; add a line `\(delimiter)` after the last field",
                at: location)
        }
    }
}

public enum FrontMatter {
    /// Splits `---` (YAML) or `+++` (TOML) front matter from the markdown body.
    public static func split(_ text: String, file: String) throws(FrontMatterError) -> FrontMatterSplit {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first.map({ $0.trimmingTrailingSpaces }), first == "---" || first == "+++" else {
            throw .missing(at: SourceLocation(file: file))
        }
        let syntax: DataSyntax = first == "---" ? .yaml : .toml
        let closers: Set<Substring> = syntax == .yaml ? ["---", "..."] : ["+++"]
        guard let end = lines.indices.dropFirst().first(where: { closers.contains(lines[$0].trimmingTrailingSpaces) }) else {
            throw .unclosed(delimiter: String(first), at: SourceLocation(file: file))
        }
        return FrontMatterSplit(
            syntax: syntax,
            fields: lines[1..<end].joined(separator: "\n"),
            fieldsStartLine: 2,
            body: lines[(end + 1)...].joined(separator: "\n"),
            bodyStartLine: end + 2)
    }

    public static func read(_ split: FrontMatterSplit, file: String) throws -> DataNode {
        let offset = split.fieldsStartLine - 1
        switch split.syntax {
        case .yaml: return try YAMLReader.read(split.fields, file: file, lineOffset: offset)
        case .toml: return try TOMLReader.read(split.fields, file: file, lineOffset: offset)
        }
    }
}

extension Substring {
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
