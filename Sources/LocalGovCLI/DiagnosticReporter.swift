import LocalGovSite

/// The one place diagnostics are printed: compiler style, so editors and CI annotate them.
enum DiagnosticReporter {
    static func report(_ diagnostics: Diagnostics, to write: (String) -> Void = Terminal.error) {
        for diagnostic in diagnostics.sorted { write(diagnostic.description) }
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        guard errors + warnings > 0 else { return }
        write("\(English.count(errors, "error")), \(English.count(warnings, "warning"))")
    }
}
