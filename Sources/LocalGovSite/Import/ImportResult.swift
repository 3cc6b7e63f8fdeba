import Foundation

/// What an importer made of an export: the documents to write and what it did with the rest.
public struct ImportResult: Sendable, Hashable {
    public var site: ImportedSite
    public var documents: [ImportedDocument] = []
    /// Files of the old site's uploads folder that documents use and the local copy has, as
    /// paths inside it; they go to `static/uploads/<path>`.
    public var uploadsToCopy: [String] = []
    /// Uploads documents use that stay on the old site, as their addresses.
    public var uploadsLeftRemote: [String] = []
    /// Drafts by the state the old system gave them (`draft`, `pending`, `private`).
    public var drafts: [String: Int] = [:]
    public var future = 0
    /// Entries not imported, by what they were (`attachment`, `nav_menu_item`, `unpublished page`).
    public var skipped: [String: Int] = [:]
    public var comments = 0

    public init(site: ImportedSite) {
        self.site = site
    }

    public var posts: Int { documents.count { $0.kind == .post } }
    public var pages: Int { documents.count { $0.kind == .page } }

    /// The static file an upload is copied to: the site serves it at `/uploads/<path>`.
    public static func staticPath(ofUpload path: String) -> String { "static/uploads/" + path }
}

/// The old site's name and address, for the `site.toml` of a site that has none.
public struct ImportedSite: Sendable, Hashable {
    public var title: String
    public var baseURL: String
    public var description: String?
    public var language: String?

    public init(title: String, baseURL: String, description: String? = nil, language: String? = nil) {
        self.title = title
        self.baseURL = baseURL
        self.description = description
        self.language = language
    }

    public var siteConfig: String {
        var lines = [
            "# Made by localgov import from the old site's export; every setting is described in the README of localgov.",
            "title = \(PostScaffold.quoted(title))",
        ]
        if let description { lines.append("description = \(PostScaffold.quoted(description))") }
        lines += [
            "base_url = \(PostScaffold.quoted(baseURL))",
            "language = \(PostScaffold.quoted(language ?? "en-GB"))",
            "timezone = \"Europe/London\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `https://example.org` → `https://example.org/`: the site's base URL ends in a slash.
    static func baseURL(from link: String?) -> String {
        guard let link = link.flatMap(trimmedNonEmpty), let url = URL(string: link), url.scheme != nil, url.host != nil
        else { return "https://example.org/" }
        return link.hasSuffix("/") ? link : link + "/"
    }
}

/// Something in one imported file for a person to look at.
public enum ImportNote: Sendable, Hashable {
    case shortcode(String)
    case imageWithoutAlt(String)
    case remoteUpload(String)
    case leftOut(String)
    case simplifiedTable
    case missingAttachment(Int)
    case noDate
    case noTitle
    case passwordProtected

    public var message: String {
        switch self {
        case .shortcode(let name): "shortcode [\(name)] left as text: nothing here expands it"
        case .imageWithoutAlt(let source): "image without alt text: \(source)"
        case .remoteUpload(let url): "left on the old site: \(url)"
        case .leftOut(let what): "left out \(what): markdown cannot embed it; link to it instead"
        case .simplifiedTable: "a table with merged cells or blocks in cells was flattened into a simple table"
        case .missingAttachment(let id): "gallery image \(id) is not in the export"
        case .noDate: "no date in the export: add one before publishing"
        case .noTitle: "no title in the export: it is called Untitled"
        case .passwordProtected: "password-protected on the old site, so imported as a draft"
        }
    }
}

extension ConvertedHTML {
    /// What the conversion left for a person, as notes on the file.
    var notes: [ImportNote] {
        imagesWithoutAlt.map(ImportNote.imageWithoutAlt) + leftOut.map(ImportNote.leftOut)
            + Array(repeating: ImportNote.simplifiedTable, count: simplifiedTables)
    }
}
