import Foundation

/// Structured data for search engines and link previews, written into a page's head.
enum JSONLD {
    static func person(_ profile: AuthorProfile, page: String) -> [String: JSONValue] {
        var person: [String: JSONValue] = [
            "@context": "https://schema.org", "@type": "Person", "name": .text(profile.name), "url": .text(page),
            "description": .text(profile.summary),
        ]
        if let role = profile.role { person["jobTitle"] = .text(role) }
        if let organisation = profile.organisation { person["worksFor"] = ["@type": "Organization", "name": .text(organisation)] }
        let web = profile.links.map(\.url).filter { $0.hasPrefix("http") }
        if !web.isEmpty { person["sameAs"] = .list(web.map(JSONValue.text)) }
        return person
    }

    /// The object as the text of a `<script type="application/ld+json">`: keys sorted so output is
    /// deterministic, and `<`, `>` and `&` escaped so no text can close the script element.
    static func script(_ object: [String: JSONValue]) -> String {
        scriptSafe.apply(to: JSONText.encode(.object(object)))
    }

    private static let scriptSafe = TextRewriter([("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")])
}
