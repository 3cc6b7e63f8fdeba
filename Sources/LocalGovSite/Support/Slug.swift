import Foundation

/// URL and fragment slugs: lowercase letters and digits joined by single hyphens.
/// Letters outside ASCII (Welsh ŵ, ŷ) are kept, in NFC, so a title reads the same in the address bar.
public enum Slug {
    public static func make(_ text: String) -> String {
        var result = ""
        var pendingHyphen = false
        // ASCII is already in normal form; Foundation's normalising is most of the cost otherwise.
        let normal = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
        for scalar in normal.lowercased().unicodeScalars {
            // ASCII answered without Unicode's property tables, which were most of a slug's cost.
            let isWordCharacter =
                scalar.isASCII
                ? ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                : scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
            if isWordCharacter {
                if pendingHyphen, !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "\u{2019}" {
                continue
            } else {
                pendingHyphen = true
            }
        }
        return result
    }

    /// A slug written by hand is used as given, but it must stay one path segment inside the output.
    public static func isSafe(_ slug: String) -> Bool {
        !slug.isEmpty && slug != "." && slug != ".." && !slug.contains("/") && !slug.contains("\\")
            && !slug.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == " " }
    }
}

/// Hands out unique ids within one page: a second "Background" heading becomes `background-1`.
struct UniqueIDs {
    private var used: Set<String>
    /// The last number each base needed: every lower one is taken, so counting resumes there
    /// (a page of 100,000 "Background" headings would otherwise count from 1 each time).
    private var lastNumber: [String: Int] = [:]

    init(reserved: Set<String> = []) {
        used = reserved
    }

    mutating func claim(_ base: String) -> String {
        let base = base.isEmpty ? "section" : base
        var candidate = base
        var counter = lastNumber[base] ?? 0
        if counter > 0 { candidate = "\(base)-\(counter)" }
        while used.contains(candidate) {
            counter += 1
            candidate = "\(base)-\(counter)"
        }
        lastNumber[base] = counter
        used.insert(candidate)
        return candidate
    }
}
