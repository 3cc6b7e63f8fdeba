import Foundation
import Testing

@testable import LocalGovSite

/// Names that become paths: whatever a contributor calls a file or writes as a slug, the build
/// writes only inside its output, in names every common file system can hold, or says why not.
@Suite struct PathsAndNamesTests {
    static let config = "title = \"T\"\nbase_url = \"https://t.example/\"\n"

    func build(_ texts: [String: String]) throws -> BuildResult { try buildInMemory(texts) }

    func post(_ title: String, slug: String? = nil, tags: [String] = [], body: String = "Some words about it.") -> String {
        let slugLine = slug.map { "slug: \"\($0)\"\n" } ?? ""
        let tagLine = tags.isEmpty ? "" : "tags: [\(tags.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
        return "---\ntitle: \(title)\ndate: 2024-05-01\n\(slugLine)\(tagLine)---\n\n\(body)\n"
    }

    func errors(_ result: BuildResult) -> [String] { result.errorLines }

    /// Jekyll's `YYYY-MM-DD-slug.md`: the day and the slug come from the name only when it has
    /// exactly that shape.
    @Test(arguments: [
        ("content/blog/2016-03-01-moving-in.md", "2016-03-01", "moving-in"),
        ("content/blog/2016-03-01-caf\u{E9}/index.md", "2016-03-01", "caf\u{E9}"),
        ("content/blog/2016-03-01-x.md", "2016-03-01", "x"),
    ])
    func aJekyllNameGivesItsDayAndSlug(path: String, day: String, slug: String) {
        let name = JekyllName(path: path)
        #expect(name?.day == day)
        #expect(name?.slug == slug)
    }

    @Test(arguments: [
        "content/blog/2016-03-01-.md", "content/blog/2016-3-01-x.md", "content/blog/2016-03-01x.md",
        "content/blog/20160301-x.md", "content/blog/moving-in.md", "content/blog/2016-03-0a-x.md",
    ])
    func otherNamesAreNotJekyllNames(path: String) {
        #expect(JekyllName(path: path) == nil)
    }

    /// As YAML reads them: `\0` and `\a` are its escapes for NUL and BEL, `\\` for a backslash.
    @Test(arguments: ["../escape", "/etc/passwd", "a/b", "a\\\\b", "nul\\0byte", "bell\\a", "two words", "..", "."])
    func aSlugThatLeavesItsFolderIsAnError(slug: String) throws {
        let result = try build(["content/blog/p.md": post("P", slug: slug)])
        let found = errors(result)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("content/blog/p.md:4:7: error: slug") == true, "\(found)")
        #expect(result.outputs.isEmpty)
    }

    @Test func windowsDeviceNamesAndTrailingDotsAreErrorsWhereverTheyComeFrom() throws {
        let result = try build([
            "content/blog/con.md": post("A post whose file is a device"),
            "content/pages/nul.md": "---\ntitle: Nothing to see\n---\n\nText.\n",
            "content/blog/written.md": post("Written", slug: "lpt1.backup"),
            "content/blog/dotted.md": post("Dotted", slug: "notes."),
            "content/blog/tagged.md": post("Tagged", tags: ["Aux"]),
        ])
        let found = errors(result).joined(separator: "\n")
        for (origin, name) in [
            ("content/blog/con.md", "con"), ("content/pages/nul.md", "nul"), ("content/blog/written.md", "lpt1.backup"),
            ("content/blog/dotted.md", "notes."), ("the tag Aux", "aux"),
        ] {
            #expect(found.contains("\(origin):1:1: error: \(origin) would be written to"), "\(origin)")
            #expect(found.contains("Windows cannot hold a file or folder named \"\(name)\""), "\(name)")
        }
        #expect(result.outputs.isEmpty)
    }

    @Test(arguments: [
        ("blog/con/index.html", "con"), ("a/COM1.json", "COM1.json"), ("Lpt9.tar.gz", "Lpt9.tar.gz"), ("notes./index.html", "notes."),
        ("a/b /index.html", "b "), ("blog/console/index.html", nil), ("lpt10/index.html", nil), ("com0.txt", nil),
        ("caf\u{E9}/index.html", nil), ("nul.\u{301}x/index.html", "nul.\u{301}x"), ("blog/a-post/index.html", nil),
    ] as [(String, String?)])
    func aSegmentWindowsCannotHoldIsFound(path: String, segment: String?) {
        #expect(PortablePath.unportableSegment(of: path) == segment)
    }

    @Test func pathsFoldAsACaseInsensitiveFileSystemSeesThem() {
        #expect(PortablePath.folded("blog/a-post/index.html") == "blog/a-post/index.html")
        #expect(PortablePath.folded("blog/Intro/index.html") == "blog/intro/index.html")
        #expect(PortablePath.folded("blog/G\u{175}YL/") == PortablePath.folded("blog/gw\u{302}yl/"))
    }

    @Test func slugsThatDifferOnlyByCaseAreAnError() throws {
        let result = try build([
            "content/blog/intro.md": post("Intro"),
            "content/blog/other.md": post("Other", slug: "Intro"),
        ])
        let found = errors(result)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains("differ only in capital letters") == true)
        #expect(found.first?.contains("blog/Intro/index.html") == true && found.first?.contains("blog/intro/index.html") == true)
    }

    @Test func aFileNameWithNoLettersIsAnError() throws {
        let found = errors(try build(["content/blog/!!!.md": post("Bangs")]))
        #expect(found == ["content/blog/!!!.md:1:1: error: the file name \"!!!.md\" has no letters or digits to make an address from; rename the file (for example to my-post.md) or set `slug` in its front matter [content.slug]"])
    }

    @Test func namesAreOneAddressInWhicheverUnicodeFormTheyAreWritten() throws {
        // ŵ as one character (NFC) and as w plus a combining circumflex (NFD, as macOS writes file names).
        let decomposed = "gw\u{302}yl"
        let result = try build([
            "content/blog/\(decomposed).md": post("Gŵyl", tags: ["Ŷ Fro"]),
            "content/blog/written.md": post("Written", slug: "cyfarfod-y\u{302}"),
            "content/blog/linking.md": post(
                "Linking", body: "See [the festival](/blog/g%C5%B5yl/), [the tag](/blog/tags/ŷ-fro/) and [the meeting](/blog/cyfarfod-ŷ/)."),
        ])
        #expect(errors(result).isEmpty, "\(errors(result))")
        let paths = Set(result.outputs.map(\.path))
        #expect(paths.isSuperset(of: ["blog/gŵyl/index.html", "blog/tags/ŷ-fro/index.html", "blog/cyfarfod-ŷ/index.html"]))
    }

    /// A site in a real folder, for what only a real file system has: symbolic links, and two
    /// names that differ only in Unicode form (Swift's strings take them as equal).
    func diskSite() throws -> URL {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-names-\(UUID().uuidString)/site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/blog"), withIntermediateDirectories: true)
        try Self.config.write(to: site.appendingPathComponent("site.toml"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            at: site.appendingPathComponent("themes"), withDestinationURL: Paths.repository.appendingPathComponent("themes"))
        return site
    }

    @Test func twoFileNamesInDifferentUnicodeFormsAreOneSlug() throws {
        let site = try diskSite()
        defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
        let blog = site.appendingPathComponent("content/blog")
        try post("Gŵyl").write(toFile: blog.path + "/g\u{175}yl.md", atomically: false, encoding: .utf8)
        try post("Gŵyl again").write(toFile: blog.path + "/gw\u{302}yl.md", atomically: false, encoding: .utf8)
        #expect(try FileManager.default.contentsOfDirectory(atPath: blog.path).count == 2)
        let found = errors(SiteBuild.run(fileSystem: LocalFileSystem(root: site), clock: testClock))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains("would both be published at /blog/gŵyl/") == true)
    }

    @Test func linksOutOfTheSiteOrToFoldersAreRefused() throws {
        let site = try diskSite()
        let base = site.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: base) }
        let manager = FileManager.default
        try manager.createDirectory(at: site.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try post("Secret").write(to: base.appendingPathComponent("secret.md"), atomically: false, encoding: .utf8)
        try post("Shared note").write(to: site.appendingPathComponent("notes/shared.md"), atomically: false, encoding: .utf8)
        let blog = site.appendingPathComponent("content/blog")
        try manager.createSymbolicLink(atPath: blog.appendingPathComponent("outside.md").path, withDestinationPath: "../../../secret.md")
        try manager.createSymbolicLink(atPath: blog.appendingPathComponent("inside.md").path, withDestinationPath: "../../notes/shared.md")
        // A folder link is never walked into: what it holds is not published.
        try manager.createDirectory(at: site.appendingPathComponent("notes/more"), withIntermediateDirectories: true)
        try post("Linked folder").write(to: site.appendingPathComponent("notes/more/linked.md"), atomically: false, encoding: .utf8)
        try manager.createSymbolicLink(atPath: blog.appendingPathComponent("more").path, withDestinationPath: "../../notes/more")
        try manager.createSymbolicLink(atPath: blog.appendingPathComponent("loop.md").path, withDestinationPath: "loop.md")

        let result = SiteBuild.run(fileSystem: LocalFileSystem(root: site), clock: testClock)
        let found = errors(result).sorted()
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasPrefix("content/blog/outside.md:1:1: error: cannot read this file: it is a symbolic link to ") && $0.contains("outside the site's folder") })
        #expect(found.contains { $0.hasPrefix("content/blog/loop.md:1:1: error: cannot read this file: it is a symbolic link to nothing") })

        // Without the two bad links the site builds, with the linked file inside the site.
        try manager.removeItem(at: blog.appendingPathComponent("outside.md"))
        try manager.removeItem(at: blog.appendingPathComponent("loop.md"))
        let good = SiteBuild.run(fileSystem: LocalFileSystem(root: site), clock: testClock)
        #expect(good.succeeded, "\(errors(good))")
        let paths = Set(good.outputs.map(\.path))
        #expect(paths.contains("blog/inside/index.html"))
        #expect(!paths.contains { $0.contains("linked") || $0.hasPrefix("blog/more/") })
    }

    /// A path's folder, worked out on its bytes, is what Foundation's `NSString` says it is.
    /// Foundation crashes on paths of one or two characters (`a`, `é/`) and on some with `//`,
    /// which the build never makes; those are checked against what it should say.
    @Test func aPathsParentIsFoundationsParent() {
        let short = ["": "", "/": "/", "a": "", "a/": "", "./": "", "é/": "", "/a": "/", "a/b": "a", "/a/b/": "/a", "a//b": "a", "//a": "/"]
        for (path, parent) in short { #expect(PathText.parent(path) == parent, "\(path.debugDescription)") }
        let pieces = ["a", "/", "é", ".", "..", "index.html", "b c"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let path = (0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            guard path.count > 2, !path.contains("//") else { continue }
            #expect(PathText.parent(path) == (path as NSString).deletingLastPathComponent, "\(path.debugDescription)")
        }
    }

    /// A document's name, folder and extension, worked out on bytes, are what `NSString`'s path methods gave,
    /// for paths as the content loader lists them: relative, no `//`, no `/` at the end.
    @Test func documentNamesAndFoldersAreFoundationsOnes() {
        let names = ["content", "blog", "x", "index.md", "a.b.md", ".md", "a.", "a..md", "é.md", ".hidden", "...", "x.MD", "b c.toml"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let path = (0..<Int.random(in: 1...5, using: &generator)).map { _ in names.randomElement(using: &generator)! }
                .joined(separator: "/")
            guard path.count > 2 else { continue }
            let file = path as NSString
            let folder = file.deletingLastPathComponent as NSString
            let name =
                file.lastPathComponent == ContentKind.bundleIndex && folder.pathComponents.count == 3
                ? folder.lastPathComponent : (file.lastPathComponent as NSString).deletingPathExtension
            let bundle =
                file.lastPathComponent == ContentKind.bundleIndex && file.pathComponents.count == 4
                ? file.deletingLastPathComponent + "/" : file.deletingPathExtension + "/"
            #expect(ContentKind.documentName(path) == name, "\(path.debugDescription)")
            #expect(PathText.pathExtension(path) == file.pathExtension, "\(path.debugDescription)")
            #expect(ContentKind.bundleFolder(path) == bundle, "\(path.debugDescription)")
        }
    }

}
