/// What an import did, as the command prints it: a line for each thing a person should look
/// at, file by file, then a table of counts.
public enum ImportReport {
    public static func notes(_ result: ImportResult, plan: ImportPlan) -> [String] {
        var lines: [String] = []
        for document in result.documents {
            lines += document.notes.map { "\(document.path): \($0.message)" }
        }
        let kept = plan.files.filter { $0.outcome == .kept }.map(\.path) + plan.copies.filter { $0.outcome == .kept }.map(\.path)
        lines += kept.map { "\($0): kept as it is: it differs from what the import would write (--force replaces it)" }
        return lines
    }

    /// - Parameter hasUploads: whether a copy of the old site's uploads was given, which
    ///   decides why uploads were left on the old site.
    public static func table(_ result: ImportResult, plan: ImportPlan, hasUploads: Bool) -> String {
        let notes = result.documents.flatMap(\.notes)
        let shortcodes = notes.compactMap { note -> String? in
            if case .shortcode(let name) = note { return name }
            return nil
        }
        let imagesWithoutAlt = notes.count { if case .imageWithoutAlt = $0 { return true } else { return false } }
        let rows: [(String, Int, String)] = [
            ("posts", result.posts, "content/blog/"),
            ("pages", result.pages, "content/pages/"),
            ("drafts", result.drafts.values.reduce(0, +), breakdown(result.drafts, then: "draft: true")),
            ("future posts", result.future, "shown from their date"),
            ("skipped", result.skipped.values.reduce(0, +), breakdown(result.skipped, then: nil)),
            ("comments skipped", result.comments, ""),
            ("shortcodes left", shortcodes.count, unique(shortcodes).map { "[\($0)]" }.joined(separator: ", ")),
            ("uploads copied", plan.copies.count { $0.outcome.writes }, "static/uploads/"),
            (
                "uploads left remote", result.uploadsLeftRemote.count,
                result.uploadsLeftRemote.isEmpty ? "" : hasUploads ? "not in the uploads folder" : "no --uploads folder given"
            ),
            ("images without alt", imagesWithoutAlt, imagesWithoutAlt > 0 ? "written as ![](…): describe them" : ""),
            ("files written", plan.count(.written), plan.createsSiteConfig ? "site.toml made from the export" : ""),
            ("files unchanged", plan.count(.unchanged), ""),
            ("files kept", plan.count(.kept), plan.count(.kept) > 0 ? "edited since: --force replaces them" : ""),
            ("files replaced", plan.count(.replaced), ""),
        ]
        let cells = [("what", "count", "detail")] + rows.map { ($0.0, String($0.1), $0.2) }
        let labelWidth = cells.map(\.0.count).max() ?? 0
        let countWidth = cells.map(\.1.count).max() ?? 0
        return cells.map { label, count, detail in
            let line = label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: countWidth - count.count) + count + "  " + detail
            return line.trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// `1 draft, 2 pending; draft: true`, in a stable order.
    private static func breakdown(_ counts: [String: Int], then suffix: String?) -> String {
        guard !counts.isEmpty else { return "" }
        let parts = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
        return parts.joined(separator: ", ") + (suffix.map { "; " + $0 } ?? "")
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }
}
