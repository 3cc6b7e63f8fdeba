/// A checked link to a point of the Standard or a digital principle, written in markdown as
/// `[user needs](standard:1)`, `[user needs](standard:understand-user-needs)` or
/// `[digital by default](principle:digital-default)` (`principle:<set>/<id>` when two sets share an
/// id). It becomes the target's address when the target exists and is a build error when not.
public enum ReferenceError: DiagnosticConvertible {
    case malformed(destination: String, at: SourceLocation)
    case unknownPoint(destination: String, count: Int, at: SourceLocation)
    case unknownSection(destination: String, sections: [String], at: SourceLocation)
    case unknownPrinciple(destination: String, suggestion: String?, at: SourceLocation)
    case ambiguousPrinciple(destination: String, choices: [String], at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .malformed(destination, location):
            Diagnostic(
                .error, code: "reference.malformed",
                "\"\(destination)\" is not a reference; write standard:3, standard:<point-slug> or principle:<row-id>, optionally followed by #section",
                at: location)
        case let .unknownPoint(destination, count, location):
            Diagnostic(
                .error, code: "reference.unresolved",
                "\"\(destination)\" does not match a point of the Standard; "
                    + (count == 0
                        ? "this site has no points in content/standard/"
                        : count == 1 ? "the Standard has one point, standard:1" : "use a number from 1 to \(count) or a point's slug"),
                at: location)
        case let .unknownSection(destination, sections, location):
            Diagnostic(
                .error, code: "reference.unresolved",
                "\"\(destination)\" names a section the point does not have; "
                    + (sections.isEmpty ? "it has no headings, so leave out the #…" : "its sections are " + sections.map { "#\($0)" }.joined(separator: ", ")),
                at: location)
        case let .unknownPrinciple(destination, suggestion, location):
            Diagnostic(
                .error, code: "reference.unresolved",
                "\"\(destination)\" does not match a digital principle; "
                    + (suggestion.map { "did you mean principle:\($0)?" } ?? "use the id of a row in content/principles/"),
                at: location)
        case let .ambiguousPrinciple(destination, choices, location):
            Diagnostic(
                .error, code: "reference.ambiguous",
                "\"\(destination)\" matches rows in more than one set; write "
                    + choices.map { "principle:\($0)" }.joined(separator: " or "),
                at: location)
        }
    }
}

struct ReferenceResolver {
    /// A point's address and the ids of its headings, by number and by slug.
    private var points: [String: (url: String, sections: [String])] = [:]
    private var pointCount = 0
    /// `set/id` for every row, and the bare `id` too when only one set has it.
    private var principles: [String: String] = [:]
    private var ambiguous: [String: [String]] = [:]

    init(standard: Standard?, principles: Principles?, routes: Routes) {
        for point in standard?.points ?? [] {
            let target = (routes.link(Routes.point(point.slug)), point.body.headings.map(\.id))
            points[String(point.number)] = target
            points[point.slug] = target
        }
        pointCount = standard?.points.count ?? 0
        let sets = principles?.sets ?? []
        var owners: [String: [String]] = [:]
        for set in sets {
            let page = routes.link(Routes.principles(set.slug, setCount: sets.count))
            for row in set.rows {
                self.principles["\(set.slug)/\(row.id)"] = "\(page)#\(row.id)"
                owners[row.id, default: []].append("\(set.slug)/\(row.id)")
            }
        }
        for (id, keys) in owners {
            if keys.count == 1 { self.principles[id] = self.principles[keys[0]] } else { ambiguous[id] = keys }
        }
    }

    /// Rewrites the references in one body to addresses; returns the errors for those that do not resolve.
    func resolve(_ body: inout RenderedMarkdown) -> [ReferenceError] {
        var errors: [ReferenceError] = []
        var rewrites: [(String, String)] = []
        var links = body.links
        for index in links.indices {
            guard let (scheme, colon) = links[index].referenceScheme else { continue }
            let link = links[index]
            let rest = link.destination[link.destination.index(after: colon)...]
            let target = rest.prefix { $0 != "#" }
            let fragment = rest.dropFirst(target.count)
            guard Self.isPlain(target, allowing: scheme == "principle" ? "/" : nil), Self.isPlain(fragment.dropFirst(), allowing: "_"),
                fragment.isEmpty || fragment.count > 1
            else {
                errors.append(.malformed(destination: link.destination, at: link.location))
                continue
            }
            let key = String(target)
            let url: String?
            if scheme == "standard" {
                url = points[key]?.url
                if let sections = points[key]?.sections, !fragment.isEmpty, !sections.contains(String(fragment.dropFirst())) {
                    errors.append(.unknownSection(destination: link.destination, sections: sections, at: link.location))
                    continue
                }
                if url == nil { errors.append(.unknownPoint(destination: link.destination, count: pointCount, at: link.location)) }
            } else {
                url = principles[key]
                if let choices = ambiguous[key] {
                    errors.append(.ambiguousPrinciple(destination: link.destination, choices: choices.sorted(), at: link.location))
                } else if url == nil {
                    let known = principles.keys.filter { !$0.contains("/") || key.contains("/") }
                    let suggestion = known.min { editDistance($0, key) < editDistance($1, key) }
                        .flatMap { editDistance($0, key) <= 3 ? $0 : nil }
                    errors.append(.unknownPrinciple(destination: link.destination, suggestion: suggestion, at: link.location))
                }
            }
            guard let url else { continue }
            let resolved = url.contains("#") && !fragment.isEmpty ? String(url.prefix { $0 != "#" }) + fragment : url + fragment
            // cmark writes these characters into `href` unchanged, so the rendered attribute is known exactly.
            rewrites.append(("href=\"\(link.destination)\"", "href=\"\(HTML.escape(resolved))\""))
            links[index].destination = resolved
        }
        if !rewrites.isEmpty { body.resolve(links: links, rewriting: rewrites) }
        return errors
    }

    /// Lowercase letters, digits and hyphens (plus one extra character where the form allows it).
    private static func isPlain(_ text: Substring, allowing extra: Character?) -> Bool {
        text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == extra }
    }
}
