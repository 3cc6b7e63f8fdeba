import Foundation
import Testing

@testable import LocalGovSite

@Suite struct StandardTests {
    func build(_ extra: [String: String], baseURL: String = "https://s.example/") throws -> BuildResult {
        var files = ["site.toml": "title = \"S\"\nbase_url = \"\(baseURL)\"\n"]
        files.merge(extra) { $1 }
        var fileSystem = MemoryFileSystem(files)
        try fileSystem.addDefaultTheme()
        return SiteBuild.run(fileSystem: fileSystem, clock: testClock)
    }

    func text(_ result: BuildResult, _ path: String) throws -> String {
        String(decoding: try #require(result.outputs.first { $0.path == path }, "no \(path)").bytes, as: UTF8.self)
    }

    static let twoSets = [
        "content/principles/01-ways.toml": """
            title = "Ways of working"
            [[rows]]
            traditional = "Paper"
            principle = "Digital by default"
            practice = "Online first."
            """,
        "content/principles/02-culture.yaml": """
            title: Culture
            intro: |
              How teams *behave*.
            rows:
              - id: open
                traditional: Closed
                principle: Open
                practice: |
                  Publish it. See [digital by default](principle:digital-by-default)
                  and [the other open](principle:culture/open).
            """,
    ]

    @Test func severalSetsEachGetAPageAndTheIndexListsThem() throws {
        let result = try build(Self.twoSets, baseURL: "https://s.example/sub/")
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let index = try text(result, "principles/index.html")
        #expect(index.contains("<a href=\"/sub/principles/ways/\">Ways of working</a>"))
        #expect(index.contains("<a href=\"/sub/principles/culture/\">Culture</a>"))
        #expect(!index.contains("<table"))
        let culture = try text(result, "principles/culture/index.html")
        #expect(culture.contains("<caption>Culture</caption>"))
        #expect(culture.contains("<p>How teams <em>behave</em>.</p>"))
        #expect(culture.contains("<tr id=\"open\">"))
        #expect(culture.contains("<a href=\"/sub/principles/ways/#digital-by-default\">digital by default</a>"))
        #expect(culture.contains("<a href=\"/sub/principles/culture/#open\">the other open</a>"))
        #expect(culture.contains("<title>Culture – Digital principles – S</title>"))
        #expect(culture.contains("href=\"/sub/principles/culture.csv\""))
        let json = try text(result, "principles/culture.json")
        #expect(json.contains("\"url\" : \"https://s.example/sub/principles/culture/#open\""))
        #expect(json.contains("(https://s.example/sub/principles/ways/#digital-by-default)"))
        #expect(try text(result, "sitemap.xml").contains("<loc>https://s.example/sub/principles/culture/</loc>"))
    }

    static func point(_ number: Int, reviewed: String = "2025-01-01", body: String = "Text.") -> String {
        "---\npoint: \(number)\ntitle: \"Point \(number)\"\nsummary: \"Summary \(number).\"\nreviewed: \(reviewed)\n---\n\(body)\n"
    }

    @Test func pointPagesCountTheirNeighboursAndTheFeedFollowsReviews() throws {
        let result = try build([
            "content/standard/01-a.md": Self.point(1, reviewed: "2025-05-01"),
            "content/standard/02-b.md": Self.point(2, reviewed: "2026-02-03"),
            "content/standard/03-c.md": Self.point(3, reviewed: "2024-12-25"),
        ])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        // Without an _index.md the Standard still has a contents page, with a default title.
        #expect(try text(result, "standard/index.html").contains("<h1>Service Standard</h1>"))
        let middle = try text(result, "standard/b/index.html")
        #expect(middle.contains("Point 2 of 3"))
        #expect(middle.contains("href=\"/standard/a/\" rel=\"prev\""))
        #expect(middle.contains("href=\"/standard/c/\" rel=\"next\""))
        #expect(middle.contains("Last reviewed <time datetime=\"2026-02-03\">3 February 2026</time>"))
        let first = try text(result, "standard/a/index.html")
        #expect(!first.contains("rel=\"prev\""))

        let feed = try text(result, "standard/feed.xml")
        let order = ["Point 2: Point 2", "Point 1: Point 1", "Point 3: Point 3"].map { feed.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(feed.contains("<updated>2026-02-03T00:00:00Z</updated>"))

        let json = try JSONSerialization.jsonObject(with: Data(try text(result, "standard/standard.json").utf8)) as? [String: Any]
        let points = try #require(json?["points"] as? [[String: Any]])
        #expect(points.map { $0["point"] as? Int } == [1, 2, 3])
        #expect(points[1]["url"] as? String == "https://s.example/standard/b/")
        #expect(points[1]["reviewed"] as? String == "2026-02-03")
    }

    @Test func theOnePageStandardKeepsIdsUniqueAndHeadingsInOrder() throws {
        let body = "## Why\n\nSee [below](#why).[^n]\n\n[^n]: Note."
        let result = try build([
            "content/standard/01-a.md": Self.point(1, body: body),
            "content/standard/02-b.md": Self.point(2, body: body),
        ])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let all = try text(result, "standard/all/index.html")
        #expect(all.contains("<h2 id=\"point-1\">"))
        #expect(all.contains("<h3 id=\"point-1-why\">Why</h3>"))
        #expect(all.contains("<h3 id=\"point-2-why\">Why</h3>"))
        #expect(all.contains("<a href=\"#point-2-why\">below</a>"))
        #expect(all.contains("id=\"point-2-fn-n\""))
        #expect(all.contains("<h3 class=\"visually-hidden\">Footnotes</h3>"))
        // Each point's own page keeps its plain ids.
        #expect(try text(result, "standard/b/index.html").contains("<h2 id=\"why\">Why</h2>"))
    }

    @Test func aHeadingOnThePrinciplesPageMayNotTakeARowsId() throws {
        let result = try build([
            "content/principles/_index.md": "---\ntitle: P\n---\n## Open\n\nText.\n",
            "content/principles/set.toml": "title = \"T\"\n[[rows]]\nid = \"open\"\ntraditional = \"a\"\nprinciple = \"b\"\npractice = \"c\"\n",
        ])
        #expect(!result.succeeded)
        #expect(result.diagnostics.items.map(\.description) == [
            "content/principles/_index.md:4:1: error: this heading's id \"open\" is also the id of a row in content/principles/set.toml, and they share a page; reword the heading or give the row another id [principles.id-clash]"
        ])
    }

    @Test func cellMarkdownStartsWhereItsTextStarts() {
        let text = "a = \"\"\"\nfirst\n\"\"\"\nb = \"x\"\nc: |\n    indented\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func origin(_ line: Int, _ column: Int) -> String {
            PrincipleSetParser.markdownOrigin(of: DataNode(.string(""), at: SourceLocation(file: "f", line: line, column: column)), in: lines)
                .description
        }
        #expect(origin(1, 5) == "f:2:1")
        #expect(origin(4, 5) == "f:4:6")
        #expect(origin(5, 4) == "f:6:5")
    }
}
