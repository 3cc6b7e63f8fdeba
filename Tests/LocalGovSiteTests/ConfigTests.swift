import Foundation
import Testing

@testable import LocalGovSite

@Suite struct ConfigTests {
    @Test func readsEveryField() throws {
        let (config, diagnostics) = SiteConfigParser.parse(
            """
            title = "Example"
            base_url = "https://example.org/network"
            language = "cy"
            timezone = "Europe/Dublin"
            [[menu]]
            name = "Blog"
            url = "/blog/"
            [blog]
            page_size = 7
            [markdown]
            unsafe_html = true
            """)
        #expect(diagnostics.isEmpty)
        let site = try #require(config)
        #expect(site.baseURL == "https://example.org/network/")
        #expect(site.basePath == "/network/")
        #expect(site.language == "cy")
        #expect(site.timeZone.identifier == "Europe/Dublin")
        #expect(site.menu == [.init(name: "Blog", url: "/blog/")])
        #expect(site.blog.pageSize == 7)
        #expect(site.blog.homePosts == 5)
        #expect(site.markdown.unsafeHTML)
    }

    @Test func bannerNeedsAMessageAndBothHalvesOfItsLink() throws {
        let (config, diagnostics) = SiteConfigParser.parse(
            """
            title = "Example"
            base_url = "https://example.org/"
            [banner]
            phase = "Alpha"
            message = "A new site."
            link_text = "Tell us"
            link_url = "/feedback/"
            """)
        #expect(diagnostics.isEmpty)
        #expect(
            try #require(config).banner
                == SiteConfig.Banner(phase: "Alpha", message: "A new site.", linkText: "Tell us", linkURL: "/feedback/"))

        let (broken, errors) = SiteConfigParser.parse(
            """
            title = "Example"
            base_url = "https://example.org/"
            [banner]
            link_url = "/feedback/"
            """)
        #expect(broken == nil)
        #expect(
            errors.map(\.description) == [
                "site.toml:3:1: error: missing required field \"banner.message\"; add a line such as message = \"This is a new site: your feedback will help us improve it.\" [config.missing]",
                "site.toml:4:12: error: banner.link_url needs banner.link_text too: a link needs both its words and its address [config.link_url]",
            ])
    }

    @Test func wrongTypeNamesKeyPathAndLine() {
        let (config, diagnostics) = SiteConfigParser.parse(
            """
            title = "Example"
            base_url = "https://example.org/"

            [blog]
            page_size = "ten"
            """)
        #expect(config == nil)
        #expect(
            diagnostics.map(\.description) == [
                "site.toml:5:13: error: \"blog.page_size\" should be a whole number, not text; write it as page_size = 10 [config.type]"
            ])
    }

    @Test func unknownKeysAreWarningsWithSuggestions() throws {
        let (config, diagnostics) = SiteConfigParser.parse(
            """
            title = "Example"
            base_url = "https://example.org/"
            langauge = "en"
            """)
        #expect(config != nil)
        #expect(
            diagnostics.map(\.description) == [
                "site.toml:3:1: warning: unknown key \"langauge\"; did you mean \"language\"? [config.unknown-key]"
            ])
    }

    @Test func syntaxErrorHasLineAndColumn() {
        let (config, diagnostics) = SiteConfigParser.parse("title = \"Example\"\nbase_url = https://example.org/\n")
        #expect(config == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].code == "toml.syntax")
        #expect(diagnostics[0].location?.line == 2)
    }

    @Test func requiredKeysAndBadValues() {
        let (config, diagnostics) = SiteConfigParser.parse("base_url = \"example.org\"\ntimezone = \"Mars/Olympus\"\n")
        #expect(config == nil)
        #expect(
            diagnostics.map(\.description) == [
                "site.toml:1:1: error: missing required field \"title\"; add a line such as title = \"LocalGov Digital\" [config.missing]",
                "site.toml:1:12: error: base_url \"example.org\" is not an absolute web address; write base_url = \"https://example.org/\" [config.base_url]",
                "site.toml:2:12: error: timezone \"Mars/Olympus\" is not a known time zone; write a name such as \"Europe/London\" [config.timezone]",
            ])
    }

    @Test func locatorFindsKeysInArraysOfTables() {
        let locator = TOMLKeyLocator(text: "a = 1\n[[menu]]\nname = \"x\"\n[[menu]]\n  name = \"y\"\n[blog.sub]\n\"quoted key\" = 2\n")
        #expect(locator.key(at: ["menu", "1", "name"]) == .init(line: 5, column: 3))
        #expect(locator.value(at: ["menu", "0", "name"]) == .init(line: 3, column: 8))
        #expect(locator.key(at: ["blog", "sub", "quoted key"])?.line == 7)
    }
}
