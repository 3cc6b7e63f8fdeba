import Foundation
import Testing

@testable import LocalGovSite

@Suite struct ContentCheckTests {
    func build(checks: String) throws -> BuildResult {
        var fileSystem = MemoryFileSystem([
            "site.toml": "title = \"C\"\nbase_url = \"https://c.example/\"\n\(checks)",
            "content/blog/post.md": "---\ntitle: Post\ndate: 2025-01-01\n---\nSee [here](/about/).\n\n![](a.png)\n",
        ])
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

    @Test func cellsAreCheckedForLinksButNotForHeadingOrder() {
        let body = Markdown.render("#### Deep\n\n[click here](/x/)", startingAt: SourceLocation(file: "c.toml", line: 3), options: MarkdownOptions())
        #expect(ContentChecks.findings(in: body, headings: false).map(\.check) == [.linkText])
        #expect(ContentChecks.findings(in: body).map(\.check) == [.headingOrder, .linkText])
    }
}
