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
    /// Walks lines over UTF-8 until the closing delimiter: bodies can be megabytes.
    public static func split(_ text: String, file: String) throws(FrontMatterError) -> FrontMatterSplit {
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var lineNumber = 0
        var syntax: DataSyntax?
        var opener = ""
        var fieldsStart = utf8.startIndex
        while lineStart < utf8.endIndex || lineNumber == 0 {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            lineNumber += 1
            let line = Substring(text[lineStart..<lineEnd]).trimmingTrailingSpaces
            let next = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
            if lineNumber == 1 {
                guard line == "---" || line == "+++" else { throw .missing(at: SourceLocation(file: file)) }
                syntax = line == "---" ? .yaml : .toml
                opener = String(line)
                fieldsStart = next
            } else if line == opener || (syntax == .yaml && line == "...") {
                let fieldsEnd = lineStart > fieldsStart ? utf8.index(before: lineStart) : fieldsStart
                return FrontMatterSplit(
                    syntax: syntax!, fields: String(text[fieldsStart..<fieldsEnd]), fieldsStartLine: 2,
                    body: String(text[next...]), bodyStartLine: lineNumber + 1)
            }
            if lineEnd == utf8.endIndex { break }
            lineStart = next
        }
        throw .unclosed(delimiter: opener, at: SourceLocation(file: file))
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
