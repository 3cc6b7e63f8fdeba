import TOMLKit

/// Errors of reading TOML text, shared by `site.toml`, TOML front matter and data files.
public enum TOMLReadError: DiagnosticConvertible {
    case syntax(message: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .syntax(message, location):
            Diagnostic(
                .error, code: "toml.syntax", "TOML syntax error: \(message)", at: location,
                hint: "strings need quotes (title = \"My post\"), lists need brackets (tags = [\"a\", \"b\"])")
        }
    }
}

/// Reads TOML into located `DataNode`s. TOMLKit parses; because its values carry no
/// positions, `TOMLKeyLocator` finds each key's line and column in the text.
public enum TOMLReader {
    /// - Parameter lineOffset: lines of the file before `text` (front matter starts after `+++`).
    public static func read(_ text: String, file: String, lineOffset: Int = 0) throws(TOMLReadError) -> DataNode {
        if let problem = TOMLGuard.firstProblem(in: text) {
            throw .syntax(
                message: problem.message, at: SourceLocation(file: file, line: problem.line + lineOffset, column: problem.column))
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let (line, column) = inside(text, line: error.source.begin.line, column: error.source.begin.column)
            throw .syntax(message: error.description, at: SourceLocation(file: file, line: line + lineOffset, column: column))
        } catch {
            throw .syntax(message: "\(error)", at: SourceLocation(file: file, line: 1 + lineOffset))
        }
        let locator = TOMLKeyLocator(text: text)
        let root = SourceLocation(file: file, line: 1 + lineOffset)
        return convert(table, path: [], locator: locator, file: file, lineOffset: lineOffset, fallback: root)
    }

    /// The nearest place in `text` to a position toml++ gives: at the end of the input it can
    /// give a column past the end of the last line (found by fuzzing), where no editor can go.
    private static func inside(_ text: String, line: Int, column: Int) -> (line: Int, column: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = min(max(line, 1), lines.count)
        return (line, min(max(column, 1), lines[line - 1].unicodeScalars.count + 1))
    }

    private static func convert(
        _ value: TOMLValueConvertible, path: [String], locator: TOMLKeyLocator,
        file: String, lineOffset: Int, fallback: SourceLocation
    ) -> DataNode {
        func location(_ position: TOMLKeyLocator.Position?) -> SourceLocation? {
            position.map { SourceLocation(file: file, line: $0.line + lineOffset, column: $0.column) }
        }
        let here = location(locator.value(at: path)) ?? fallback
        switch value.type {
        case .table:
            let table = value.table!
            let fields = table.keys.sorted().map { key -> DataField in
                let childPath = path + [key]
                let keyLocation = location(locator.key(at: childPath)) ?? here
                let node = convert(
                    table[key]!, path: childPath, locator: locator, file: file, lineOffset: lineOffset,
                    fallback: keyLocation)
                return DataField(key: key, keyLocation: keyLocation, node: node)
            }
            return DataNode(.table(fields), at: here)
        case .array:
            let array = value.array!
            let items = (0..<array.count).map { index in
                convert(
                    array[index], path: path + [String(index)], locator: locator, file: file,
                    lineOffset: lineOffset, fallback: here)
            }
            return DataNode(.list(items), at: here)
        case .string: return DataNode(.string(value.string!), at: here)
        case .int: return DataNode(.integer(value.int!), at: here)
        case .double: return DataNode(.float(value.double!), at: here)
        case .bool: return DataNode(.bool(value.bool!), at: here)
        case .date:
            let d = value.date!
            return DataNode(.datetime(isoDate(d)), at: here)
        case .dateTime:
            let dt = value.dateTime!
            var text = isoDate(dt.date) + "T" + isoTime(dt.time)
            if let offset = dt.offset {
                let minutes = abs(offset.offset)
                text += offset.offset == 0
                    ? "Z" : (offset.offset < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
            }
            return DataNode(.datetime(text), at: here)
        case .time:
            return DataNode(.string(isoTime(value.time!)), at: here)
        }
    }

    private static func isoDate(_ d: TOMLDate) -> String {
        pad(d.year, 4) + "-" + pad(d.month) + "-" + pad(d.day)
    }

    private static func isoTime(_ t: TOMLTime) -> String {
        pad(t.hour) + ":" + pad(t.minute) + ":" + pad(t.second)
    }

    private static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// Finds where keys and values sit in TOML text: `[blog]` then `page_size = 10` gives
/// `blog.page_size` at its line. Arrays of tables are indexed (`menu.0.name`).
struct TOMLKeyLocator {
    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    private var keys: [[String]: Position] = [:]
    private var values: [[String]: Position] = [:]

    init(text: String) {
        var table: [String] = []
        var arrayCounts: [[String]: Int] = [:]
        var multilineDelimiter: String?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(rawLine.unicodeScalars)
            if let delimiter = multilineDelimiter {
                if String(rawLine).contains(delimiter) { multilineDelimiter = nil }
                continue
            }
            var i = 0
            while i < line.count, line[i] == " " || line[i] == "\t" { i += 1 }
            guard i < line.count, line[i] != "#" else { continue }
            if line[i] == "[" {
                let isArray = i + 1 < line.count && line[i + 1] == "["
                var j = i + (isArray ? 2 : 1)
                guard let (path, end) = Self.parseKey(line, from: &j), end < line.count, line[end] == "]" else { continue }
                if isArray {
                    let index = arrayCounts[path, default: 0]
                    arrayCounts[path] = index + 1
                    table = path + [String(index)]
                    keys[path] = keys[path] ?? Position(line: lineNumber, column: i + 1)
                } else {
                    table = Self.resolve(path, arrayCounts: arrayCounts)
                }
                keys[table] = Position(line: lineNumber, column: i + 1)
                values[table] = Position(line: lineNumber, column: i + 1)
                continue
            }
            var j = i
            guard let (path, end) = Self.parseKey(line, from: &j), end < line.count, line[end] == "=" else { continue }
            let full = table + path
            keys[full] = Position(line: lineNumber, column: i + 1)
            var v = end + 1
            while v < line.count, line[v] == " " || line[v] == "\t" { v += 1 }
            values[full] = Position(line: lineNumber, column: v + 1)
            let rest = String(String.UnicodeScalarView(line[v...]))
            for delimiter in ["\"\"\"", "'''"] where rest.hasPrefix(delimiter) {
                if !rest.dropFirst(3).contains(delimiter) { multilineDelimiter = delimiter }
            }
        }
    }

    func key(at path: [String]) -> Position? { keys[path] }
    func value(at path: [String]) -> Position? { values[path] ?? keys[path] }

    /// `[[menu]]` then `[menu.sub]` means the sub-table of the latest menu entry.
    private static func resolve(_ path: [String], arrayCounts: [[String]: Int]) -> [String] {
        var resolved: [String] = []
        var prefix: [String] = []
        for part in path {
            prefix.append(part)
            resolved.append(part)
            if let count = arrayCounts[prefix] { resolved.append(String(count - 1)) }
        }
        return resolved
    }

    /// Reads a dotted key (bare or quoted parts); returns the parts and the index after it and any spaces.
    private static func parseKey(_ line: [Unicode.Scalar], from index: inout Int) -> ([String], Int)? {
        var parts: [String] = []
        while true {
            while index < line.count, line[index] == " " || line[index] == "\t" { index += 1 }
            guard index < line.count else { return nil }
            var part = ""
            if line[index] == "\"" || line[index] == "'" {
                let quote = line[index]
                index += 1
                while index < line.count, line[index] != quote {
                    if quote == "\"", line[index] == "\\", index + 1 < line.count { index += 1 }
                    part.unicodeScalars.append(line[index])
                    index += 1
                }
                guard index < line.count else { return nil }
                index += 1
            } else {
                while index < line.count,
                    line[index].properties.isAlphabetic || ("0"..."9").contains(line[index])
                        || line[index] == "_" || line[index] == "-"
                {
                    part.unicodeScalars.append(line[index])
                    index += 1
                }
                guard !part.isEmpty else { return nil }
            }
            parts.append(part)
            while index < line.count, line[index] == " " || line[index] == "\t" { index += 1 }
            guard index < line.count, line[index] == "." else { return (parts, index) }
            index += 1
        }
    }
}
