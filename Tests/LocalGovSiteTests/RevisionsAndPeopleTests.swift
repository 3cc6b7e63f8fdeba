import Foundation
import Testing

@testable import LocalGovSite

/// The Standard's versions and change notes, a principles set's status and credits, and
/// author profiles: what issue 17 added to the content model.
@Suite struct RevisionsAndPeopleTests {
    func text(_ result: BuildResult, _ path: String) throws -> String {
        String(decoding: try #require(result.outputs.first { $0.path == path }, "no \(path)").bytes, as: UTF8.self)
    }

    static func point(_ number: Int, _ title: String, reviewed: String, extra: String = "") -> String {
        """
        ---
        point: \(number)
        title: "\(title)"
        summary: "What point \(number) asks."
        reviewed: \(reviewed)
        \(extra)
        ---
        Guidance for point \(number).
        """
    }

    static let versionedStandard = [
        "content/standard/_index.md": """
            ---
            title: "The Standard"
            version: "1"
            changes:
              - version: "Draft"
                date: 2016-03-18
                note: "Consultation closed."
              - version: "1"
                date: 2016-04-08
                note: "Version 1 published."
            ---
            Intro.
            """,
        "content/standard/01-users.md": point(
            1, "Understand user needs", reviewed: "2026-05-01",
            extra: """
                version: "1"
                changes:
                  - version: "1"
                    date: 2026-05-01
                    note: "Guidance rewritten."
                """),
        "content/standard/02-team.md": point(2, "Have a multidisciplinary team", reviewed: "2026-02-01", extra: "version: \"1\""),
    ]

    @Test func changesAreListedByVersionOnTheirOwnPageAndInTheFeed() throws {
        let result = try buildInMemory(Self.versionedStandard)
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let log = try #require(result.site?.standard?.changeLog)
        #expect(log.map(\.version) == ["1", "Draft"])
        #expect(log[0].changes.map(\.note.note) == ["Guidance rewritten.", "Version 1 published."])
        #expect(log[0].changes.map(\.point) == [0, nil])

        let page = try text(result, "standard/changes/index.html")
        #expect(page.contains("<h1>Changes to the Standard</h1>"))
        #expect(page.contains("This site publishes version 1 of the Standard."))
        #expect(page.contains("<h2 id=\"version-1\">Version 1 <strong class=\"tag-label\">Current</strong></h2>"))
        #expect(page.contains("<h2 id=\"version-draft\">Draft</h2>"))
        #expect(page.contains("<a href=\"/standard/users/\">Point 1, Understand user needs</a>: Guidance rewritten."))
        // Newest version first, and within it newest change first.
        let order = ["Guidance rewritten.", "Version 1 published.", "Consultation closed."].map {
            try? #require(page.range(of: $0)).lowerBound
        }
        #expect(order == order.sorted { ($0 ?? page.endIndex) < ($1 ?? page.endIndex) } && !order.contains(nil))

        let index = try text(result, "standard/index.html")
        #expect(index.contains("This is version 1 of the Standard. <a href=\"/standard/changes/\">What changed in each version</a>"))
        let point = try text(result, "standard/users/index.html")
        #expect(point.contains("<h2 id=\"point-changes\">Changes to this guidance</h2>"))
        #expect(point.contains("<li><time datetime=\"2026-05-01\">1 May 2026</time>: Guidance rewritten.</li>"))
        #expect(!(try text(result, "standard/team/index.html")).contains("Changes to this guidance"))

        let feed = try text(result, "standard/feed.xml")
        #expect(feed.contains("<title>Version 1: Point 1: Understand user needs</title>"))
        #expect(feed.contains("<title>Draft: The Standard</title>"))
        #expect(feed.contains("href=\"https://t.example/standard/changes/#version-draft\""))
        let json = try text(result, "standard/standard.json")
        #expect(json.contains("\"version\" : \"Draft\""))
        #expect(json.contains("\"note\" : \"Guidance rewritten.\""))
        #expect(try text(result, "sitemap.xml").contains("<loc>https://t.example/standard/changes/</loc><lastmod>2026-05-01</lastmod>"))
    }

    @Test func withoutChangeNotesThereIsNoChangesPage() throws {
        let result = try buildInMemory(["content/standard/01-users.md": Self.point(1, "Users", reviewed: "2026-01-01")])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        #expect(!result.outputs.contains { $0.path.hasPrefix("standard/changes/") })
        #expect(!(try text(result, "standard/users/index.html")).contains("all changes"))
    }

    @Test func badChangeNotesAndUnknownVersionsAreReportedWhereWritten() throws {
        var files = Self.versionedStandard
        files["content/standard/02-team.md"] = Self.point(
            2, "Team", reviewed: "2026-01-01",
            extra: """
                version: "3"
                changes:
                  - version: "1"
                    date: 2026-13-01
                    note: "Bad month."
                  - just text
                  - version: "1"
                    date: 2026-03-01
                  - version: "1"
                    date: 2026-06-01
                    note: "After the review date."
                    notes: "typo"
                """)
        let result = try buildInMemory(files)
        let lines = result.diagnostics.items.map(\.description)
        let file = "content/standard/02-team.md"
        #expect(lines.contains { $0.hasPrefix("\(file):9:11: error: date \"2026-13-01\" is not a real date") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):11:5: error: change 2 is not a table") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):12:5: error: missing required field \"changes[3].note\"") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(file):17:5: warning: unknown key \"changes[4].notes\"; did you mean \"note\"?") }, "\(lines)")
        // The point itself is refused for its errors, so the version and review checks are seen
        // once the errors are mended.
        var mended = Self.versionedStandard
        mended[file] = Self.point(
            2, "Team", reviewed: "2026-01-01",
            extra: """
                version: "3"
                changes:
                  - version: "1"
                    date: 2026-06-01
                    note: "After the review date."
                """)
        let warned = try buildInMemory(mended)
        let warnings = warned.diagnostics.items.filter { $0.severity == .warning }.map(\.description)
        #expect(warnings.contains("\(file):6:10: warning: version \"3\" is not a version of the Standard (its versions are \"1\", \"Draft\"); correct it, or add the version to the changes in content/standard/_index.md [standard.version]"), "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("\(file):5:11: warning: this point was changed on 2026-06-01 but says it was reviewed on 2026-01-01") }, "\(warnings)")
    }

    static let draftSet = """
        title = "Draft digital principles"
        status = "draft"
        date = 2016-06-09
        credits = ["Phil Rumens", { name = "Ben Cheetham", role = "commented on the draft" }]
        [[rows]]
        traditional = "Paper"
        principle = "Digital by default"
        practice = "Online first."
        """

    @Test func aPrinciplesSetShowsItsStatusDateAndCreditsAndExportsThem() throws {
        let result = try buildInMemory(["content/principles/draft.toml": Self.draftSet])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let page = try text(result, "principles/index.html")
        #expect(page.contains("<dt>Status</dt><dd><strong class=\"tag-label\">Draft</strong></dd>"))
        #expect(page.contains("<dt>Dated</dt><dd><time datetime=\"2016-06-09\">9 June 2016</time></dd>"))
        #expect(page.contains("<li>Phil Rumens</li><li>Ben Cheetham (commented on the draft)</li>"))
        #expect(page.contains("<th scope=\"col\">Traditional practice</th><th scope=\"col\">Digital principle</th>"))
        let json = try text(result, "principles/draft.json")
        #expect(json.contains("\"status\" : \"draft\""))
        #expect(json.contains("\"date\" : \"2016-06-09\""))
        #expect(json.contains("\"role\" : \"commented on the draft\""))
    }

    @Test func thePrinciplesTableTakesItsWordsFromThePagesLanguage() throws {
        let intro = "---\ntitle: Egwyddorion\nlang: cy\n---\nCyflwyniad.\n"
        let result = try buildInMemory(["content/principles/_index.md": intro, "content/principles/draft.toml": Self.draftSet])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let page = try text(result, "principles/index.html")
        #expect(page.contains("<th scope=\"col\">Arfer traddodiadol</th><th scope=\"col\">Egwyddor ddigidol</th><th scope=\"col\">Yn ymarferol</th>"))
        #expect(page.contains("<strong class=\"tag-label\">Drafft</strong>"))
        #expect(!page.contains("Traditional practice"))
    }

    @Test func aSetsStatusDateAndCreditsAreChecked() throws {
        let set = """
            title = "P"
            status = "final"
            date = "09/06/2016"
            credits = [1, { role = "helped" }]
            [[rows]]
            traditional = "a"
            principle = "b"
            practice = "c"
            """
        let result = try buildInMemory(["content/principles/p.toml": set])
        let errors = result.errorLines
        #expect(errors.contains { $0.hasPrefix("content/principles/p.toml:2:10: error: status \"final\" is not one the page can show; write \"draft\" or \"adopted\"") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("content/principles/p.toml:3:8: error: date \"09/06/2016\" is not a date; write it as 2016-06-09") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("content/principles/p.toml:4:11: error: credit 1 is neither a name nor a table") }, "\(errors)")
        #expect(errors.contains { $0.contains("missing required field \"credits[2].name\"") }, "\(errors)")
    }

    static let profile = """
        ---
        name: "Priya Shah"
        role: "Head of digital"
        organisation: "Northmoor District Council (a sample council)"
        summary: "Priya leads a small digital team."
        links:
          - text: "Priya's blog"
            url: "https://example.org/priya/"
        ---
        Priya has led the team since 2020. She wrote </script> and [a post](/blog/one/).
        """

    static func post(_ slug: String, authors: String) -> String {
        "---\ntitle: \"Post \(slug)\"\ndate: 2026-01-0\(slug.count % 9 + 1)\nauthors: \(authors)\nsummary: \"S.\"\n---\nBody.\n"
    }

    @Test func anAuthorsProfileIsOnTheirPageWithJSONLDAndBrieflyUnderTheirPosts() throws {
        let result = try buildInMemory([
            "content/authors/priya-shah.md": Self.profile,
            "content/authors/tom-brennan.md": "---\nname: Tom Brennan\n---\nTom has not posted yet.\n",
            "content/blog/one.md": Self.post("one", authors: "[\"Priya Shah\", \"Sam Lee\"]"),
        ])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let page = try text(result, "blog/authors/priya-shah/index.html")
        #expect(page.contains("<h1>Priya Shah</h1>"))
        #expect(page.contains("<p class=\"lead\">Head of digital, Northmoor District Council (a sample council)</p>"))
        #expect(page.contains("Priya has led the team since 2020."))
        #expect(page.contains("<li><a href=\"https://example.org/priya/\">Priya&#39;s blog</a></li>"))
        #expect(page.contains("<h2>Posts by Priya Shah</h2>"))
        #expect(page.contains("<h3 class=\"post-list__title\"><a href=\"/blog/one/\">Post one</a>"))
        // The page's own JSON-LD (a WebPage) comes first; the person is the next.
        let objects = try page.matches(of: /<script type="application\/ld\+json">([^<]*)<\/script>/).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.output.1.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["@type"] as? String } == ["WebPage", "Person"])
        let person = try #require(objects.last)
        #expect(person["name"] as? String == "Priya Shah")
        #expect(person["jobTitle"] as? String == "Head of digital")
        #expect((person["worksFor"] as? [String: Any])?["name"] as? String == "Northmoor District Council (a sample council)")
        #expect(person["url"] as? String == "https://t.example/blog/authors/priya-shah/")
        #expect(person["sameAs"] as? [String] == ["https://example.org/priya/"])

        let post = try text(result, "blog/one/index.html")
        #expect(post.contains("<h2 id=\"author-notes-heading\">About the author</h2>"))
        #expect(post.contains("<a href=\"/blog/authors/priya-shah/\">Priya Shah</a>, Head of digital, Northmoor District Council (a sample council).<span> Priya leads a small digital team.</span>"))
        // An author without a profile still has a page, and no note under the post.
        #expect(try text(result, "blog/authors/sam-lee/index.html").contains("<h1>Posts by Sam Lee</h1>"))
        #expect(!post.contains("Sam Lee</a>,"))
        // A profile with no posts yet still has its page, listed in the authors index.
        #expect(try text(result, "blog/authors/tom-brennan/index.html").contains("There are no posts here yet."))
        #expect(try text(result, "blog/authors/index.html").contains("/blog/authors/tom-brennan/"))
    }

    @Test func aNameCloseToAProfilesIsAWarningWithDidYouMean() throws {
        let result = try buildInMemory([
            "content/authors/priya-shah.md": Self.profile,
            "content/blog/one.md": Self.post("one", authors: "[\"Pryia Shah\"]"),
            "content/blog/two.md": Self.post("two", authors: "[\"Sam Lee\"]"),
            "content/blog/three.md": Self.post("three", authors: "[\"Pryia Shah\"]"),
        ])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        let warnings = result.diagnostics.items.filter { $0.code == "content.author-name" }.map(\.description).sorted()
        // The same slip in two posts is reported in each, though the name is compared once.
        #expect(warnings == ["one", "three"].map { name in
            "content/blog/\(name).md:4:10: warning: author \"Pryia Shah\" has no profile; did you mean \"Priya Shah\" (content/authors/priya-shah.md)? Correct the name, or add a profile for \"Pryia Shah\" in content/authors/ [content.author-name]"
        })
    }

    @Test func profileLinksMustBeWebOrEmailAddresses() throws {
        let profile = """
            ---
            name: "Priya Shah"
            links:
              - text: "Mine"
                url: "javascript:alert(1)"
              - text: "Relative"
                url: "priya/"
              - "https://example.org/"
            ---
            Bio.
            """
        let errors = try buildInMemory(["content/authors/priya-shah.md": profile]).errorLines
        #expect(errors.contains { $0.hasPrefix("content/authors/priya-shah.md:5:10: error: link \"javascript:alert(1)\" is not a web or email address") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("content/authors/priya-shah.md:7:10: error: link \"priya/\" is not a web or email address") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("content/authors/priya-shah.md:8:5: error: link 3 is not a table") }, "\(errors)")
    }
}
