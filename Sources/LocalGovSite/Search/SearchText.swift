import Foundation

/// How text becomes search terms, the same way here (for the index) and in
/// `assets/search/search-core.js` (for queries); `Tests/Fixtures/search/vectors.json` holds the
/// cases both must agree on.
///
/// Words are split on anything that is not a letter or a digit, apostrophes are dropped
/// (`council's` → `councils`), accents are removed and case is folded (`Ŵyl` → `wyl`), stop
/// words are left out, and English plurals are reduced to their singular (`councils` →
/// `council`, `policies` → `policy`, `churches` → `church`), which is the inflection that matters
/// most in search. Welsh words are split the same way and are not stemmed.
public enum SearchText {
    /// Common English and Welsh words that would match nearly every page.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "into", "is", "it",
        "its", "of", "on", "or", "so", "than", "that", "the", "their", "then", "there", "these", "they", "this", "to",
        "was", "we", "were", "what", "when", "which", "who", "will", "with", "you", "your",
        "ac", "am", "ar", "ei", "eu", "gan", "gyda", "i", "mae", "o", "y", "yn", "yr",
    ]

    /// The words of `text`, folded but not stemmed, with stop words kept: for snippets and vectors.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                switch scalar.value {
                case 0x61...0x7A, 0x30...0x39: current.append(scalar)
                case 0x41...0x5A: current.append(Unicode.Scalar(scalar.value + 32)!)
                case 0x27: continue
                default: flush()
                }
            } else if scalar == "\u{2019}" {
                continue
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                for folded in fold(scalar) { current.append(folded) }
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The terms a text is indexed under, in order, repeats kept (they count).
    public static func terms(_ text: String) -> [String] {
        words(text).compactMap { stopWords.contains($0) ? nil : stem($0) }
    }

    /// Accents off, case folded: `Ŵ` → `w`, `É` → `e`, `ß` → `ss`.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let decomposed = String(scalar).decomposedStringWithCompatibilityMapping.lowercased()
        return decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
    }

    /// English plural to singular, by the rules of Harman's S-stemmer, plus `-ches`/`-shes`/`-xes`.
    public static func stem(_ word: String) -> String {
        let count = word.utf8.count
        guard count > 3, word.hasSuffix("s") else { return word }
        if word.hasSuffix("ies"), !word.hasSuffix("eies"), !word.hasSuffix("aies") {
            return String(word.dropLast(3)) + "y"
        }
        if count > 4, word.hasSuffix("ches") || word.hasSuffix("shes") || word.hasSuffix("sses") || word.hasSuffix("xes") {
            return String(word.dropLast(2))
        }
        if word.hasSuffix("es"), !word.hasSuffix("aes"), !word.hasSuffix("ees"), !word.hasSuffix("oes") {
            return String(word.dropLast(1))
        }
        if word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") { return word }
        return String(word.dropLast(1))
    }
}
