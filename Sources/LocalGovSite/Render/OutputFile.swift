import Foundation

/// One file of the built site: where it goes, its bytes, and what produced it (for collision errors).
public struct OutputFile: Sendable, Hashable {
    public var path: String
    public var content: Content
    public var origin: String

    /// Pages are made in memory; processed pictures are kept in the image cache, and a site's
    /// thousand photos are linked from there into the output, never held in memory all at once.
    public enum Content: Sendable, Hashable {
        case bytes(Data)
        /// The path of a file the build keeps and never changes in place (a new version is a new
        /// file), so the same file means the same bytes; with its identity where the keeper
        /// already looked, so that writing the site need not look again.
        case file(String, identity: FileIdentity? = nil)

        public var bytes: Data {
            switch self {
            case .bytes(let data): data
            case .file(let path, _): (try? Data(readingFileAt: path)) ?? Data()
            }
        }
    }

    /// Which file a path leads to: the same device and inode are the very same file, as a hard
    /// link from the build cache into the site is.
    public struct FileIdentity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
    }

    public var bytes: Data { content.bytes }

    public init(path: String, bytes: Data, origin: String) {
        self.init(path: path, content: .bytes(bytes), origin: origin)
    }

    public init(path: String, content: Content, origin: String) {
        self.path = path
        self.content = content
        self.origin = origin
    }

    public init(path: String, text: String, origin: String) {
        self.init(path: path, bytes: Data(text.utf8), origin: origin)
    }
}

public enum RenderError: DiagnosticConvertible {
    case collision(path: String, first: String, second: String)
    /// Two addresses that differ only in case: one file on Windows and macOS, where a site is
    /// often checked out or copied.
    case caseCollision(path: String, other: String, first: String, second: String)
    case unportableName(path: String, segment: String, origin: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .collision(path, first, second):
            Diagnostic(
                .error, code: "output.collision",
                "\(second) and \(first) would both be written to \(path); give one of them a different slug",
                at: SourceLocation(file: second))
        case let .caseCollision(path, other, first, second):
            Diagnostic(
                .error, code: "output.case-collision",
                "\(second) would be written to \(path) and \(first) to \(other), which differ only in capital letters and are one file on Windows and macOS; give one of them a different slug",
                at: SourceLocation(file: second))
        case let .unportableName(path, segment, origin):
            Diagnostic(
                .error, code: "output.name",
                "\(origin) would be written to \(path), but Windows cannot hold a file or folder named \"\(segment)\" (a device name, or one ending in a dot or a space), so the site could not be copied or checked out there; give it a different slug",
                at: SourceLocation(file: origin))
        }
    }
}

/// Output paths that every common file system can hold.
enum PortablePath {
    /// Windows' device names, reserved with any extension and in any case.
    static let deviceNames = Set(["con", "prn", "aux", "nul"] + (1...9).flatMap { ["com\($0)", "lpt\($0)"] })

    /// The first segment of `path` that Windows cannot hold, if any. By bytes: every file of
    /// every build is asked, and the device names are ASCII words of three or four letters.
    static func unportableSegment(of path: String) -> String? {
        path.utf8.split(separator: UInt8(ascii: "/")).first { segment in
            if segment.last == UInt8(ascii: ".") || segment.last == UInt8(ascii: " ") { return true }
            let stem = segment.prefix { $0 != UInt8(ascii: ".") }
            return stem.count <= 4 && deviceNames.contains(String(decoding: stem, as: UTF8.self).lowercased())
        }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The form two paths share when a case-insensitive file system takes them for one: the
    /// path itself when it is ASCII without capitals, as nearly every path a build writes is.
    static func folded(_ path: String) -> String {
        if path.utf8.allSatisfy({ $0 < 0x80 && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) { return path }
        return (path.utf8.allSatisfy { $0 < 0x80 } ? path : path.precomposedStringWithCanonicalMapping).lowercased()
    }
}

/// Where things live in the built site, and how links to them are written.
struct Routes: Sendable {
    let basePath: String
    let baseURL: String

    init(_ config: SiteConfig) {
        basePath = config.basePath
        baseURL = config.baseURL
    }

    /// `blog/x/` → `/blog/x/` (with the base URL's path in front).
    func link(_ relative: String) -> String { basePath + relative }
    func absolute(_ relative: String) -> String { baseURL + relative }

    /// A link written in `site.toml` or content as `/about/` gets the base path too.
    func rootRelative(_ url: String) -> String {
        url.hasPrefix("/") && !url.hasPrefix("//") ? basePath + url.dropFirst() : url
    }

    /// `blog/x/` → `blog/x/index.html`; files (`blog/feed.xml`) stay as they are.
    static func file(_ relative: String) -> String {
        relative.isEmpty || relative.hasSuffix("/") ? relative + "index.html" : relative
    }

    static func page(_ slug: String) -> String { "\(slug)/" }
    static func tag(_ slug: String) -> String { "blog/tags/\(slug)/" }
    static func author(_ slug: String) -> String { "blog/authors/\(slug)/" }
    static func year(_ year: Int) -> String { "blog/\(year)/" }
    static let standard = "standard/"
    static func point(_ slug: String) -> String { "standard/\(slug)/" }
    static let wholeStandard = "standard/all/"
    static let standardChanges = "standard/changes/"
    static let standardFeed = "standard/feed.xml"
    static let standardData = "standard/standard.json"
    /// A set's rows for reuse: `principles/<set>.json` or `.csv`.
    static func principlesData(_ set: String, format: String) -> String { "principles/\(set).\(format)" }
    static let principlesIndex = "principles/"
    /// With one set, its table is the principles page itself; with several, each has its own page.
    static func principles(_ set: String, setCount: Int) -> String { setCount == 1 ? principlesIndex : "principles/\(set)/" }
    static let search = "search/"
    static let voice = "voice/"
    static let voiceMembers = "voice/members/"
    static func voiceMember(_ slug: String) -> String { "voice/members/\(slug)/" }
    static let voiceStatus = "voice/status/"
    static func voiceYear(_ year: Int) -> String { "voice/\(year)/" }
    static let voiceRSS = "voice/feed.xml"
    static let voiceAtom = "voice/atom.xml"
    static let voiceOPML = "voice/members.opml"
    static let blog = "blog/"
    static let tags = "blog/tags/"
    static let authors = "blog/authors/"

    /// Page 1 of a list lives at the list's own address; later pages under `page/N/`.
    static func paged(_ base: String, _ page: Int) -> String { page == 1 ? base : "\(base)page/\(page)/" }

    /// Root-relative links in content (`/about/`) made absolute, for feed readers that show
    /// content away from the site. cmark-gfm always writes attributes in double quotes.
    func absolutising(_ html: String) -> String {
        contentLinkRewriter.apply(to: html)
    }

    /// `https://example.org` for `https://example.org/sub/`: what root-relative links are relative to.
    private var origin: String? {
        guard let url = URL(string: baseURL), let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    /// A root-relative link (`/standard/x/`, base path included) as an absolute address.
    func absoluteLink(_ link: String) -> String {
        guard link.hasPrefix("/"), !link.hasPrefix("//"), let origin else { return link }
        return origin + link
    }

    private var contentLinkRewriter: TextRewriter {
        guard let origin else { return TextRewriter([]) }
        // Protocol-relative links (`//host/`) come first so that they are left as they are.
        return TextRewriter([
            (" href=\"//", " href=\"//"), (" src=\"//", " src=\"//"),
            (" href=\"/", " href=\"\(origin)/"), (" src=\"/", " src=\"\(origin)/"),
        ])
    }
}
