/// Problems with one field of a table (front matter, `site.toml`, a data file).
public enum FieldError: DiagnosticConvertible {
    case missing(domain: String, key: String, example: String, at: SourceLocation)
    case wrongType(domain: String, key: String, expected: String, found: String, example: String, at: SourceLocation)
    case invalid(domain: String, key: String, message: String, at: SourceLocation)
    case unknown(domain: String, key: String, suggestion: String?, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .missing(domain, key, example, location):
            Diagnostic(.error, code: "\(domain).missing", "missing required field \"\(key)\"; add a line such as \(example)", at: location)
        case let .wrongType(domain, key, expected, found, example, location):
            Diagnostic(
                .error, code: "\(domain).type", "\"\(key)\" should be \(expected), not \(found); write it as \(example)", at: location)
        case let .invalid(domain, key, message, location):
            Diagnostic(.error, code: "\(domain).\(key.split(separator: ".").last ?? "value")", message, at: location)
        case let .unknown(domain, key, suggestion, location):
            Diagnostic(
                .warning, code: "\(domain).unknown-key",
                "unknown key \"\(key)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "; it is ignored"), at: location)
        }
    }
}

/// The syntax a table was written in, so that examples in messages are ones the user can paste.
public enum DataSyntax: Sendable {
    case yaml, toml

    func example(_ key: String, _ value: String) -> String {
        self == .yaml ? "\(key): \(value)" : "\(key) = \(value)"
    }
}

/// Reads typed fields from a table node, recording every problem instead of stopping at the first.
struct FieldReader {
    let table: DataNode
    let domain: String
    let syntax: DataSyntax
    /// Dotted prefix for nested tables (`blog.`), so messages name the full key path.
    let prefix: String
    private(set) var errors: [FieldError] = []
    private(set) var used: Set<String> = []

    init(_ table: DataNode, domain: String, syntax: DataSyntax, prefix: String = "") {
        self.table = table
        self.domain = domain
        self.syntax = syntax
        self.prefix = prefix
    }

    var fields: [DataField] {
        if case .table(let fields) = table.value { return fields }
        return []
    }

    mutating func field(_ key: String) -> DataField? {
        used.insert(key)
        guard let field = fields.first(where: { $0.key == key }) else { return nil }
        if case .null = field.node.value { return nil }
        return field
    }

    mutating func requireField(_ key: String, example: String) -> DataField? {
        guard let found = field(key) else {
            errors.append(.missing(domain: domain, key: prefix + key, example: syntax.example(key, example), at: table.location))
            return nil
        }
        return found
    }

    mutating func string(_ key: String, required example: String? = nil) -> String? {
        let found = example.map { requireField(key, example: $0) } ?? field(key)
        guard let found else { return nil }
        guard let text = found.node.value.scalarText else {
            wrongType(found, expected: "text", example: "\"…\"")
            return nil
        }
        return text
    }

    mutating func located(_ key: String, required example: String? = nil) -> DataNode? {
        (example.map { requireField(key, example: $0) } ?? field(key))?.node
    }

    mutating func integer(_ key: String, required example: String? = nil, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let found = example.map({ requireField(key, example: $0) }) ?? field(key) else { return nil }
        guard case .integer(let value) = found.node.value else {
            wrongType(found, expected: "a whole number", example: "10")
            return nil
        }
        if let range, !range.contains(value) {
            errors.append(
                .invalid(
                    domain: domain, key: prefix + key,
                    message: "\"\(prefix + key)\" is \(value); it must be between \(range.lowerBound) and \(range.upperBound)",
                    at: found.node.location))
            return nil
        }
        return value
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let found = field(key) else { return nil }
        guard case .bool(let value) = found.node.value else {
            wrongType(found, expected: "true or false", example: "true")
            return nil
        }
        return value
    }

    /// A list of text; a single text value is accepted as a list of one (`authors: Priya Shah`).
    mutating func stringList(_ key: String) -> [String]? {
        guard let found = field(key) else { return nil }
        switch found.node.value {
        case .list(let items):
            var result: [String] = []
            for item in items {
                guard let text = item.value.scalarText else {
                    wrongType(found, expected: "a list of text", example: "[\"first\", \"second\"]")
                    return nil
                }
                result.append(text)
            }
            return result
        default:
            if let text = found.node.value.scalarText { return [text] }
            wrongType(found, expected: "a list of text", example: "[\"first\", \"second\"]")
            return nil
        }
    }

    mutating func table(_ key: String) -> DataNode? {
        guard let found = field(key) else { return nil }
        guard case .table = found.node.value else {
            wrongType(found, expected: "a table", example: syntax == .toml ? "[\(prefix + key)]" : "\(key): { … }")
            return nil
        }
        return found.node
    }

    mutating func list(_ key: String) -> [DataNode]? {
        guard let found = field(key) else { return nil }
        guard case .list(let items) = found.node.value else {
            wrongType(found, expected: "a list", example: "[…]")
            return nil
        }
        return items
    }

    mutating func invalid(_ key: String, _ message: String, at location: SourceLocation) {
        errors.append(.invalid(domain: domain, key: prefix + key, message: message, at: location))
    }

    mutating func absorb(_ other: FieldReader) {
        errors.append(contentsOf: other.errors)
    }

    /// Fields nobody asked for: warnings in configuration, kept for templates in front matter.
    var unusedFields: [DataField] { fields.filter { !used.contains($0.key) } }

    mutating func warnUnknownKeys(known: [String]) {
        for field in unusedFields {
            let suggestion = known.min { editDistance($0, field.key) < editDistance($1, field.key) }
                .flatMap { editDistance($0, field.key) <= 2 ? $0 : nil }
            errors.append(.unknown(domain: domain, key: prefix + field.key, suggestion: suggestion, at: field.keyLocation))
        }
    }

    private mutating func wrongType(_ field: DataField, expected: String, example: String) {
        errors.append(
            .wrongType(
                domain: domain, key: prefix + field.key, expected: expected, found: field.node.value.kindName,
                example: syntax.example(field.key, example), at: field.node.location))
    }
}

/// Levenshtein distance, for "did you mean" suggestions on short keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
