import Yams

public enum YAMLReadError: DiagnosticConvertible {
    case syntax(problem: String, at: SourceLocation)
    case notAMapping(at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .syntax(problem, location):
            Diagnostic(
                .error, code: "yaml.syntax", "YAML syntax error: \(problem)", at: location,
                hint: problem.contains("control characters")
                    ? "delete the invisible character (often pasted from another program), or write it as an escape such as \\t inside double quotes"
                    : "put a space after each colon (title: My post) and quote text that contains \": \" or starts with a special character")
        case let .notAMapping(location):
            Diagnostic(
                .error, code: "yaml.not-a-mapping", "front matter must be a list of fields such as `title: My post`",
                at: location)
        }
    }
}

/// Reads YAML into located `DataNode`s through Yams' node tree, which keeps each node's mark.
public enum YAMLReader {
    public static func read(_ text: String, file: String, lineOffset: Int = 0) throws(YAMLReadError) -> DataNode {
        let start = SourceLocation(file: file, line: 1 + lineOffset)
        let root: Node?
        do {
            // The encoding named, not Yams' default, which reads the environment on every call.
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw .syntax(
                problem: problem(of: error, lineOffset: lineOffset),
                at: location(of: error, file: file, lineOffset: lineOffset) ?? start)
        } catch {
            throw .syntax(problem: "\(error)", at: start)
        }
        guard let root else { return DataNode(.table([]), at: start) }
        let node = convert(root, file: file, lineOffset: lineOffset, fallback: start)
        guard case .table = node.value else { throw .notAMapping(at: node.location) }
        return node
    }

    private static func convert(_ node: Node, file: String, lineOffset: Int, fallback: SourceLocation) -> DataNode {
        let location = node.mark.map { SourceLocation(file: file, line: $0.line + lineOffset, column: $0.column) } ?? fallback
        switch node {
        case .scalar(let scalar):
            return DataNode(scalarValue(scalar, tag: node.tag), at: location)
        case .sequence(let sequence):
            return DataNode(
                .list(sequence.map { convert($0, file: file, lineOffset: lineOffset, fallback: location) }), at: location)
        case .mapping(let mapping):
            let fields = mapping.map { key, value in
                let keyLocation = key.mark.map { SourceLocation(file: file, line: $0.line + lineOffset, column: $0.column) } ?? location
                return DataField(
                    key: key.string ?? "", keyLocation: keyLocation,
                    node: convert(value, file: file, lineOffset: lineOffset, fallback: keyLocation))
            }
            return DataNode(.table(fields), at: location)
        case .alias:
            return DataNode(.null, at: location)
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, tag: Tag) -> DataValue {
        let text = scalar.string
        switch Tag.Name(rawValue: tag.rawValue) {
        case .int: return Int(text).map(DataValue.integer) ?? .string(text)
        case .float: return Double(text).map(DataValue.float) ?? .string(text)
        case .bool: return .bool(["true", "yes", "on"].contains(text.lowercased()))
        case .null: return .null
        case .timestamp: return .datetime(text)
        default: return .string(text)
        }
    }

    /// libyaml's context names where the broken construct began (an unclosed quote's first
    /// line), which is often where the fix goes.
    private static func problem(of error: YamlError, lineOffset: Int) -> String {
        switch error {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _),
            let .composer(context, problem, _, _):
            guard let context else { return problem }
            return "\(problem) (\(context.text) that starts at line \(context.mark.line + lineOffset), column \(context.mark.column))"
        case let .reader(problem, _, _, _): return problem
        case let .duplicatedKeysInMapping(duplicates, _): return "the field \(duplicates.joined(separator: ", ")) is written twice"
        default: return "\(error)"
        }
    }

    private static func location(of error: YamlError, file: String, lineOffset: Int) -> SourceLocation? {
        let mark: Mark?
        switch error {
        case let .scanner(_, _, m, _), let .parser(_, _, m, _), let .composer(_, _, m, _): mark = m
        case let .duplicatedKeysInMapping(_, context): mark = context.mark
        default: mark = nil
        }
        return mark.map { SourceLocation(file: file, line: $0.line + lineOffset, column: $0.column) }
    }
}
