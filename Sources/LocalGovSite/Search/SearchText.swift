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
        forEachWord(in: text) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// The terms a text is indexed under, in order, repeats kept (they count).
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        forEachWord(in: text) { word in
            if word.count <= longestStopWord, stopWords.contains(String(decoding: word, as: UTF8.self)) { return }
            terms.append(stemmed(word))
        }
        return terms
    }

    private static let longestStopWord = stopWords.map(\.utf8.count).max() ?? 0

    /// Calls `body` with each word's folded UTF-8 bytes. Words are gathered as bytes, straight
    /// from the text's own: appending to a byte array is several times cheaper than to a String,
    /// and most of a text is ASCII, which needs no decoding.
    private static func forEachWord(in text: String, _ body: (ArraySlice<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            // Declared here, not captured from outside: a captured buffer is checked for
            // exclusive access at run time on every append, which was most of the splitting.
            var word: [UInt8] = []
            word.reserveCapacity(32)
            var i = 0
            while i <= bytes.count {
                let byte = i < bytes.count ? bytes[i] : 0x20
                var ends = false
                if byte < 0x80 {
                    i += 1
                    switch byte {
                    case 0x61...0x7A, 0x30...0x39: word.append(byte)
                    case 0x41...0x5A: word.append(byte + 32)
                    case 0x27: break
                    default: ends = true
                    }
                } else {
                    // A longer character: its length is in its first byte, its value in the rest.
                    let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                    var value = UInt32(byte & (0xFF >> (length + 1)))
                    for k in 1..<length where i + k < bytes.count { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                    i += length
                    if let scalar = Unicode.Scalar(value), scalar != "\u{2019}" {
                        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                            for folded in fold(scalar) { word.append(contentsOf: String(folded).utf8) }
                        } else if scalar.properties.generalCategory != .nonspacingMark {
                            ends = true
                        }
                    }
                }
                if ends, !word.isEmpty {
                    body(word[...])
                    word.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// Accents off, case folded: `Ŵ` → `w`, `É` → `e`, `ß` → `ss`.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let decomposed = String(scalar).decomposedStringWithCompatibilityMapping.lowercased()
        return decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
    }

    /// English plural to singular, by the rules of Harman's S-stemmer, plus `-ches`/`-shes`/`-xes`.
    public static func stem(_ word: String) -> String { stemmed(Array(word.utf8)[...]) }

    /// `stem` on UTF-8 bytes: every suffix tested is ASCII, and no byte of a longer character is.
    private static func stemmed(_ bytes: ArraySlice<UInt8>) -> String {
        let count = bytes.count
        func whole() -> String { String(decoding: bytes, as: UTF8.self) }
        guard count > 3, bytes[bytes.endIndex - 1] == UInt8(ascii: "s") else { return whole() }
        func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard count >= length else { return false }
            return suffix.withUTF8Buffer { bytes[(bytes.endIndex - length)...].elementsEqual($0) }
        }
        func dropping(_ n: Int, adding tail: String = "") -> String {
            String(decoding: bytes[..<(bytes.endIndex - n)], as: UTF8.self) + tail
        }
        if ends("ies"), !ends("eies"), !ends("aies") { return dropping(3, adding: "y") }
        if count > 4, ends("ches") || ends("shes") || ends("sses") || ends("xes") { return dropping(2) }
        if ends("es"), !ends("aes"), !ends("ees"), !ends("oes") { return dropping(1) }
        if ends("ss") || ends("us") || ends("is") { return whole() }
        return dropping(1)
    }
}
