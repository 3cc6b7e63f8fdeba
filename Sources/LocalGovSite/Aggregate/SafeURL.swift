import Foundation

/// The one gate every URL from a feed passes before it reaches a page: links, images, citations
/// and the entries' own addresses.
enum SafeURL {
    static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    /// The absolute form of `raw` if it is safe to put in `href` or `src`, else nil.
    ///
    /// `raw` is already entity-decoded by the parser. Browsers ignore tabs and newlines anywhere
    /// in a URL and strip leading and trailing controls and spaces, so `jav&#x09;ascript:` and
    /// ` javascript:` are javascript: URLs to them: we strip the same way before reading the
    /// scheme, refuse any other control character outright, and check the scheme again after
    /// resolving, since a hostile `xml:base` can make a relative URL absolute in any scheme.
    /// Without a base, a relative URL stays relative.
    static func resolve(_ raw: String, against base: URL?) -> String? {
        var scalars = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars where scalar != "\t" && scalar != "\n" && scalar != "\r" {
            scalars.append(scalar)
        }
        let cleaned = String(scalars).trimmingCharacters(in: .whitespaces.union(.controlCharacters))
        guard !cleaned.isEmpty, !cleaned.unicodeScalars.contains(where: isControl) else { return nil }
        if let scheme = scheme(of: cleaned) {
            guard allowedSchemes.contains(scheme), let url = URL(string: cleaned) else { return nil }
            return url.absoluteString
        }
        guard let base else { return cleaned }
        guard let url = URL(string: cleaned, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), allowedSchemes.contains(scheme)
        else { return nil }
        return url.absoluteString
    }

    /// The lowercased scheme as the URL standard reads it: a letter, then letters, digits,
    /// `+`, `-` or `.`, then `:`.
    private static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let candidate = text[..<colon]
        guard let first = candidate.unicodeScalars.first, first.isASCIILetter,
            candidate.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || "+-.".unicodeScalars.contains($0) })
        else { return nil }
        return candidate.lowercased()
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
