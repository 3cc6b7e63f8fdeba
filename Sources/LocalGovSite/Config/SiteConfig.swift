import Foundation

/// `site.toml`, typed. Every field has a default except the two a site cannot do without.
public struct SiteConfig: Sendable, Hashable {
    public struct MenuItem: Sendable, Hashable {
        public var name: String
        public var url: String
    }

    public var title: String
    public var description: String = ""
    /// Absolute, always ending in `/`; feeds, canonical links and the sitemap need it.
    public var baseURL: String
    public var language: String = "en-GB"
    public var timeZone: TimeZone = TimeZone(identifier: "Europe/London")!
    public var theme: String = "default"
    /// Shown in the footer, e.g. the content licence.
    public var copyright: String = ""
    public var menu: [MenuItem] = []
    /// A notice under the header of every page (a phase such as "Beta", or news); nil shows none.
    public var banner: Banner?
    public var blog = Blog()
    public var markdown = Markdown()
    public var voice = Voice()
    public var limits = Limits()
    public var images = Images()
    /// The picture link previews show for a page without its own `image`.
    public var image: ShareImage?
    /// How each content check reports; nil turns it off. Checks not named take their default.
    public var checks: [ContentCheck: Diagnostic.Severity?] = [:]
    /// `[types.<name>]` tables as written, read with the theme's declarations by `ContentTypes`.
    public var types: DataNode?

    public struct Banner: Sendable, Hashable {
        /// A short label shown as a tag before the message, e.g. "Beta"; empty shows none.
        public var phase = ""
        public var message: String
        /// An optional link after the message, e.g. to a feedback form.
        public var linkText = ""
        public var linkURL = ""
    }

    public struct Blog: Sendable, Hashable {
        public var pageSize = 10
        public var homePosts = 5
        /// Entries in each RSS and Atom feed; 0 means every post.
        public var feedItems = 20
        /// A page that says how to write for the blog, linked from its lists; empty links none.
        public var contributeURL = ""
        /// Where posts are published: `/blog/:slug/`, or an old blog's pattern such as `/:year/:month/:day/:slug/`.
        public var permalink = Permalink.standard
    }

    /// LocalGov Digital Voice: where member feeds are cached, how they are fetched and shown.
    public struct Voice: Sendable, Hashable {
        /// Written by `feeds fetch`, read by the build; relative to the site's folder.
        public var cache = ".cache/voice"
        /// Committed copies of members' feeds, used for a member with nothing in the cache, so
        /// a fresh clone builds a full river without the network. Empty means none.
        public var snapshot = ""
        public var pageSize = 20
        /// Entries in the combined RSS and Atom feeds.
        public var feedItems = 50
        /// Characters in a river excerpt, cut at a word boundary.
        public var excerptLength = 280
        /// Whether Voice entries are in the site search.
        public var search = true
        public var fetch = Fetch()

        public struct Fetch: Sendable, Hashable {
            public var concurrency = 8
            public var connectTimeout = 5
            public var timeout = 20
            public var maxBytes = 5_000_000
            public var maxRedirects = 5

            public init() {}
        }
    }

    /// How big a site may grow before the build stops and says so, rather than running out of
    /// memory on a mistake (a generated file committed by accident, a runaway script).
    public struct Limits: Sendable, Hashable {
        /// A content file larger than this is refused before it is read.
        public var maxFileBytes = 20_000_000
        /// Content files in all.
        public var maxFiles = 200_000
        /// Members in content/voice/members.toml.
        public var maxMembers = 10_000

        public init() {}
    }

    /// How the images content uses are prepared for readers on any screen and connection.
    public struct Images: Sendable, Hashable {
        /// Narrower copies made of an image wider than `content_width`, each below its own width.
        public var widths = [320, 640, 960, 1280, 1920]
        /// The widest an image is shown in the theme's text column, in CSS pixels.
        public var contentWidth = 640
        /// The `sizes` attribute of every responsive image: how wide it is shown on each screen.
        public var sizes = "(min-width: 42em) 40em, calc(100vw - 2rem)"
        public var jpegQuality = 80
        public var webpQuality = 80
        /// An image file larger than this is a warning: it is slow to publish and to review.
        public var maxBytes = 1_000_000

        public init() {}
    }

    public struct Markdown: Sendable, Hashable {
        /// Raw HTML in markdown is dropped unless a site opts in: contributors' HTML is the
        /// most common source of invalid and inaccessible markup.
        public var unsafeHTML = false
        public var smartPunctuation = true
    }

    public init(title: String, baseURL: String) {
        self.title = title
        self.baseURL = Self.normalisedBaseURL(baseURL) ?? baseURL
    }

    /// `https://example.org` → `https://example.org/`; nil if it is not an absolute http(s) URL.
    public static func normalisedBaseURL(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil, url.query == nil, url.fragment == nil
        else { return nil }
        return text.hasSuffix("/") ? text : text + "/"
    }

    /// The path part of the base URL (`/` or `/network/`), prefixed to every link the site makes.
    public var basePath: String {
        URL(string: baseURL).map { $0.path.hasSuffix("/") ? $0.path : $0.path + "/" } ?? "/"
    }
}

public enum ConfigError: DiagnosticConvertible {
    case missingFile(path: String)
    case unreadable(path: String, reason: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .missingFile(path):
            Diagnostic(
                .error, code: "config.missing-file", "no site.toml here; run localgov in the site's folder or create site.toml",
                at: SourceLocation(file: path))
        case let .unreadable(path, reason):
            Diagnostic(.error, code: "config.unreadable", "cannot read site.toml: \(reason)", at: SourceLocation(file: path))
        }
    }
}

/// Turns the text of `site.toml` into a `SiteConfig` and its diagnostics. Pure: no disk.
public enum SiteConfigParser {
    public static let fileName = "site.toml"

    /// `site.toml` from the site's folder.
    public static func load(from fileSystem: some SiteFileSystem) -> (SiteConfig?, [Diagnostic]) {
        guard fileSystem.fileExists(fileName) else { return (nil, [ConfigError.missingFile(path: fileName).diagnostic]) }
        do {
            return parse(try ContentLoader.readText(fileName, from: fileSystem).text)
        } catch .unreadable(_, let reason) {
            return (nil, [ConfigError.unreadable(path: fileName, reason: reason).diagnostic])
        } catch {
            return (nil, [error.diagnostic])
        }
    }

    public static func parse(_ text: String, file: String = fileName) -> (SiteConfig?, [Diagnostic]) {
        let root: DataNode
        do {
            root = try TOMLReader.read(text, file: file)
        } catch {
            return (nil, [error.diagnostic])
        }
        var reader = FieldReader(root, domain: "config", syntax: .toml)
        let title = reader.string("title", required: "\"LocalGov Digital\"")
        var baseURL: String?
        if let node = reader.located("base_url", required: "\"https://localgov.digital/\"") {
            if let text = node.value.scalarText, let normalised = SiteConfig.normalisedBaseURL(text) {
                baseURL = normalised
            } else {
                reader.invalid(
                    "base_url", "base_url \"\(node.value.scalarText ?? "")\" is not an absolute web address; write base_url = \"https://example.org/\"",
                    at: node.location)
            }
        }
        var config = SiteConfig(title: title ?? "", baseURL: baseURL ?? "http://localhost/")
        if let value = reader.string("description") { config.description = value }
        if let value = reader.string("language") { config.language = value }
        if let value = reader.string("theme") { config.theme = value }
        if let value = reader.string("copyright") { config.copyright = value }
        if let node = reader.located("timezone"), let name = node.value.scalarText {
            if let zone = TimeZone(identifier: name) {
                config.timeZone = zone
            } else {
                reader.invalid(
                    "timezone", "timezone \"\(name)\" is not a known time zone; write a name such as \"Europe/London\"",
                    at: node.location)
            }
        }
        if let items = reader.list("menu") {
            for (index, item) in items.enumerated() {
                var entry = FieldReader(item, domain: "config", syntax: .toml, prefix: "menu[\(index)].")
                if let name = entry.string("name", required: "\"Blog\""), let url = entry.string("url", required: "\"/blog/\"") {
                    config.menu.append(.init(name: name, url: url))
                }
                entry.warnUnknownKeys(known: ["name", "url"])
                reader.absorb(entry)
            }
        }
        if let table = reader.table("banner") {
            config.banner = readBanner(table, into: &reader)
        }
        if let table = reader.table("blog") {
            var blog = FieldReader(table, domain: "config", syntax: .toml, prefix: "blog.")
            if let value = blog.integer("page_size", in: 1...1000) { config.blog.pageSize = value }
            if let value = blog.integer("home_posts", in: 0...100) { config.blog.homePosts = value }
            if let value = blog.integer("feed_items", in: 0...100_000) { config.blog.feedItems = value }
            if let value = blog.string("contribute_url") { config.blog.contributeURL = value }
            if let node = blog.located("permalink"), let written = node.value.scalarText {
                do {
                    config.blog.permalink = try Permalink(written)
                } catch {
                    blog.invalid("permalink", Self.explain(error, in: written), at: node.location)
                }
            }
            blog.warnUnknownKeys(known: ["page_size", "home_posts", "feed_items", "contribute_url", "permalink"])
            reader.absorb(blog)
        }
        if let table = reader.table("voice") {
            config.voice = readVoice(table, into: &reader)
        }
        config.image = reader.shareImage()
        config.types = reader.table("types")
        if let table = reader.table("images") {
            var images = FieldReader(table, domain: "config", syntax: .toml, prefix: "images.")
            if let nodes = images.list("widths") {
                func width(_ node: DataNode) -> Int? {
                    if case .integer(let width) = node.value, (16...10_000).contains(width) { width } else { nil }
                }
                if !nodes.isEmpty, nodes.allSatisfy({ width($0) != nil }) {
                    config.images.widths = Array(Set(nodes.compactMap(width))).sorted()
                } else {
                    images.invalid(
                        "widths", "write the widths as whole numbers of pixels from 16 to 10000, like [320, 640, 1280]",
                        at: (nodes.first { width($0) == nil } ?? table).location)
                }
            }
            if let value = images.integer("content_width", in: 16...10_000) { config.images.contentWidth = value }
            if let value = images.string("sizes") { config.images.sizes = value }
            if let value = images.integer("jpeg_quality", in: 1...100) { config.images.jpegQuality = value }
            if let value = images.integer("webp_quality", in: 1...100) { config.images.webpQuality = value }
            if let value = images.integer("max_bytes", in: 1_000...2_000_000_000) { config.images.maxBytes = value }
            images.warnUnknownKeys(known: ["widths", "content_width", "sizes", "jpeg_quality", "webp_quality", "max_bytes"])
            reader.absorb(images)
        }
        if let table = reader.table("limits") {
            var limits = FieldReader(table, domain: "config", syntax: .toml, prefix: "limits.")
            if let value = limits.integer("max_file_bytes", in: 1_000...2_000_000_000) { config.limits.maxFileBytes = value }
            if let value = limits.integer("max_files", in: 1...10_000_000) { config.limits.maxFiles = value }
            if let value = limits.integer("max_members", in: 1...1_000_000) { config.limits.maxMembers = value }
            limits.warnUnknownKeys(known: ["max_file_bytes", "max_files", "max_members"])
            reader.absorb(limits)
        }
        if let table = reader.table("markdown") {
            var markdown = FieldReader(table, domain: "config", syntax: .toml, prefix: "markdown.")
            if let value = markdown.bool("unsafe_html") { config.markdown.unsafeHTML = value }
            if let value = markdown.bool("smart_punctuation") { config.markdown.smartPunctuation = value }
            markdown.warnUnknownKeys(known: ["unsafe_html", "smart_punctuation"])
            reader.absorb(markdown)
        }
        if let table = reader.table("checks") {
            var checks = FieldReader(table, domain: "config", syntax: .toml, prefix: "checks.")
            let levels: [String: Diagnostic.Severity?] = ["error": .error, "warning": .warning, "off": .none]
            for check in ContentCheck.allCases {
                guard let node = checks.located(check.rawValue), let text = node.value.scalarText else { continue }
                if let level = levels[text] {
                    config.checks[check] = level
                } else {
                    checks.invalid(
                        check.rawValue, "checks.\(check.rawValue) is \"\(text)\"; write \"error\", \"warning\" or \"off\"",
                        at: node.location)
                }
            }
            checks.warnUnknownKeys(known: ContentCheck.allCases.map(\.rawValue))
            reader.absorb(checks)
        }
        reader.warnUnknownKeys(
            known: [
                "title", "base_url", "description", "language", "theme", "copyright", "timezone", "menu", "banner", "blog", "markdown",
                "voice", "checks", "limits", "images", "image", "image_alt", "types",
            ])
        let diagnostics = reader.errors.map(\.diagnostic)
        return (diagnostics.contains { $0.severity == .error } ? nil : config, diagnostics)
    }

    private static func readBanner(_ table: DataNode, into reader: inout FieldReader) -> SiteConfig.Banner? {
        var fields = FieldReader(table, domain: "config", syntax: .toml, prefix: "banner.")
        let message = fields.string("message", required: "\"This is a new site: your feedback will help us improve it.\"")
        var banner = message.map { SiteConfig.Banner(message: $0) }
        if let value = fields.string("phase") { banner?.phase = value }
        let linkText = fields.located("link_text")
        let linkURL = fields.located("link_url")
        if let text = linkText?.value.scalarText, let url = linkURL?.value.scalarText {
            banner?.linkText = text
            banner?.linkURL = url
        } else if let lone = linkText ?? linkURL {
            let (has, lacks) = linkText == nil ? ("link_url", "link_text") : ("link_text", "link_url")
            fields.invalid(has, "banner.\(has) needs banner.\(lacks) too: a link needs both its words and its address", at: lone.location)
        }
        fields.warnUnknownKeys(known: ["phase", "message", "link_text", "link_url"])
        reader.absorb(fields)
        return banner
    }

    private static func readVoice(_ table: DataNode, into reader: inout FieldReader) -> SiteConfig.Voice {
        var voice = SiteConfig.Voice()
        var fields = FieldReader(table, domain: "config", syntax: .toml, prefix: "voice.")
        if let value = fields.string("cache") { voice.cache = value }
        if let value = fields.string("snapshot") { voice.snapshot = value }
        if let value = fields.integer("page_size", in: 1...1000) { voice.pageSize = value }
        if let value = fields.integer("feed_items", in: 1...10_000) { voice.feedItems = value }
        if let value = fields.integer("excerpt_length", in: 40...2000) { voice.excerptLength = value }
        if let value = fields.bool("search") { voice.search = value }
        if let value = fields.integer("fetch_concurrency", in: 1...64) { voice.fetch.concurrency = value }
        if let value = fields.integer("connect_timeout", in: 1...120) { voice.fetch.connectTimeout = value }
        if let value = fields.integer("timeout", in: 1...600) { voice.fetch.timeout = value }
        if let value = fields.integer("max_feed_bytes", in: 10_000...100_000_000) { voice.fetch.maxBytes = value }
        if let value = fields.integer("max_redirects", in: 0...20) { voice.fetch.maxRedirects = value }
        fields.warnUnknownKeys(known: [
            "cache", "snapshot", "page_size", "feed_items", "excerpt_length", "search", "fetch_concurrency", "connect_timeout",
            "timeout", "max_feed_bytes", "max_redirects",
        ])
        reader.absorb(fields)
        return voice
    }
}

extension SiteConfigParser {
    static func explain(_ problem: Permalink.Problem, in written: String) -> String {
        let example = "write it like \"/:year/:month/:day/:slug/\" or \"/blog/:slug/\""
        return switch problem {
        case .shape: "\"\(written)\" is not an address pattern: it starts and ends with /, and each folder is a name or a token; \(example)"
        case .unknownToken(let token): "\(token) is not a token of a permalink; the tokens are :year, :month, :day and :slug"
        case .noSlug: "\"\(written)\" has no :slug, so posts would share an address; \(example)"
        }
    }
}
