import ArgumentParser
import Foundation
import LocalGovSite

/// How diagnostics are written: compiler style for people and editors, workflow commands for
/// GitHub Actions (which annotate the diff with them), or JSON for other tools.
enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, github, json
}

/// The one place diagnostics are printed.
enum DiagnosticReporter {
    static func report(
        _ diagnostics: Diagnostics, format: DiagnosticFormat = .text, to write: (String) -> Void = Terminal.error
    ) {
        switch format {
        case .text:
            for diagnostic in diagnostics.sorted { write(diagnostic.description) }
            let errors = diagnostics.errorCount
            let warnings = diagnostics.warningCount
            guard errors + warnings > 0 else { return }
            write("\(English.count(errors, "error")), \(English.count(warnings, "warning"))")
        case .github:
            for diagnostic in diagnostics.sorted { write(githubCommand(diagnostic)) }
        case .json:
            write(json(diagnostics))
        }
    }

    /// `::error file=content/x.md,line=3,col=7,title=front-matter.date::date "…" is not a date`
    static func githubCommand(_ diagnostic: Diagnostic) -> String {
        let command = diagnostic.severity == .note ? "notice" : diagnostic.severity.rawValue
        var properties: [String] = []
        if let location = diagnostic.location {
            properties += ["file=\(property(location.file))", "line=\(location.line)", "col=\(location.column)"]
        }
        properties.append("title=\(property(diagnostic.code))")
        var message = diagnostic.message
        if let hint = diagnostic.hint { message += "\nhint: \(hint)" }
        return "::\(command) \(properties.joined(separator: ","))::\(data(message))"
    }

    /// The escaping GitHub's runner undoes: in a message `%`, CR and LF; in a property also `:` and `,`.
    private static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    private struct Report: Encodable {
        struct Item: Encodable {
            var severity: String
            var code: String
            var message: String
            var file: String?
            var line: Int?
            var column: Int?
            var hint: String?
        }
        var errors: Int
        var warnings: Int
        var diagnostics: [Item]
    }

    /// One JSON document: the counts and every diagnostic in file order.
    static func json(_ diagnostics: Diagnostics) -> String {
        let report = Report(
            errors: diagnostics.errorCount, warnings: diagnostics.warningCount,
            diagnostics: diagnostics.sorted.map {
                Report.Item(
                    severity: $0.severity.rawValue, code: $0.code, message: $0.message, file: $0.location?.file,
                    line: $0.location?.line, column: $0.location?.column, hint: $0.hint)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
