import Foundation

/// Structured data for search engines and link previews, written into a page's head.
enum JSONLD {
    static func person(_ profile: AuthorProfile, page: String) -> [String: Any] {
        var person: [String: Any] = [
            "@context": "https://schema.org", "@type": "Person", "name": profile.name, "url": page,
            "description": profile.summary,
        ]
        if let role = profile.role { person["jobTitle"] = role }
        if let organisation = profile.organisation { person["worksFor"] = ["@type": "Organization", "name": organisation] }
        let web = profile.links.map(\.url).filter { $0.hasPrefix("http") }
        if !web.isEmpty { person["sameAs"] = web }
        return person
    }

    /// The object as the text of a `<script type="application/ld+json">`: keys sorted so output is
    /// deterministic, and `<`, `>` and `&` escaped so no text can close the script element.
    static func script(_ object: [String: Any]) -> String {
        guard
            let text = JSONText.encode(object)
                ?? (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                .map({ String(decoding: $0, as: UTF8.self) })
        else { return "{}" }
        return scriptSafe.apply(to: text)
    }

    private static let scriptSafe = TextRewriter([("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")])
}
