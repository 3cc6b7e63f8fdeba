import Foundation

/// What kind of model a content type's files become. The first six are the sections the
/// generator has always had, each with behaviour of its own (tags, numbered points, feeds of
/// members); `collection` is any other type, made and rendered entirely from its declaration.
public enum ContentModel: String, Sendable, Hashable, Codable, CaseIterable {
    case posts, pages, standard, principles, voice, authors, collection
}

/// One declared front-matter field of a collection, and what it must hold.
public struct FieldDeclaration: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        case text
        /// An absolute web or email address (`https://`, `mailto:`), or a path on the site.
        case link
        /// A day (`2016-06-18`, all day) or a moment (`2016-06-18T09:30:00+01:00`).
        case date
        case list
        /// One of a fixed set of words, such as an event's status.
        case choice([String])
        /// The slug of an item of another collection, such as the group that runs an event.
        case reference(String)
        /// Named parts of text, such as a venue's name and address.
        case table([String])
    }

    public var name: String
    public var kind: Kind
    public var required: Bool
    /// Taken when the field is not written.
    public var defaultValue: String?
}

/// One content type, declared as data: where its files are, where its pages go, which
/// templates render them, and whether it is searched, in the sitemap and in a feed.
public struct ContentType: Sendable, Hashable, Codable {
    public var name: String
    public var model: ContentModel
    /// Under `content/`.
    public var folder: String
    /// Shown to readers (headings, breadcrumbs, search results); nil takes the strings table's
    /// `section_<name>`, in the page's language.
    public var title: String?
    public var searched: Bool
    public var inSitemap: Bool

    // What only a collection has: the built-in sections have addresses and templates of their own.
    /// `events/{slug}/`: where each item is published.
    public var address: String
    public var template: String
    /// The list of every item (`events/`), and its template.
    public var listAddress: String?
    public var listTemplate: String?
    /// A field the list is grouped by (a group's region).
    public var groupBy: String?
    /// The front-matter key that names an item: `title`, or `name` for people and groups.
    public var titleField: String
    /// An Atom feed of the items beside the list.
    public var feed: Bool
    /// Items are events: `start`, `end` and `status` make the list upcoming-first, a page of past
    /// events by year, iCalendar files and JSON-LD `Event`.
    public var calendar: Bool
    /// The list of past events, for a calendar.
    public var pastAddress: String?
    public var pastTemplate: String?
    public var fields: [FieldDeclaration]

    /// Strings-table key of the default section title.
    public var titleKey: String { "section_\(name.replacingOccurrences(of: "-", with: "_"))" }

    /// The section title in a page's words: the declaration's own, else the strings table's,
    /// else the type's name as a heading.
    public func title(in words: [String: String]) -> String {
        title ?? words[titleKey] ?? name.prefix(1).uppercased() + name.dropFirst().replacingOccurrences(of: "-", with: " ")
    }

    func path(slug: String) -> String { address.replacingOccurrences(of: "{slug}", with: slug) }

    func field(_ name: String) -> FieldDeclaration? { fields.first { $0.name == name } }
}

public enum ContentTypeError: DiagnosticConvertible {
    case badAddress(type: String, key: String, written: String, at: SourceLocation)
    case badFieldType(type: String, field: String, written: String, at: SourceLocation)
    case calendarField(type: String, field: String, at: SourceLocation)
    case unknownReference(type: String, field: String, target: String, at: SourceLocation)
    case sharedFolder(type: String, other: String, folder: String, at: SourceLocation)
    case missingModel(type: String, at: SourceLocation)

    public var diagnostic: Diagnostic {
        switch self {
        case let .badAddress(type, key, written, location):
            Diagnostic(
                .error, code: "types.address",
                "types.\(type).\(key) \"\(written)\" is not an address pattern; write a path relative to the site that ends in \"/\", such as \"\(type)/{slug}/\" for items or \"\(type)/\" for the list",
                at: location)
        case let .badFieldType(type, field, written, location):
            Diagnostic(
                .error, code: "types.field",
                "types.\(type).fields.\(field) has type \"\(written)\"; write one of text, link, date, list, choice, reference or table",
                at: location)
        case let .calendarField(type, field, location):
            Diagnostic(
                .error, code: "types.calendar",
                "types.\(type) is a calendar, so it must declare the field \"\(field)\" as a date; add [types.\(type).fields.\(field)] with type = \"date\"",
                at: location)
        case let .unknownReference(type, field, target, location):
            Diagnostic(
                .error, code: "types.reference",
                "types.\(type).fields.\(field) refers to the type \"\(target)\", which is not declared; name a declared type in `to`",
                at: location)
        case let .sharedFolder(type, other, folder, location):
            Diagnostic(
                .error, code: "types.folder",
                "types.\(type) and types.\(other) both read content/\(folder)/; give each its own folder", at: location)
        case let .missingModel(type, location):
            Diagnostic(
                .error, code: "types.model",
                "no type has model \"\(type)\"; a built-in section cannot be removed or given another model, so put back its model and change only its folder or title",
                at: location)
        }
    }
}

/// Every content type of a site: the generator's own declarations (`types.toml` of the theme),
/// with a site's `[types.<name>]` tables in `site.toml` adding types or changing keys of one.
public struct ContentTypes: Sendable, Hashable {
    public var all: [ContentType]

    public static let fileName = "types.toml"

    public func named(_ name: String) -> ContentType? { all.first { $0.name == name } }

    /// The type whose folder a content path is in (`content/events/x.md` → events).
    /// By index: every content file of every build asks, and taking each type as a value copied all of it.
    func type(forFolder folder: Substring) -> ContentType? { all.indices.first { all[$0].folder == folder }.map { all[$0] } }

    /// The declaration of a built-in section.
    public func first(_ model: ContentModel) -> ContentType? { all.first { $0.model == model } }

    public var collections: [ContentType] { all.filter { $0.model == .collection } }

    /// The built-in declarations alone, for code that reads a site without a theme at hand.
    public static let builtIn: ContentTypes = {
        let text = BuiltInTheme.files["\(BuiltInTheme.folder)/\(fileName)"].flatMap(ContentLoader.decode) ?? ""
        return parse(theme: text, file: "\(BuiltInTheme.folder)/\(fileName)", site: nil).0
    }()

    /// The theme's declarations (the built-in theme's, when the theme has none) and the site's.
    public static func load(config: SiteConfig, from fileSystem: some SiteFileSystem) -> (ContentTypes, [Diagnostic]) {
        let path = "themes/\(config.theme)/\(fileName)"
        let builtInPath = "\(BuiltInTheme.folder)/\(fileName)"
        let (file, text): (String, String?) =
            fileSystem.fileExists(path)
            ? (path, (try? fileSystem.read(path)).flatMap(ContentLoader.decode))
            : (builtInPath, BuiltInTheme.files[builtInPath].flatMap(ContentLoader.decode))
        guard let text else { return (builtIn, [LoadError.notUTF8(path: file).diagnostic]) }
        return parse(theme: text, file: file, site: config.types)
    }

    /// - Parameter site: the `[types]` table of `site.toml`; its keys replace the theme's, type by type.
    static func parse(theme text: String, file: String, site: DataNode?) -> (ContentTypes, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var declared: [(name: String, fields: [DataField], location: SourceLocation)] = []
        do {
            let root = try TOMLReader.read(text, file: file)
            if case .table(let types) = root.value {
                declared = types.compactMap { field in
                    if case .table(let keys) = field.node.value { (field.key, keys, field.keyLocation) } else { nil }
                }
            }
        } catch {
            diagnostics.append(error.diagnostic)
        }
        let themeNames = Set(declared.map(\.name))
        if case .table(let types)? = site?.value {
            for type in types {
                guard case .table(let keys) = type.node.value else {
                    diagnostics.append(
                        FieldError.wrongType(
                            domain: "config", key: "types.\(type.key)", expected: "a table", found: type.node.value.kindName,
                            example: "[types.\(type.key)]", at: type.node.location
                        ).diagnostic)
                    continue
                }
                if let index = declared.firstIndex(where: { $0.name == type.key }) {
                    let replaced = Set(keys.map(\.key))
                    declared[index].fields = declared[index].fields.filter { !replaced.contains($0.key) } + keys
                } else {
                    declared.append((type.key, keys, type.keyLocation))
                }
            }
        }
        var types: [ContentType] = []
        for declaration in declared {
            var reader = FieldReader(
                DataNode(.table(declaration.fields), at: declaration.location), domain: "config", syntax: .toml,
                prefix: "types.\(declaration.name).")
            if let type = read(declaration.name, &reader, at: declaration.location, builtIn: themeNames.contains(declaration.name)) {
                types.append(type)
            }
            diagnostics += reader.errors.map(\.diagnostic)
        }
        diagnostics += consistency(of: types, declared: declared.map { ($0.name, $0.location) })
        return (ContentTypes(all: types), diagnostics)
    }

    private static let keys = [
        "model", "folder", "title", "searched", "sitemap", "address", "template", "list_address", "list_template",
        "group_by", "title_field", "feed", "calendar", "past_address", "past_template", "fields",
    ]

    private static func read(_ name: String, _ reader: inout FieldReader, at location: SourceLocation, builtIn: Bool)
        -> ContentType?
    {
        var model = ContentModel.collection
        if let node = reader.located("model"), let written = node.value.scalarText {
            if let known = ContentModel(rawValue: written) {
                model = known
            } else {
                reader.invalid(
                    "model", "model \"\(written)\" is not a kind of content; leave it out for a new type (a collection)",
                    at: node.location)
            }
        }
        let folder = reader.string("folder") ?? name
        func address(_ key: String, default value: String?) -> String? {
            guard let node = reader.located(key), let written = node.value.scalarText else { return value }
            let trimmed = written.hasPrefix("/") ? String(written.dropFirst()) : written
            guard trimmed.hasSuffix("/"), WrittenAddress.relative("/" + trimmed.replacingOccurrences(of: "{slug}", with: "x")) != nil else {
                reader.invalid(key, ContentTypeError.badAddress(type: name, key: key, written: written, at: node.location).diagnostic.message, at: node.location)
                return value
            }
            return trimmed
        }
        let listAddress = address("list_address", default: "\(folder)/")
        var type = ContentType(
            name: name, model: model, folder: folder, title: reader.string("title"),
            searched: reader.bool("searched") ?? true, inSitemap: reader.bool("sitemap") ?? true,
            address: address("address", default: "\(folder)/{slug}/") ?? "\(folder)/{slug}/",
            template: reader.string("template") ?? name, listAddress: listAddress,
            listTemplate: reader.string("list_template") ?? "\(name)-list", groupBy: reader.string("group_by"),
            titleField: reader.string("title_field") ?? "title", feed: reader.bool("feed") ?? false,
            calendar: reader.bool("calendar") ?? false, pastAddress: nil, pastTemplate: nil, fields: [])
        if type.calendar {
            type.pastAddress = address("past_address", default: "\(listAddress ?? "\(folder)/")past/")
            type.pastTemplate = reader.string("past_template") ?? "\(name)-past"
        }
        if !type.address.contains("{slug}") {
            reader.invalid(
                "address", "types.\(name).address \"\(type.address)\" has no {slug}, so every item would have one address; write it as \"\(folder)/{slug}/\"",
                at: reader.located("address")?.location ?? location)
        }
        var declaredFields: [DataField] = []
        // In the order they are written, which is the order `new item` writes them in.
        if case .table(let written)? = reader.table("fields")?.value { declaredFields = written.sorted { $0.keyLocation < $1.keyLocation } }
        for field in declaredFields {
            if let declared = readField(field, type: name, into: &reader) { type.fields.append(declared) }
        }
        reader.warnUnknownKeys(known: keys)
        return type
    }

    private static func readField(_ field: DataField, type: String, into reader: inout FieldReader) -> FieldDeclaration? {
        var item = FieldReader(field.node, domain: "config", syntax: .toml, prefix: "types.\(type).fields.\(field.key).")
        defer { reader.absorb(item) }
        let kindName = item.string("type") ?? "text"
        let kind: FieldDeclaration.Kind
        switch kindName {
        case "text": kind = .text
        case "link": kind = .link
        case "date": kind = .date
        case "list": kind = .list
        case "choice": kind = .choice(item.stringList("values") ?? [])
        case "reference": kind = .reference(item.string("to", required: "\"groups\"") ?? "")
        case "table": kind = .table(item.stringList("keys") ?? ["name"])
        default:
            item.invalid(
                "type", ContentTypeError.badFieldType(type: type, field: field.key, written: kindName, at: field.node.location)
                    .diagnostic.message, at: item.located("type")?.location ?? field.node.location)
            return nil
        }
        let declaration = FieldDeclaration(
            name: field.key, kind: kind, required: item.bool("required") ?? false, defaultValue: item.string("default"))
        item.warnUnknownKeys(known: ["type", "values", "to", "keys", "required", "default"])
        return declaration
    }

    private static func consistency(of types: [ContentType], declared: [(String, SourceLocation)]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let locations = Dictionary(declared, uniquingKeysWith: { first, _ in first })
        var folders: [String: String] = [:]
        for type in types {
            let location = locations[type.name] ?? SourceLocation(file: SiteConfigParser.fileName)
            if let other = folders[type.folder] {
                diagnostics.append(ContentTypeError.sharedFolder(type: type.name, other: other, folder: type.folder, at: location).diagnostic)
            }
            folders[type.folder] = type.name
            if type.calendar {
                for required in ["start", "end"] where type.field(required).map({ $0.kind != .date }) ?? true {
                    diagnostics.append(ContentTypeError.calendarField(type: type.name, field: required, at: location).diagnostic)
                }
            }
            for field in type.fields {
                if case .reference(let target) = field.kind, !target.isEmpty, !types.contains(where: { $0.name == target }) {
                    diagnostics.append(
                        ContentTypeError.unknownReference(type: type.name, field: field.name, target: target, at: location).diagnostic)
                }
            }
        }
        for model in ContentModel.allCases where model != .collection && !types.contains(where: { $0.model == model }) {
            diagnostics.append(
                ContentTypeError.missingModel(type: model.rawValue, at: SourceLocation(file: SiteConfigParser.fileName)).diagnostic)
        }
        return diagnostics
    }
}
