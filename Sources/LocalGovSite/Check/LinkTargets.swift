import Foundation

/// Links and images in content that point into the site, checked against the files the build
/// is about to write and the ids in them: the only place that knows every address and anchor.
enum LinkTargets {
    /// A link or image in a body that points into the site, with the output path and fragment
    /// it resolves to: what the checks need from a body, worked out from it alone.
    struct Resolved: Sendable {
        var destination: String
        var isImage: Bool
        var location: SourceLocation
        var path: String
        /// The folder's index page, which a path that is not a file may name (`blog/x/` →
        /// `blog/x/index.html`): made once with the link rather than at every check.
        var index: String
        var fragment: String?
    }

    /// Everything `resolved` reads: the same inputs, the same resolved links.
    struct BodyLinks: Equatable, Sendable {
        var page: String
        var basePath: String
        var links: [MarkdownLink]
        var images: [MarkdownImage]

        var resolved: [Resolved] {
            let written = links.map { ($0.destination, false, $0.location) } + images.map { ($0.source, true, $0.location) }
            return written.compactMap { destination, isImage, location in
                resolve(destination, from: page, basePath: basePath).map { path, fragment in
                    let index = path.isEmpty || path.utf8.last == UInt8(ascii: "/") ? path + "index.html" : path + "/index.html"
                    return Resolved(
                        destination: destination, isImage: isImage, location: location, path: path, index: index, fragment: fragment)
                }
            }
        }
    }

    /// What a body's links can reach: every file the build writes, and where each alias leads.
    struct Reachable: Equatable, Sendable {
        var paths: [String]
        /// An alias's page → the page it leads to, whose sections a link through it reaches.
        var aliases: [String: String]
    }

    /// A link to a section of a page: checked once the ids of every such page are known.
    struct SectionLink: Sendable {
        var link: Resolved
        var fragment: String
        var file: String
    }

    /// One body's links looked up among the files: what that finds, and the links to sections
    /// still to be looked for in their pages.
    struct CheckedBody: Sendable {
        var found: [ContentCheckFinding] = []
        var sections: [SectionLink] = []
        /// A link reaches into the search index's files, which `Reachable` leaves out.
        var readsSearchIndex = false
    }

    static func findings(in site: Site, outputs: [OutputFile], cache: BuildCache? = nil) -> [ContentCheckFinding] {
        // Each file's place in `outputs`: a dictionary of the files themselves copied every one.
        let files = Dictionary(outputs.indices.map { (outputs[$0].path, $0) }, uniquingKeysWith: { a, _ in a })
        let basePath = site.config.basePath
        let aliases = Dictionary(
            site.redirects.compactMap { redirect in redirect.alias.page.map { (Routes.file($0), redirect.target) } },
            uniquingKeysWith: { a, _ in a })
        // Each body's links resolved and looked up among the files on every core, or taken from
        // the cache while the body's links and all they can reach are the same: in `serve`, the
        // last build's; in `build`, none found where an earlier build found none. Most reach a
        // page and need nothing more. Then the ids of only the pages whose
        // sections are linked to, also on every core. The search index's files are named by what
        // they hold, so any edit renames some: what links can reach is compared without them.
        let reachable = cache?.reachable(
            Reachable(paths: outputs.map(\.path).filter { !SearchIndex.isNamedByContent($0) }, aliases: aliases))
        // Each body is read where it is: a list of copies of 10,000 bodies cost as much again
        // to make and to free as the checks kept from the last build.
        let bodies = site.bodies()
        let checked = parallelMap(Array(bodies.indices)) { index -> CheckedBody in
            let body = site[body: bodies[index].body]
            let inputs = BodyLinks(page: bodies[index].page, basePath: basePath, links: body.links, images: body.images)
            func check() -> CheckedBody { lookUp(inputs.resolved, files: files, aliases: aliases, basePath: basePath) }
            guard let cache, let reachable else { return check() }
            return cache.checkedLinks(index, inputs, body: body, reachable: reachable, check)
        }
        cache?.keepCheckedLinks(bodies.count)
        let sectionLinks = checked.flatMap(\.sections)
        let linkedSections = Array(Set(sectionLinks.map(\.file)))
        let ids = Dictionary(
            uniqueKeysWithValues: zip(
                linkedSections,
                parallelMap(linkedSections) { path in files[path].map { Self.ids(in: outputs[$0].bytes) } ?? [] }))
        // A link's findings share its location, so sorting by location keeps them in this order.
        return checked.flatMap(\.found)
            + sectionLinks.compactMap { section in
                ids[section.file]?.contains(section.fragment) == true
                    ? nil
                    : .brokenLink(
                        destination: section.link.destination, isImage: section.link.isImage,
                        problem: "that page has no section with the id \"\(section.fragment)\"; a heading's id is its text in lowercase with hyphens",
                        at: section.link.location)
            }
    }

    /// Looks each link up among the files, by index: most links need only their paths looked
    /// up, not a copy of all they hold.
    private static func lookUp(
        _ links: [Resolved], files: [String: Int], aliases: [String: String], basePath: String
    ) -> CheckedBody {
        var checked = CheckedBody()
        for position in links.indices {
            var file = links[position].path
            if SearchIndex.isNamedByContent(file) || SearchIndex.isNamedByContent(links[position].index) { checked.readsSearchIndex = true }
            if files[file] == nil {
                file = links[position].index
                guard files[file] != nil else {
                    let link = links[position]
                    checked.found.append(
                        .brokenLink(
                            destination: link.destination, isImage: link.isImage,
                            problem: "the site has no page or file at that address; copy the address from the page in your browser",
                            at: link.location))
                    continue
                }
            }
            let movedTo = aliases[file]
            guard movedTo != nil || links[position].fragment?.isEmpty == false else { continue }
            let link = links[position]
            if let movedTo {
                file = Routes.file(movedTo)
                let fragment = link.fragment.map { "#" + $0 } ?? ""
                checked.found.append(.linkToAlias(destination: link.destination, newAddress: basePath + movedTo + fragment, at: link.location))
            }
            if let fragment = link.fragment, !fragment.isEmpty {
                checked.sections.append(SectionLink(link: link, fragment: fragment, file: file))
            }
        }
        return checked
    }

    /// The values of the `id="…"` attributes in a page we wrote (so always quoted with `"`, and
    /// after white space). A scan of the bytes: a Swift `Regex` took ten times as long, on
    /// thousands of pages.
    static func ids(in page: Data) -> Set<String> {
        page.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let opening = Array(#"id=""#.utf8)
            var found: Set<String> = []
            var position = 1
            while position + opening.count <= bytes.count {
                guard bytes[position] == opening[0], bytes[position + 1] == opening[1], bytes[position + 2] == opening[2],
                    bytes[position + 3] == opening[3], [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(bytes[position - 1])
                else {
                    position += 1
                    continue
                }
                let start = position + opening.count
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                guard end < bytes.count else { break }
                found.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                position = end + 1
            }
            return found
        }
    }

    /// The output path (relative, without `index.html`) and fragment a link points to, or nil
    /// for a link out of the site (another scheme or host).
    static func resolve(_ destination: String, from page: String, basePath: String) -> (String, String?)? {
        // By bytes: the characters that matter are ASCII, and finding them character by
        // character was most of the link checks' time, hundreds of thousands of links a build.
        let slash = UInt8(ascii: "/")
        let text = destination.trimming(.whitespaces)
        if text.utf8.starts(with: "//".utf8) { return nil }
        // Another scheme: a colon before any `/`, `?` or `#`.
        let delimiters: Set<UInt8> = [UInt8(ascii: ":"), slash, UInt8(ascii: "?"), UInt8(ascii: "#")]
        if let first = text.utf8.firstIndex(where: delimiters.contains), text.utf8[first] == UInt8(ascii: ":") { return nil }
        var rest = Substring(text)
        var fragment: String?
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = decoded(String(rest[rest.utf8.index(after: hash)...]))
            rest = rest[..<hash]
        }
        if let query = rest.utf8.firstIndex(of: UInt8(ascii: "?")) { rest = rest[..<query] }
        let absolute: String
        if rest.isEmpty {
            absolute = "/" + page
        } else if rest.utf8.first == slash {
            absolute =
                rest.utf8.starts(with: basePath.utf8)
                ? "/" + rest[rest.utf8.index(rest.startIndex, offsetBy: basePath.utf8.count)...] : String(rest)
        } else {
            let pagePath = "/" + page
            absolute = URL(string: String(rest), relativeTo: URL(string: "https://site.invalid" + pagePath))?.path ?? pagePath
        }
        let relative = String(decoded(absolute).dropFirst())
        // URL.path drops a trailing slash; keep the one the writer meant.
        return (rest.utf8.last == slash && relative.utf8.last != slash && !relative.isEmpty ? relative + "/" : relative, fragment)
    }

    /// Percent-decoded, or as written where that is not possible. Most links have no `%`, and
    /// Foundation's decoding costs as much as the rest of resolving one.
    private static func decoded(_ text: String) -> String {
        text.utf8.contains(UInt8(ascii: "%")) ? text.removingPercentEncoding ?? text : text
    }
}
