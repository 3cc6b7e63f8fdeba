/// One problem found in the site's input, ready to be printed compiler-style:
/// `content/blog/x.md:3:7: error: date "15/02/2017" is not a date; write 2017-02-15 [front-matter.date]`.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning, note
    }

    public var severity: Severity
    /// A stable, dotted identifier (`front-matter.date`) that tests and users can grep for.
    public var code: String
    /// What is wrong and, where we can tell, what to write instead.
    public var message: String
    public var location: SourceLocation?
    /// A further hint printed on its own line, for fixes that need more than a clause.
    public var hint: String?

    public init(
        _ severity: Severity, code: String, _ message: String,
        at location: SourceLocation?, hint: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue): \(message) [\(code)]"
        if let hint { text += "\n    hint: \(hint)" }
        return text
    }
}

/// Every stage's typed error converts to a diagnostic, so one reporter prints them all.
public protocol DiagnosticConvertible: Error {
    var diagnostic: Diagnostic { get }
}

/// Collects the diagnostics of a build so that all of them are reported, not just the first.
public struct Diagnostics: Sendable {
    public private(set) var items: [Diagnostic] = []

    public init(_ items: [Diagnostic] = []) {
        self.items = items
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        items.append(diagnostic)
    }

    public mutating func append(_ error: some DiagnosticConvertible) {
        items.append(error.diagnostic)
    }

    public mutating func append(contentsOf diagnostics: [Diagnostic]) {
        items.append(contentsOf: diagnostics)
    }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var errorCount: Int { items.count { $0.severity == .error } }
    public var warningCount: Int { items.count { $0.severity == .warning } }

    /// Ordered by file and position, so output does not depend on which thread finished first.
    public var sorted: [Diagnostic] {
        items.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (l?, r?) where l != r: return l < r
            case (nil, _?): return true
            case (_?, nil): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}
