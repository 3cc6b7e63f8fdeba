import Foundation
import Testing

@testable import LocalGovSite

/// A blog moving in keeps its addresses: a permalink pattern, a post's own permalink, aliases
/// with their redirect pages and server maps, and front matter as Jekyll and Hugo write it.
@Suite struct MovingInTests {
    func text(_ result: BuildResult, _ path: String) throws -> String {
        String(decoding: try #require(result.outputs.first { $0.path == path }, "no \(path)").bytes, as: UTF8.self)
    }

    static func post(_ title: String, date: String = "2016-03-01", _ extra: String = "", body: String = "A paragraph.") -> String {
        "---\ntitle: \"\(title)\"\ndate: \(date)\n\(extra)\n---\n\(body)\n"
    }

    static let dated = "[blog]\npermalink = \"/:year/:month/:day/:title/\"\n"

    @Test func thePermalinkPatternPlacesPostsAndEveryLinkToThem() throws {
        let result = try buildInMemory(
            [
                "content/blog/open-data.md": Self.post("Open data", date: "2016-03-01T23:30:00Z"),
                "content/pages/about.md": "---\ntitle: About\n---\nRead [our post on open data](/2016/03/01/open-data/).\n",
            ], extraConfig: Self.dated)
        #expect(result.succeeded, "\(result.errorLines)")
        // 23:30 UTC on 1 March is still 1 March in London (GMT).
        let page = try text(result, "2016/03/01/open-data/index.html")
        #expect(page.contains("<h1>Open data</h1>"))
        #expect(!result.outputs.contains { $0.path == "blog/open-data/index.html" })
        #expect(try text(result, "blog/index.html").contains("href=\"/2016/03/01/open-data/\""))
        #expect(try text(result, "blog/feed.xml").contains("<link>https://t.example/2016/03/01/open-data/</link>"))
        #expect(try text(result, "sitemap.xml").contains("<loc>https://t.example/2016/03/01/open-data/</loc>"))
        let search = result.outputs.filter { $0.path.hasPrefix("search/d-") }.map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(search.contains { $0.contains("/2016/03/01/open-data/") })

        // The old default address is now a broken link.
        let old = try buildInMemory(
            [
                "content/blog/open-data.md": Self.post("Open data"),
                "content/pages/about.md": "---\ntitle: About\n---\nRead [our post on open data](/blog/open-data/).\n",
            ], extraConfig: Self.dated)
        #expect(old.errorLines == [
            "content/pages/about.md:4:6: error: the link to /blog/open-data/ goes nowhere: the site has no page or file at that address; copy the address from the page in your browser [check.link-target]"
        ])
    }

    @Test func aPostsOwnPermalinkWinsAndTwoPostsAtOneAddressAreAnError() throws {
        let own = try buildInMemory(
            ["content/blog/a.md": Self.post("A", "permalink: /news/2016/a-story.html")], extraConfig: Self.dated)
        #expect(own.succeeded, "\(own.errorLines)")
        #expect(try text(own, "news/2016/a-story.html").contains("<h1>A</h1>"))

        // The same slug on two days is two addresses; on one day, one.
        let twoDays = try buildInMemory(
            ["content/blog/a.md": Self.post("A"), "content/blog/b.md": Self.post("B", date: "2016-03-02", "slug: a")],
            extraConfig: Self.dated)
        #expect(twoDays.succeeded, "\(twoDays.errorLines)")
        let oneDay = try buildInMemory(
            ["content/blog/a.md": Self.post("A"), "content/blog/b.md": Self.post("B", "permalink: /2016/03/01/a/")],
            extraConfig: Self.dated)
        #expect(oneDay.errorLines == [
            "content/blog/b.md:1:1: error: this post and content/blog/a.md would both be published at /2016/03/01/a/; rename one file or give it a different `slug` or `permalink` [content.duplicate-address]"
        ])
    }

    @Test(arguments: [
        ("/:year/:name/", "site.toml:4:13: error: :name is not a token of a permalink; the tokens are :year, :month, :day and :slug [config.permalink]"),
        ("/:year/:month/", "site.toml:4:13: error: \"/:year/:month/\" has no :slug, so posts would share an address; write it like \"/:year/:month/:day/:slug/\" or \"/blog/:slug/\" [config.permalink]"),
        ("blog/:slug", "site.toml:4:13: error: \"blog/:slug\" is not an address pattern: it starts and ends with /, and each folder is a name or a token; write it like \"/:year/:month/:day/:slug/\" or \"/blog/:slug/\" [config.permalink]"),
    ])
    func aWrongPatternIsAnErrorAtItsPlace(pattern: String, error: String) throws {
        let result = try buildInMemory(["content/blog/a.md": Self.post("A")], extraConfig: "[blog]\npermalink = \"\(pattern)\"\n")
        #expect(result.errorLines == [error])
    }

    static let aliased = [
        "content/blog/open-data.md": post(
            "Open data", "aliases: [\"/2016/03/open-data.html\", \"/blog/open-data-old/\", \"/?p=123\"]\nredirect_from: /old/open-data/",
            body: "Open data matters.\n\n## A paragraph\n\nMore."),
        "content/pages/about.md": "---\ntitle: About\n---\nRead [our post](/blog/open-data-old/#a-paragraph) and [the other](/old/open-data/).\n",
    ]

    @Test func everyAliasGetsARedirectPageAndALineInTheServerMaps() throws {
        let result = try buildInMemory(Self.aliased)
        #expect(result.errorLines.isEmpty, "\(result.errorLines)")
        let page = try text(result, "2016/03/open-data.html")
        #expect(page.contains("<link rel=\"canonical\" href=\"https://t.example/blog/open-data/\">"))
        #expect(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(page.contains("<meta http-equiv=\"refresh\" content=\"0; url=/blog/open-data/\">"))
        #expect(page.contains("<script src=\"/assets/redirect.js\"></script>"))
        #expect(page.contains("<a id=\"redirect-target\" href=\"/blog/open-data/\">Open data</a>"))
        #expect(page.contains("<h1>This page has moved</h1>"))
        for path in ["blog/open-data-old/index.html", "old/open-data/index.html"] {
            #expect(try text(result, path).contains("url=/blog/open-data/"), "\(path)")
        }
        #expect(result.outputs.contains { $0.path == "assets/redirect.js" })
        // A query is not part of a file's name: only the maps answer it.
        #expect(!result.outputs.contains { $0.path.contains("?") || $0.path.contains("p=123") })

        #expect(try text(result, "_redirects") == """
            # Old addresses and where they now lead, written by localgov build.
            /2016/03/open-data.html /blog/open-data/ 301
            /blog/open-data-old/ /blog/open-data/ 301
            / p=123 /blog/open-data/ 301!
            /old/open-data/ /blog/open-data/ 301

            """)
        #expect(try text(result, "_redirects.nginx-map") == """
            # Included by deploy/nginx.conf in `map $uri $localgov_redirect`.
            "/2016/03/open-data.html" "/blog/open-data/";
            "/blog/open-data-old/" "/blog/open-data/";
            "/blog/open-data-old" "/blog/open-data/";
            "/old/open-data/" "/blog/open-data/";
            "/old/open-data" "/blog/open-data/";

            """)
        #expect(try text(result, "_redirects-query.nginx-map").hasSuffix("\n\"/?p=123\" \"/blog/open-data/\";\n"))
        // Redirect pages are not pages of the site: not in the sitemap or search.
        #expect(!(try text(result, "sitemap.xml")).contains("open-data-old"))
    }

    @Test func aLinkToAnAliasWorksButAsksForTheNewAddress() throws {
        let result = try buildInMemory(Self.aliased)
        let warnings = result.diagnostics.items.filter { $0.severity == .warning }.map(\.description)
        #expect(warnings == [
            "content/pages/about.md:4:6: warning: /blog/open-data-old/#a-paragraph is an old address of /blog/open-data/#a-paragraph, which it redirects to; link to /blog/open-data/#a-paragraph instead [check.link-target]",
            "content/pages/about.md:4:55: warning: /old/open-data/ is an old address of /blog/open-data/, which it redirects to; link to /blog/open-data/ instead [check.link-target]",
        ])
        // A section the new page lacks is still broken.
        var texts = Self.aliased
        texts["content/pages/about.md"] = "---\ntitle: About\n---\nRead [our post](/old/open-data/#no-such-section).\n"
        #expect(try buildInMemory(texts).errorLines.count == 1)
    }

    @Test func anAliasOnAPagesAddressIsAnErrorNamingBoth() throws {
        let result = try buildInMemory([
            "content/blog/open-data.md": Self.post("Open data", "aliases: [\"/about/\"]"),
            "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
        ])
        #expect(result.errorLines.count == 1)
        let line = try #require(result.errorLines.first)
        #expect(line.contains("content/blog/open-data.md") && line.contains("content/pages/about.md") && line.contains("about/index.html"))
    }

    @Test(arguments: ["https://old.example/x/", "../x/", "/a b/", "/%2e%2e/x/", "/x/#top", "/$uri/"])
    func anAliasThatIsNotAnAddressHereIsAnError(alias: String) throws {
        let result = try buildInMemory(["content/blog/a.md": Self.post("A", "aliases: [\"\(alias)\"]")])
        #expect(result.errorLines == [
            "content/blog/a.md:4:11: error: aliases \"\(alias)\" is not an address on this site; write a path from the site's root, such as \"/2016/03/01/my-post/\" [front-matter.aliases]"
        ])
    }

    /// The forms Jekyll writes, each read as the same instant.
    @Test(arguments: [
        ("2015-06-11 11:30:00 -0400", "2015-06-11T15:30:00Z"),
        ("2015-06-11 11:30:00 -04:00", "2015-06-11T15:30:00Z"),
        ("2015-06-11 11:30:00 -4", "2015-06-11T15:30:00Z"),
        ("2015-06-11 11:30 +0100", "2015-06-11T10:30:00Z"),
        ("2015-06-11T11:30:00.250-04:00", "2015-06-11T15:30:00Z"),
        ("2015-06-11", "2015-06-10T23:00:00Z"),
    ])
    func jekyllDatesAreRead(written: String, utc: String) throws {
        let date = try ContentDateParser.parse(written, in: TimeZone(identifier: "Europe/London")!).get()
        #expect(Format.rfc3339(date.instant) == utc)
    }

    @Test func jekyllFrontMatterAndFileNamesAreUnderstood() throws {
        let result = try buildInMemory([
            "content/blog/2016-03-01-moving-in.md": """
                ---
                layout: post
                title: "Moving in"
                categories: news updates
                tags: [News, open data]
                excerpt: "How we moved our blog."
                author: Sam Patel
                ---
                Body.
                """,
            "content/blog/2016-03-02-described.md": "---\ntitle: Described\ndescription: \"From Hugo.\"\nauthor: [Ann Jones, Sam Patel]\ncategories: [Open Data]\n---\nBody.\n",
            "content/blog/2016-03-03-unpublished.md": "---\ntitle: Unpublished\npublished: false\n---\nBody.\n",
        ])
        #expect(result.diagnostics.items.isEmpty, "\(result.diagnostics.items.map(\.description))")
        let site = try #require(result.site)
        #expect(site.posts.map(\.slug) == ["described", "moving-in"])
        let moving = try #require(site.posts.last)
        #expect(moving.date.isoDay == "2016-03-01" && moving.path == "blog/moving-in/")
        #expect(moving.tags.map(\.name) == ["News", "open data", "updates"])
        #expect(moving.summary == "How we moved our blog.")
        #expect(moving.authors.map(\.name) == ["Sam Patel"])
        #expect(!moving.extra.contains { $0.key == "layout" })
        let described = try #require(site.posts.first)
        #expect(described.summary == "From Hugo." && described.authors.map(\.name) == ["Ann Jones", "Sam Patel"])
        #expect(described.tags.map(\.name) == ["Open Data"])
        #expect(site.excluded.drafts == 1)
    }

    @Test func aDateInTheFileNameMustBeReal() throws {
        let result = try buildInMemory(["content/blog/2016-02-30-leap.md": "---\ntitle: Leap\n---\nBody.\n"])
        #expect(result.errorLines == [
            "content/blog/2016-02-30-leap.md:1:1: error: date \"2016-02-30\" is not a real date: February 2016 has 29 days; check the day and month [front-matter.date]"
        ])
    }
}

extension MovingInTests {
    /// A Jekyll blog as such blogs are: 500 posts named `YYYY-MM-DD-slug.md`, dates in every form
    /// Jekyll writes (and some only in the name), categories and tags, Jekyll's keys, and links
    /// between posts at their old dated addresses. Generated from a seed, so that a failure repeats.
    static func jekyllBlog(posts count: Int, seed: UInt64) -> [String: String] {
        var random = ListingOrderTests.SeededGenerator(state: seed)
        let words = ["council", "digital", "service", "data", "open", "team", "users", "website", "forms", "agile", "library", "bins"]
        let offsets = [" -0400", " -04:00", " -4", " +0100", " +0000", "", "Z"]
        var texts: [String: String] = [:]
        var addresses: [String] = []
        for index in 0..<count {
            let day = Calendar(identifier: .gregorian).date(byAdding: .day, value: index * 3, to: Date(timeIntervalSince1970: 1_420_070_400))!
            let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: day)
            let ymd = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            let slug = (0..<3).map { _ in words.randomElement(using: &random)! }.joined(separator: "-") + "-\(index)"
            // Noon, so that no offset moves the post to another day.
            let dateLine: String
            switch Int.random(in: 0..<4, using: &random) {
            case 0: dateLine = ""
            case 1: dateLine = "date: \(ymd)\n"
            default:
                let offset = offsets.randomElement(using: &random)!
                dateLine = "date: \(ymd)\(offset == "Z" ? "T12:00:00Z" : " 12:00:00\(offset)")\n"
            }
            let categories = ["categories: \(words.randomElement(using: &random)!) \(words.randomElement(using: &random)!)\n", "categories: [News]\n", ""]
                .randomElement(using: &random)!
            let author = ["author: Sam Patel\n", "author: [Ann Jones, Sam Patel]\n", ""].randomElement(using: &random)!
            let links = (0..<min(addresses.count, 3)).map { _ in "[an earlier post](\(addresses.randomElement(using: &random)!))" }
            texts["content/blog/\(ymd)-\(slug).md"] = """
                ---
                layout: post
                title: "Post \(index) about \(slug.split(separator: "-").prefix(3).joined(separator: " "))"
                \(dateLine)\(categories)\(author)tags: [\(words.randomElement(using: &random)!)]
                excerpt: "What post \(index) says."
                ---
                Post \(index) begins here. \(links.joined(separator: " and "))

                ## What we did

                We wrote about it.

                """
            addresses.append("/\(ymd.replacingOccurrences(of: "-", with: "/"))/\(slug)/")
        }
        return texts
    }

    @Test func aGeneratedJekyllBlogMovesInWithEveryAddressAndLink() throws {
        let texts = Self.jekyllBlog(posts: 500, seed: 2016)
        let result = try buildInMemory(texts, extraConfig: "[blog]\npermalink = \"/:year/:month/:day/:title/\"\n")
        #expect(result.diagnostics.items.isEmpty, "\(result.diagnostics.items.prefix(5).map(\.description))")
        let paths = Set(result.outputs.map(\.path))
        for file in texts.keys {
            let name = (file as NSString).lastPathComponent.dropLast(3)
            let path = name.prefix(10).replacingOccurrences(of: "-", with: "/") + "/" + name.dropFirst(11) + "/index.html"
            #expect(paths.contains(path), "\(file) is not at \(path)")
        }
        #expect(result.site?.posts.count == 500)
    }
}
