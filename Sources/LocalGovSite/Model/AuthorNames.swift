/// Post authors whose name nearly matches a profile: most likely a typo, which would otherwise
/// give the author a second, empty page.
enum AuthorNames {
    static func misspellings(
        in posts: [Post], documents: [ParsedDocument], profiles: [String: AuthorProfile]
    ) -> [Diagnostic] {
        guard !profiles.isEmpty else { return [] }
        // Where each document names its authors, made at the first near miss: most builds have none.
        var locations: [String: SourceLocation]?
        func location(in source: String) -> SourceLocation {
            if locations == nil {
                locations = Dictionary(
                    documents.indices.compactMap { index in documents[index].metadata.authorsLocation.map { (documents[index].path, $0) } },
                    uniquingKeysWith: { a, _ in a })
            }
            return locations?[source] ?? SourceLocation(file: source)
        }
        let candidates = profiles.values.sorted { $0.slug < $1.slug }
        var diagnostics: [Diagnostic] = []
        // Each name is compared with the profiles once: a site's thousands of posts have tens of
        // authors, and the comparisons were a sixth of the model stage.
        var closestTo: [String: AuthorProfile?] = [:]
        for index in posts.indices {
            let post = (authors: posts[index].authors, source: posts[index].source)
            for author in post.authors where profiles[author.slug] == nil && !author.slug.isEmpty {
                let closest = closestTo[author.slug] ?? closest(to: author.slug, in: candidates)
                closestTo[author.slug] = closest
                guard let match = closest else { continue }
                diagnostics.append(
                    ModelError.authorNearlyMatches(
                        name: author.name, profile: match.name, file: match.source,
                        at: location(in: post.source)
                    ).diagnostic)
            }
        }
        return diagnostics
    }

    /// The profile a slug is a slip of the keyboard away from: a few edits, fewer for short names.
    static func closest(to slug: String, in profiles: [AuthorProfile]) -> AuthorProfile? {
        let allowed = { (other: String) in max(1, min(3, other.count / 4)) }
        return profiles
            .map { ($0, editDistance(slug, $0.slug)) }
            .filter { $0.1 <= allowed($0.0.slug) }
            .min { $0.1 < $1.1 }?.0
    }
}
