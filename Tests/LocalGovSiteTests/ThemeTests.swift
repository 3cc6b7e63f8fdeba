import Foundation
import Testing

@testable import LocalGovSite

@Suite struct ThemeTests {
    func site(extra: [String: String]) throws -> MemoryFileSystem {
        var files = [
            "site.toml": "title = \"T\"\nbase_url = \"https://t.example/sub\"\n",
            "content/pages/about.md": "---\ntitle: About\nteam: Digital\n---\nText\n",
        ]
        files.merge(extra) { $1 }
        var fileSystem = MemoryFileSystem(files)
        try fileSystem.addDefaultTheme()
        return fileSystem
    }

    @Test func aWelshPageGetsTheThemesWelshWordsAndOthersStayEnglish() throws {
        let fileSystem = try site(extra: [
            "site.toml": """
                title = "T"
                base_url = "https://t.example/"
                [[menu]]
                name = "About"
                url = "/about/"
                [banner]
                phase = "Beta"
                message = "New."
                """,
            "content/pages/amdanom.md": "---\ntitle: Amdanom ni\nlang: cy\n---\nTestun\n",
            "content/blog/one.md": "---\ntitle: One\ndate: 2024-01-02\n---\nText\n",
            "content/blog/dau.md": "---\ntitle: Dau\ndate: 2024-01-01\nlang: cy\n---\nTestun\n",
            "strings/en.toml": "search_button = \"Find\"\n",
            "strings/cy.toml": "no_such_word = \"Dim\"\n",
        ])
        let result = SiteBuild.run(fileSystem: fileSystem, clock: testClock)
        #expect(result.succeeded, "\(result.diagnostics.items)")
        #expect(
            result.diagnostics.items.map(\.description) == [
                "strings/cy.toml:1:1: warning: \"no_such_word\" in the cy strings is not a word the theme uses (it is not in en.toml) [strings.unknown-key]"
            ])
        func page(_ path: String) throws -> String {
            String(decoding: try #require(result.outputs.first { $0.path == path }).bytes, as: UTF8.self)
        }
        let welsh = try page("amdanom/index.html")
        #expect(welsh.contains("<html lang=\"cy\">"))
        #expect(welsh.contains("<a class=\"skip-link\" href=\"#main-content\">Neidio i&#39;r prif gynnwys</a>"))
        #expect(welsh.contains("<summary class=\"site-menu__toggle\">Dewislen</summary>"))
        #expect(welsh.contains(">Hafan</a>"))
        // A word the site replaced in English and Welsh does not have falls back to the site's English.
        #expect(welsh.contains(">Chwilio</button>"))
        // What site.toml and other pages say stays marked as the site's language, for screen readers.
        #expect(welsh.contains("<ul class=\"site-navigation__list\" lang=\"en-GB\">"))
        #expect(welsh.contains("<div class=\"phase-banner\" lang=\"en-GB\">"))
        #expect(welsh.contains("<a href=\"/about/\" hreflang=\"en-GB\" lang=\"en-GB\">About</a>"))
        let english = try page("about/index.html")
        #expect(english.contains(">Skip to main content</a>"))
        #expect(english.contains(">Find</button>"))
        #expect(english.contains("<ul class=\"site-navigation__list\">"))
        #expect(english.contains("<strong class=\"phase-banner__tag\">Beta</strong> <span class=\"phase-banner__text\">New.</span>"))
        #expect(english.contains("<a href=\"/amdanom/\" hreflang=\"cy\" lang=\"cy\">Amdanom ni</a>"))
        // A Welsh post in an English list is marked, its English metadata put back; and the other way round.
        let blog = try page("blog/index.html")
        #expect(blog.contains("<li class=\"post-list__item\" lang=\"cy\">"))
        #expect(blog.contains("<dl class=\"post-meta\" lang=\"en-GB\">"))
        #expect(blog.contains("<li class=\"post-list__item\">"))
        let welshPost = try page("blog/dau/index.html")
        #expect(welshPost.contains("rel=\"prev\" hreflang=\"en-GB\">"))
        #expect(welshPost.contains("<span class=\"pagination__link-label\" lang=\"en-GB\">One</span>"))
    }

    @Test func aSiteTemplateReplacesTheThemesOfTheSameName() throws {
        let fileSystem = try site(extra: [
            "templates/footer.mustache": "<footer><p>Our own footer for {{site.title}}</p></footer>",
            "static/favicon.ico": "icon",
        ])
        let result = SiteBuild.run(fileSystem: fileSystem, clock: testClock)
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let about = String(decoding: try #require(result.outputs.first { $0.path == "about/index.html" }).bytes, as: UTF8.self)
        #expect(about.contains("<footer><p>Our own footer for T</p></footer>"))
        #expect(!about.contains("site-footer"))
        // Everything the theme links to follows the base URL's path.
        #expect(about.contains("href=\"/sub/assets/style.css\""))
        #expect(about.contains("<link rel=\"canonical\" href=\"https://t.example/sub/about/\">"))
        #expect(result.outputs.contains { $0.path == "favicon.ico" })
        #expect(result.outputs.contains { $0.path == "assets/style.css" })
    }

    @Test func unknownFrontMatterIsReachableAsParams() throws {
        let fileSystem = try site(extra: ["templates/page.mustache": "{{<base}}{{$content}}<h1>{{page.title}}</h1><p>{{page.params.team}}</p>{{/content}}{{/base}}"])
        let result = SiteBuild.run(fileSystem: fileSystem, clock: testClock)
        let about = String(decoding: try #require(result.outputs.first { $0.path == "about/index.html" }).bytes, as: UTF8.self)
        #expect(about.contains("<h1>About</h1><p>Digital</p>"))
    }

    @Test func partialReferencesAreFoundWithPositions() {
        let references = Theme.partialReferences(in: "a\n  {{> header}}{{<base}}{{$x}}{{/x}}{{/base}}")
        #expect(references.map(\.name) == ["header", "base"])
        #expect(references.map(\.line) == [2, 2])
        #expect(references.map(\.column) == [3, 15])
    }
}
