import Foundation

/// A LocalGov Digital Voice member: someone whose blog feeds the river.
public struct Member: Sendable, Hashable, Codable {
    public var name: String
    /// Their page on the site (`/voice/members/<slug>/`) and their file in the feed cache.
    public var slug: String
    /// The blog's home page.
    public var url: String
    public var feed: String
    public var organisation: String?
    /// A disabled member stays listed but is neither fetched nor shown in the river.
    public var enabled: Bool
    /// Where the member is written, so that feed problems can point maintainers at the entry.
    public var location: SourceLocation
    /// What of the member's feed the river carries: the network's name is on it.
    public var moderation = Moderation()

    public init(
        name: String, slug: String, url: String, feed: String, organisation: String?, enabled: Bool, location: SourceLocation,
        moderation: Moderation = Moderation()
    ) {
        self.moderation = moderation
        self.name = name
        self.slug = slug
        self.url = url
        self.feed = feed
        self.organisation = organisation
        self.enabled = enabled
        self.location = location
    }
}

/// A member's rules for the river, from `members.toml`.
public struct Moderation: Sendable, Hashable, Codable {
    /// Only entries with one of these categories or tags, when any are given.
    public var includeCategories: [String] = []
    public var excludeCategories: [String] = []
    /// Entries taken off the river, its feeds and search, by id or link.
    public var hidden: [HiddenEntry] = []
    /// Hold the member's entries for review: listed on the feed health page, not on the river.
    public var review = false

    public init(includeCategories: [String] = [], excludeCategories: [String] = [], hidden: [HiddenEntry] = [], review: Bool = false) {
        self.includeCategories = includeCategories
        self.excludeCategories = excludeCategories
        self.hidden = hidden
        self.review = review
    }

    /// Categories match whatever their case and spacing: `Local Gov` is `local-gov`.
    static func matches(_ categories: [String], any wanted: [String]) -> Bool {
        let have = Set(categories.map(Slug.make))
        return wanted.contains { have.contains(Slug.make($0)) }
    }
}

public struct HiddenEntry: Sendable, Hashable, Codable {
    /// The entry's id or link, as `feeds inspect` shows them.
    public var entry: String
    public var reason: String?
}

/// Reads `content/voice/members.toml`: a list of `[[members]]` tables.
public enum MembersParser {
    public static let path = "content/voice/members.toml"

    /// The members file from the site's folder; nil when the site has none.
    public static func load(from fileSystem: some SiteFileSystem) -> ([Member]?, [Diagnostic]) {
        guard fileSystem.fileExists(path) else { return (nil, []) }
        do {
            let (members, diagnostics) = parse(try ContentLoader.readText(path, from: fileSystem))
            return (members, diagnostics)
        } catch {
            return (nil, [error.diagnostic])
        }
    }

    public static func parse(_ file: SourceFile) -> ([Member], [Diagnostic]) {
        let root: DataNode
        do {
            root = try TOMLReader.read(file.text, file: file.path)
        } catch {
            return ([], [error.diagnostic])
        }
        var reader = FieldReader(root, domain: "members", syntax: .toml)
        let tables = reader.list("members") ?? []
        reader.warnUnknownKeys(known: ["members"])
        var members: [Member] = []
        var diagnostics: [Diagnostic] = []
        var slugs: [String: Member] = [:]
        var feeds: [String: Member] = [:]
        for (index, table) in tables.enumerated() {
            var fields = FieldReader(table, domain: "members", syntax: .toml, prefix: "members[\(index)].")
            let name = fields.string("name", required: "\"Priya Shah\"").flatMap(trimmedNonEmpty)
            let url = webAddress("url", in: &fields, example: "\"https://priya-shah.example/\"")
            let feed = webAddress("feed", in: &fields, example: "\"https://priya-shah.example/feed/\"")
            let organisation = fields.string("organisation").flatMap(trimmedNonEmpty)
            let enabled = fields.bool("enabled") ?? true
            let slugNode = fields.located("slug")
            let moderation = Self.moderation(&fields)
            fields.warnUnknownKeys(known: [
                "name", "url", "feed", "organisation", "enabled", "slug", "include_categories", "exclude_categories", "hide", "review",
            ])
            diagnostics += fields.errors.map(\.diagnostic)
            guard let name, let url, let feed else { continue }

            let slug = slugNode?.value.scalarText ?? Slug.make(name)
            let slugLocation = slugNode?.location ?? table.location
            guard Slug.isSafe(slug), slug == Slug.make(slug) else {
                diagnostics.append(MembersError.badSlug(name: name, slug: slug, at: slugLocation).diagnostic)
                continue
            }
            let member = Member(
                name: name, slug: slug, url: url, feed: feed, organisation: organisation, enabled: enabled,
                location: table.location, moderation: moderation)
            if let other = slugs[slug] {
                diagnostics.append(MembersError.duplicateSlug(slug: slug, other: other.name, at: slugLocation).diagnostic)
                continue
            }
            if let other = feeds[feed] {
                diagnostics.append(MembersError.duplicateFeed(feed: feed, other: other.name, at: table.location).diagnostic)
                continue
            }
            slugs[slug] = member
            feeds[feed] = member
            members.append(member)
        }
        return (members, reader.errors.map(\.diagnostic) + diagnostics)
    }

    /// `hide` takes an id or link as text, or a table with `entry` and a `reason`.
    private static func moderation(_ fields: inout FieldReader) -> Moderation {
        var moderation = Moderation(
            includeCategories: fields.stringList("include_categories") ?? [],
            excludeCategories: fields.stringList("exclude_categories") ?? [], review: fields.bool("review") ?? false)
        for (index, node) in (fields.list("hide") ?? []).enumerated() {
            if let text = node.value.scalarText {
                moderation.hidden.append(HiddenEntry(entry: text, reason: nil))
                continue
            }
            guard case .table = node.value else {
                fields.invalid("hide", "write each hidden entry as its id or link, or as { entry = \"…\", reason = \"…\" }", at: node.location)
                continue
            }
            var item = FieldReader(node, domain: "members", syntax: .toml, prefix: fields.prefix + "hide[\(index)].")
            let entry = item.string("entry", required: "\"https://blog.example/2016/03/a-post/\"")
            let reason = item.string("reason")
            item.warnUnknownKeys(known: ["entry", "reason"])
            fields.absorb(item)
            if let entry { moderation.hidden.append(HiddenEntry(entry: entry, reason: reason)) }
        }
        return moderation
    }

    /// An absolute http or https address, or an error at the value.
    private static func webAddress(_ key: String, in fields: inout FieldReader, example: String) -> String? {
        guard let node = fields.located(key, required: example) else { return nil }
        guard let text = node.value.scalarText?.trimmingCharacters(in: .whitespaces), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host?.isEmpty == false
        else {
            fields.invalid(
                key, "\(key) \"\(node.value.scalarText ?? "")\" is not a web address; write it in full, as \(key) = \(example)",
                at: node.location)
            return nil
        }
        return text
    }
}

public enum MembersError: DiagnosticConvertible {
    case badSlug(name: String, slug: String, at: SourceLocation)
    case duplicateSlug(slug: String, other: String, at: SourceLocation)
    case duplicateFeed(feed: String, other: String, at: SourceLocation)
    case tooMany(count: Int, limit: Int, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .badSlug(name, slug, location):
            Diagnostic(
                .error, code: "members.slug",
                slug.isEmpty
                    ? "the name \"\(name)\" has no letters or digits to make an address from; add slug = \"…\" with lowercase letters, digits and hyphens"
                    : "slug \"\(slug)\" cannot be an address; use lowercase letters, digits and hyphens, such as \"\(Slug.make(slug).isEmpty ? "member" : Slug.make(slug))\"",
                at: location)
        case let .duplicateSlug(slug, other, location):
            Diagnostic(
                .error, code: "members.duplicate",
                "this member's address would be /voice/members/\(slug)/, which \(other) already has; add slug = \"…\" to one of them",
                at: location)
        case let .duplicateFeed(feed, other, location):
            Diagnostic(
                .error, code: "members.duplicate-feed", "\(other) already has the feed \(feed); list each feed once", at: location)
        case let .tooMany(count, limit, location):
            Diagnostic(
                .error, code: "members.too-many",
                "this file lists \(English.number(count)) members, more than limits.max_members (\(English.number(limit))); Voice was not built. Raise the limit in site.toml if the network really is this big",
                at: location)
        }
    }
}
