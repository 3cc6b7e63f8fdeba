import Foundation
import Testing

@testable import LocalGovSite

@Suite struct ContentCheckTests {
    func build(checks: String) throws -> BuildResult {
        var fileSystem = MemoryFileSystem([
            "site.toml": "title = \"C\"\nbase_url = \"https://c.example/\"\n\(checks)",
            "content/blog/post.md": "---\ntitle: Post\ndate: 2025-01-01\n---\nSee [here](/about/).\n\n![](a.png)\n",
            // The link and the image point at things the site has: only the wording is wrong.
            "content/pages/about.md": "---\ntitle: About\nsummary: About us.\n---\nText\n",
        ])
        fileSystem.files["static/blog/post/a.png"] = try Data(contentsOf: Paths.tests.appendingPathComponent("Fixtures/images/small.png"))
        try fileSystem.addDefaultTheme()
        return SiteBuild.run(fileSystem: fileSystem, clock: testClock)
    }

    @Test func defaultsMakeTheFirstThreeChecksErrors() throws {
        let result = try build(checks: "")
        #expect(!result.succeeded)
        #expect(Set(result.diagnostics.items.map(\.code)) == ["check.link-text", "check.image-alt"])
        #expect(result.diagnostics.items.allSatisfy { $0.severity == .error })
    }

    @Test func siteTomlTurnsChecksIntoWarningsOrOff() throws {
        let result = try build(checks: "[checks]\nlink_text = \"warning\"\nimage_alt = \"off\"\n")
        #expect(result.succeeded, "\(result.diagnostics.items)")
        #expect(result.diagnostics.items.map(\.description) == [
            "content/blog/post.md:5:5: warning: link text \"here\" does not say where the link goes; use the name of the page, such as [the council tax guide](…) [check.link-text]"
        ])
    }

    @Test func anUnknownLevelIsAConfigurationError() throws {
        let result = try build(checks: "[checks]\nlink_text = \"loud\"\nimage_alts = \"off\"\n")
        #expect(result.diagnostics.items.map(\.description).contains(
            "site.toml:4:13: error: checks.link_text is \"loud\"; write \"error\", \"warning\" or \"off\" [config.link_text]"))
        #expect(result.diagnostics.items.map(\.description).contains(
            "site.toml:5:1: warning: unknown key \"checks.image_alts\"; did you mean \"image_alt\"? [config.unknown-key]"))
    }

    @Test func linksIntoTheSiteMustReachAPageAndSection() throws {
        let result = try build(checks: "[checks]\nlink_text = \"off\"\nimage_alt = \"off\"\n")
        #expect(result.succeeded, "\(result.diagnostics.items)")
        var broken = MemoryFileSystem([
            "site.toml": "title = \"C\"\nbase_url = \"https://c.example/sub/\"\n",
            "content/pages/about.md": "---\ntitle: About\nsummary: About us.\n---\n## Our team\n\n[Team](#our-team), [blog](/sub/blog/), [gone](/sub/gone/), [section](/sub/about/#history)\n",
        ])
        try broken.addDefaultTheme()
        let found = SiteBuild.run(fileSystem: broken, clock: testClock).diagnostics.items.map(\.description)
        #expect(found == [
            "content/pages/about.md:7:40: error: the link to /sub/gone/ goes nowhere: the site has no page or file at that address; copy the address from the page in your browser [check.link-target]",
            "content/pages/about.md:7:60: error: the link to /sub/about/#history goes nowhere: that page has no section with the id \"history\"; a heading's id is its text in lowercase with hyphens [check.link-target]",
        ])
    }

    @Test func cellsAreCheckedForLinksButNotForHeadingOrder() {
        let body = Markdown.render("#### Deep\n\n[click here](/x/)", startingAt: SourceLocation(file: "c.toml", line: 3), options: MarkdownOptions())
        #expect(ContentChecks.findings(in: body, headings: false).map(\.check) == [.linkText])
        #expect(ContentChecks.findings(in: body).map(\.check) == [.headingOrder, .linkText])
    }

    /// The checks' fast trimming gives what Foundation's does, whitespace at the ends or not.
    @Test func trimmingMatchesFoundation() {
        let texts = ["", " ", "a", " a", "a ", "\u{A0}a\u{2003}", "\n\tread more.\n", "…here!", "é", "🙂 ", "a b"]
        for text in texts {
            for set in [CharacterSet.whitespaces, .whitespacesAndNewlines, ContentChecks.punctuationAndSpaces] {
                #expect(text.trimming(set) == text.trimmingCharacters(in: set), "\(text.debugDescription)")
            }
        }
    }

    /// The ids a link's fragment may name: what the pattern `\sid="([^"]*)"` finds, found faster.
    @Test func idsAreTheQuotedIdAttributesAfterWhiteSpace() {
        let page = "<h2 id=\"a\">A</h2><div data-id=\"not\"\nid=\"b c\"><p\tid=\"\">é</p><a id=\"ü-1\">x</a> id=\"open"
        let expected = Set(page.matches(of: /\sid="([^"]*)"/).map { String($0.output.1) })
        #expect(expected == ["a", "b c", "", "ü-1"])
        #expect(LinkTargets.ids(in: Data(page.utf8)) == expected)
        #expect(LinkTargets.ids(in: Data(#"id="first""#.utf8)).isEmpty)
    }

    /// How links were resolved character by character, before the scan by bytes: the two must
    /// agree on every destination.
    static func resolvedByCharacters(_ destination: String, from page: String, basePath: String) -> (String, String?)? {
        let text = destination.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("//") { return nil }
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains(where: { "/?#".contains($0) }) { return nil }
        var rest = Substring(text)
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            let written = String(rest[rest.index(after: hash)...])
            fragment = written.removingPercentEncoding ?? written
            rest = rest[..<hash]
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        let pagePath = "/" + page
        let absolute: String
        if rest.isEmpty {
            absolute = pagePath
        } else if rest.hasPrefix("/") {
            absolute = rest.hasPrefix(basePath) ? "/" + rest.dropFirst(basePath.count) : String(rest)
        } else {
            absolute = URL(string: String(rest), relativeTo: URL(string: "https://site.invalid" + pagePath))?.path ?? pagePath
        }
        let relative = String((absolute.removingPercentEncoding ?? absolute).dropFirst())
        return (rest.hasSuffix("/") && !relative.hasSuffix("/") && !relative.isEmpty ? relative + "/" : relative, fragment)
    }

    @Test func linksResolveAsTheyDidCharacterByCharacter() {
        let pieces = ["/", "blog", "post-1", "../", "./", "#", "?q=1", ":", "mailto:", "https:", "//", "%20", "é", " ", "a", ".html", "sub/"]
        var generator = JSONTextTests.Generator(state: 7)
        for _ in 0..<20_000 {
            let destination = (0..<(1 + generator.next(6))).map { _ in pieces[generator.next(pieces.count)] }.joined()
            let page = ["", "blog/post-1/", "standard/"][generator.next(3)]
            let basePath = ["/", "/sub/"][generator.next(2)]
            let new = LinkTargets.resolve(destination, from: page, basePath: basePath)
            let old = Self.resolvedByCharacters(destination, from: page, basePath: basePath)
            #expect(new?.0 == old?.0 && new?.1 == old?.1, "\(destination.debugDescription) from \(page) under \(basePath)")
        }
    }
}
