import Foundation
import Testing

@testable import LocalGovSite

/// Feeds as members really publish them: Atom 0.3, documents that are not well-formed XML,
/// entries listed twice, every date form, entries without a link; and the moderation of what
/// the river shows.
@Suite struct FeedShapesTests {
    /// When the feeds were fetched: 1 June 2024, midday UTC.
    let now = Date(timeIntervalSince1970: 1_717_243_200)

    func parse(_ fixture: String) throws -> ParsedFeed {
        let data = try Data(contentsOf: Paths.tests.appendingPathComponent("Fixtures/feeds/\(fixture)"))
        return try FeedParser.parse(data: data, feedURL: URL(string: "https://member.example.org/feed")!, now: now)
    }

    func iso(_ date: Date?) -> String? { date.map(Format.rfc3339) }

    @Test func atom03IsReadLikeAtom10() throws {
        let feed = try parse("atom03.xml")
        #expect(feed.dialect == .atom03)
        #expect(feed.title == "Parish & Pump")
        #expect(feed.homeLink == "https://parishpump-old.example.blogspot.com/")
        #expect(feed.language == "en-GB")
        #expect(feed.repairs.isEmpty)
        #expect(feed.entries.count == 3)
        let escaped = feed.entries[0]
        #expect(escaped.title == "Our new web team")
        #expect(escaped.link == "https://parishpump-old.example.blogspot.com/2009/06/our-new-web-team.html")
        #expect(iso(escaped.published) == "2009-06-12T08:30:00Z")
        #expect(iso(escaped.updated) == "2009-06-12T10:00:00Z")
        #expect(escaped.author == "Ruth Parish")
        #expect(escaped.categories == ["Web"])
        #expect(escaped.contentHTML == "<p>We now have <strong>three</strong> people.</p>")
        let base64 = feed.entries[1]
        #expect(iso(base64.published) == "2009-05-20T08:00:00Z", "created stands in for issued")
        #expect(base64.contentHTML == "<p>The budget is set.</p>")
        let inline = feed.entries[2]
        #expect(inline.summaryHTML == "A plain summary.")
        #expect(inline.contentHTML == "<p>Written as <a href=\"https://parishpump-old.example.blogspot.com/2009/04/other.html\" rel=\"nofollow noopener ugc\">XHTML</a>.</p>")
    }

    @Test func bareAmpersandsAndHTMLEntitiesAreMendedAndReported() throws {
        let feed = try parse("unescaped-ampersand.xml")
        #expect(feed.title == "Fish & Chips Council Digital")
        #expect(feed.entries.map(\.title) == ["Roads & pavements: what we learned", "Café © notes"])
        #expect(feed.entries[0].link == "https://fish.example.org/?p=12&lang=en")
        #expect(feed.entries[0].categories == ["Roads & Transport"])
        #expect(feed.entries[0].contentHTML == "<p>Potholes\u{A0}and more &amp; more.</p>")
        #expect(feed.entries[1].contentHTML == "<p>Literal &amp; in CDATA stays.</p>")
        #expect(feed.repairs == [
            "4 bare & characters escaped as &amp; (the first at line 4, column 13); write & as &amp; in XML",
            "3 HTML entities that XML does not define (such as &nbsp;) read as the characters they stand for",
        ])
    }

    @Test func aBrokenDocumentIsRecoveredAsFarAsItGoes() throws {
        let feed = try parse("broken-tags.xml")
        #expect(feed.entries.map(\.title).contains("First post"))
        #expect(feed.repairs.count == 1)
        #expect(feed.repairs[0].hasPrefix("not well-formed XML at line 10, column"), "\(feed.repairs)")
        #expect(feed.repairs[0].contains("mismatch"), "the first fault, not the last: \(feed.repairs)")
    }

    /// Hostile input is no safer for being broken: entities are refused on every pass.
    @Test func recoveryStillRefusesEntities() {
        let text = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaa\">]><rss><channel><title>&a; & b</title></channel></rss>"
        let result = Result { () throws(FeedError) in
            try FeedParser.parse(data: Data(text.utf8), feedURL: URL(string: "https://member.example.org/feed")!, now: now)
        }
        guard case .failure(.entityDeclaration) = result else {
            Issue.record("expected the entity to be refused, got \(result)")
            return
        }
    }

    @Test func ofTwoEntriesWithOneIDTheNewerIsKept() throws {
        let feed = try parse("duplicate-ids.xml")
        #expect(feed.entries.map(\.title) == ["B, later in the document but older", "A, corrected", "C, the same time, later in the document"])
    }

    @Test func anEntryWithoutALinkHasNone() throws {
        let text = """
            <rss version="2.0"><channel><title>Blog</title><link>https://blog.example.org/</link>
            <item><title>No link</title><guid isPermaLink="false">post-1</guid><pubDate>Mon, 13 Jun 2016 09:00:00 GMT</pubDate></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(data: Data(text.utf8), feedURL: URL(string: "https://blog.example.org/feed")!, now: now)
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].link == nil)
    }

    /// Dates as feeds write them, each with the instant it means.
    @Test(arguments: [
        // RFC 3339 and ISO 8601
        ("2016-06-14T09:30:00Z", "2016-06-14T09:30:00Z"),
        ("2016-06-14T09:30:00z", "2016-06-14T09:30:00Z"),
        ("2016-06-14t09:30:00Z", "2016-06-14T09:30:00Z"),
        ("2016-06-14 09:30:00Z", "2016-06-14T09:30:00Z"),
        ("2016-06-14T09:30Z", "2016-06-14T09:30:00Z"),
        ("2016-06-14T09:30:00.5Z", "2016-06-14T09:30:00Z"),
        ("2016-06-14T09:30:00.123456789Z", "2016-06-14T09:30:00Z"),
        ("2016-06-14T09:30:00,25Z", "2016-06-14T09:30:00Z"),
        ("2016-06-14T09:30:00+01:00", "2016-06-14T08:30:00Z"),
        ("2016-06-14T09:30:00+0100", "2016-06-14T08:30:00Z"),
        ("2016-06-14T09:30:00+01", "2016-06-14T08:30:00Z"),
        ("2016-06-14T09:30:00-05:30", "2016-06-14T15:00:00Z"),
        ("2016-06-14T09:30+01:00", "2016-06-14T08:30:00Z"),
        ("2016-06-14 09:30:00 +0100", "2016-06-14T08:30:00Z"),
        ("2016-06-14T09:30:00", "2016-06-14T09:30:00Z"),
        ("2016-06-14", "2016-06-14T00:00:00Z"),
        ("  2016-06-14T09:30:00Z\n", "2016-06-14T09:30:00Z"),
        // RFC 822 and what generators make of it
        ("Tue, 14 Jun 2016 09:30:00 +0000", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 09:30:00 GMT", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 09:30:00 UT", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 10:30:00 BST", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 10:30:00 IST", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 09:30:00 WET", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 10:30:00 WEST", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 10:30:00 CET", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 11:30:00 CEST", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 11:30:00 EET", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 12:30:00 EEST", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 05:30:00 EDT", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 10:30:00 +01:00", "2016-06-14T09:30:00Z"),
        ("14 Jun 2016 09:30 +0000", "2016-06-14T09:30:00Z"),
        ("Tuesday, 14 June 2016 09:30:00 GMT", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Jun 16 09:30:00 GMT", "2016-06-14T09:30:00Z"),
        ("Tue Jun 14 2016 09:30:00 GMT+0000 (Coordinated Universal Time)", "2016-06-14T09:30:00Z"),
        ("Tue, 14 Sept 2016 09:30:00 GMT", "2016-09-14T09:30:00Z"),
        ("Tue, 14 Jun 2016 09:30:00", "2016-06-14T09:30:00Z"),
    ])
    func everyDateFormFeedsUse(written: String, utc: String) {
        #expect(iso(FeedDate.parse(written)) == utc)
    }
}

/// What a member's feed may put on the river, by the rules in `members.toml`.
@Suite struct ModerationTests {
    static let feed = """
        <rss version="2.0"><channel><title>Mixed blog</title><link>https://mixed.example/</link>
        <item><title>Our new bins service</title><link>https://mixed.example/bins</link><guid>https://mixed.example/bins</guid>
        <pubDate>Mon, 16 Nov 2026 09:00:00 GMT</pubDate><category>Local Gov</category><description>Bins.</description></item>
        <item><title>My favourite films</title><link>https://mixed.example/films</link><guid>https://mixed.example/films</guid>
        <pubDate>Tue, 17 Nov 2026 09:00:00 GMT</pubDate><category>Films</category><description>Films.</description></item>
        <item><title>Party politics</title><link>https://mixed.example/politics</link><guid>https://mixed.example/politics</guid>
        <pubDate>Wed, 18 Nov 2026 09:00:00 GMT</pubDate><category>local-gov</category><category>Politics</category><description>Votes.</description></item>
        <item><title>A retracted post</title><link>https://mixed.example/retracted</link><guid>retracted-1</guid>
        <pubDate>Thu, 19 Nov 2026 09:00:00 GMT</pubDate><category>Local Gov</category><description>Oops.</description></item>
        <item><title>Digital in 2025</title><link>https://mixed.example/2025</link><guid>https://mixed.example/2025</guid>
        <pubDate>Mon, 01 Dec 2025 09:00:00 GMT</pubDate><category>Local gov</category><description>A year ago.</description></item>
        </channel></rss>
        """

    static func site(_ rules: String, review: Bool = false) throws -> BuildResult {
        try buildInMemory(
            [
                "content/voice/members.toml": """
                    [[members]]
                    name = "Mixed Member"
                    url = "https://mixed.example/"
                    feed = "https://mixed.example/feed"
                    \(rules)

                    [[members]]
                    name = "New Member"
                    url = "https://new.example/"
                    feed = "https://new.example/feed"
                    review = \(review)
                    """,
                "snapshot/mixed-member.xml": feed,
                "snapshot/new-member.xml": feed.replacingOccurrences(of: "mixed.example", with: "new.example"),
            ], extraConfig: "[voice]\nsnapshot = \"snapshot\"\n")
    }

    func text(_ result: BuildResult, _ path: String) throws -> String {
        String(decoding: try #require(result.outputs.first { $0.path == path }, "no \(path)").bytes, as: UTF8.self)
    }

    @Test func categoriesAndHiddenEntriesDecideWhatTheRiverCarries() throws {
        let result = try Self.site("""
            include_categories = ["Local Gov"]
            exclude_categories = ["politics"]
            hide = ["retracted-1", { entry = "https://mixed.example/2025", reason = "Posted by mistake" }]
            """)
        #expect(result.errorLines.isEmpty, "\(result.errorLines)")
        let voice = try #require(result.site?.voice)
        let mixed = try #require(voice.members.first { $0.member.slug == "mixed-member" })
        #expect(mixed.entries.map { voice.entries[$0].entry.title } == ["Our new bins service"])
        #expect(mixed.moderated.hidden == 2 && mixed.moderated.filtered == 2)
        let river = try text(result, "voice/index.html")
        #expect(river.contains("https://mixed.example/bins"))
        for gone in ["https://mixed.example/films", "https://mixed.example/politics", "https://mixed.example/retracted", "https://mixed.example/2025"] {
            #expect(!river.contains(gone))
            #expect(!(try text(result, "voice/feed.xml")).contains(gone))
            let search = result.outputs.filter { $0.path.hasPrefix("search/") }.map { String(decoding: $0.bytes, as: UTF8.self) }
            #expect(!search.contains { $0.contains(gone) }, "\(gone) is not in search")
        }
        let status = try text(result, "voice/status/index.html")
        #expect(status.contains("2 entries hidden in members.toml. 2 entries left out by category"))
    }

    @Test func aNewMembersEntriesWaitForReviewOnTheHealthPage() throws {
        let held = try Self.site("", review: true)
        let voice = try #require(held.site?.voice)
        let member = try #require(voice.members.first { $0.member.slug == "new-member" })
        #expect(member.entries.isEmpty)
        #expect(member.moderated.held.count == 5)
        #expect(!(try text(held, "voice/index.html")).contains("https://new.example/bins"))
        let status = try text(held, "voice/status/index.html")
        #expect(status.contains("Held for review: 5 entries kept off the river until review = true is taken out of members.toml"))
        #expect(status.contains("<a href=\"https://new.example/bins\">Our new bins service</a>"))

        let reviewed = try Self.site("", review: false)
        #expect(try text(reviewed, "voice/index.html").contains("https://new.example/bins"))
    }

    @Test func voiceIsSearchedAndArchivedByYear() throws {
        let result = try Self.site("")
        let search = result.outputs.filter { $0.path.hasPrefix("search/d-") }.map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(search.contains { $0.contains("https://mixed.example/bins") })
        let archive = try text(result, "voice/2025/index.html")
        #expect(archive.contains("<h1>LocalGov Digital Voice: posts from 2025</h1>"))
        #expect(archive.contains("Digital in 2025") && !archive.contains("Our new bins service"))
        #expect(try text(result, "voice/index.html").contains("<a href=\"/voice/2025/\">2025</a>"))

        let off = try buildInMemory(
            ["content/voice/members.toml": "[[members]]\nname = \"M\"\nurl = \"https://mixed.example/\"\nfeed = \"https://mixed.example/feed\"\n",
             "snapshot/m.xml": Self.feed],
            extraConfig: "[voice]\nsnapshot = \"snapshot\"\nsearch = false\n")
        let none = off.outputs.filter { $0.path.hasPrefix("search/d-") }.map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(!none.contains { $0.contains("https://mixed.example/bins") })
    }

    @Test func aHiddenEntryMustNameIt() throws {
        let result = try Self.site("hide = [{ reason = \"no entry\" }]")
        #expect(result.diagnostics.items.contains { $0.code == "members.missing" || $0.message.contains("entry") })
    }
}
