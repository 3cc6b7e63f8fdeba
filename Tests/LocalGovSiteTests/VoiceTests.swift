import Foundation
import Testing

@testable import LocalGovSite

/// Voice from `members.toml` and the feed cache to pages: every state a member's cache can be in.
@Suite struct VoiceTests {
    static let members = """
        [[members]]
        name = "Cached Member"
        url = "https://cached.example/"
        feed = "https://cached.example/feed"

        [[members]]
        name = "Never Fetched"
        url = "https://never.example/"
        feed = "https://never.example/feed"

        [[members]]
        name = "Gone Member"
        url = "https://gone.example/"
        feed = "https://gone.example/feed"

        [[members]]
        name = "Broken Member"
        url = "https://broken.example/"
        feed = "https://broken.example/feed"

        [[members]]
        name = "Moved Member"
        url = "https://moved.example/"
        feed = "https://moved.example/new-feed"
        """

    static func rss(_ items: [(title: String, link: String, date: String, description: String)]) -> String {
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title><link>https://example.org/</link>"
            + items.map {
                "<item><title>\($0.title)</title><link>\($0.link)</link><pubDate>\($0.date)</pubDate><description>\($0.description)</description></item>"
            }.joined() + "</channel></rss>"
    }

    static func record(_ feed: String, _ extra: String = "") -> String {
        "{\"feed\": \"\(feed)\", \"fetchedAt\": \"2026-11-20T08:00:00Z\", \"lastSuccess\": \"2026-11-20T08:00:00Z\"\(extra)}"
    }

    static func site(search: Bool = false, files extra: [String: String] = [:]) throws -> BuildResult {
        var files = [
            "site.toml": """
                title = "Test"
                base_url = "https://test.example/"
                [voice]
                cache = "cache"
                search = \(search)
                """,
            "content/voice/members.toml": members,
            "cache/cached-member.json": record("https://cached.example/feed"),
            "cache/cached-member.feed": rss([
                ("Older post", "https://cached.example/older", "Mon, 02 Nov 2026 09:00:00 GMT", "&lt;p&gt;Older.&lt;/p&gt;"),
                (
                    "Hostile &lt;b&gt;title&lt;/b&gt;", "https://cached.example/hostile", "Fri, 20 Nov 2026 09:00:00 GMT",
                    "&lt;p onclick=\"steal()\"&gt;Hello&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;svg onload=\"alert(2)\"&gt;&lt;/svg&gt;&lt;iframe src=\"https://evil.example/\"&gt;&lt;/iframe&gt;&lt;a href=\"&amp;#106;avascript:alert(3)\"&gt;x&lt;/a&gt;&lt;form action=\"https://evil.example/\"&gt;&lt;input&gt;&lt;/form&gt;&lt;meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"&gt;&lt;base href=\"https://evil.example/\"&gt;&lt;p style=\"background:url(javascript:alert(4))\"&gt;Styled&lt;/p&gt;&lt;object data=\"x.swf\"&gt;&lt;/object&gt;"
                ),
                ("From the future", "https://cached.example/future", "Fri, 01 Jan 2027 09:00:00 GMT", "Soon."),
            ]),
            "cache/gone-member.json": record("https://gone.example/feed", ", \"gone\": true"),
            "cache/gone-member.feed": rss([("Old", "https://gone.example/old", "Mon, 02 Nov 2026 09:00:00 GMT", "Old.")]),
            "cache/broken-member.json": record("https://broken.example/feed"),
            "cache/broken-member.feed": "<html><body>Our blog is down</body></html>",
            // A record for the old address: stale, so the member counts as not fetched.
            "cache/moved-member.json": record("https://moved.example/old-feed", ", \"movedTo\": \"https://moved.example/new-feed\""),
            "cache/moved-member.feed": rss([("Stale", "https://moved.example/stale", "Mon, 02 Nov 2026 09:00:00 GMT", "Stale.")]),
        ]
        files.merge(extra) { $1 }
        var fileSystem = MemoryFileSystem(files)
        try fileSystem.addDefaultTheme()
        return SiteBuild.run(fileSystem: fileSystem, clock: testClock)
    }

    static func text(_ result: BuildResult, _ path: String) throws -> String {
        String(decoding: try #require(result.outputs.first { $0.path == path }).bytes, as: UTF8.self)
    }

    @Test func eachCacheStateIsAWarningNotAnError() throws {
        let result = try Self.site()
        #expect(result.succeeded)
        let found = result.diagnostics.sorted.map(\.description)
        #expect(
            found == [
                "content/voice/members.toml:6:1: warning: Never Fetched's feed is not in the feed cache (cache/), so their posts are not shown [voice.not-fetched]\n    hint: run `localgov feeds fetch` to download members' feeds",
                "content/voice/members.toml:11:1: warning: Gone Member's feed https://gone.example/feed answered 410 Gone, so their posts are not shown [voice.gone]\n    hint: update feed in members.toml if the blog has moved, or set enabled = false",
                "content/voice/members.toml:16:1: warning: Broken Member's feed (cache/broken-member.feed) cannot be read: this is an HTML page, not an RSS, Atom or JSON feed [voice.unreadable]\n    hint: `localgov feeds inspect cache/broken-member.feed` shows what the site makes of it",
                "content/voice/members.toml:21:1: warning: Moved Member's feed is not in the feed cache (cache/), so their posts are not shown [voice.not-fetched]\n    hint: run `localgov feeds fetch` to download members' feeds",
            ])
    }

    @Test func theRiverIsNewestFirstWithFutureDatesClampedToTheFetch() throws {
        let voice = try #require(try Self.site().site?.voice)
        #expect(voice.entries.map(\.entry.title) == ["From the future", "Hostile <b>title</b>", "Older post"])
        #expect(voice.entries[0].date == ISO8601DateFormatter().date(from: "2026-11-20T08:00:00Z"))
        #expect(voice.members.map(\.entries.count) == [3, 0, 0, 0, 0])
    }

    @Test func hostileMarkupNeverReachesAnyOutput() throws {
        let result = try Self.site()
        let voiceFiles = result.outputs.filter { $0.path.hasPrefix("voice/") }
        // The river, its year archive (2026), members, three member pages, status, feeds and OPML.
        #expect(voiceFiles.count == 12)
        for file in voiceFiles {
            // The theme's JSON-LD is the one script a page has; its JSON escapes every "<".
            let text = String(decoding: file.bytes, as: UTF8.self).lowercased()
                .replacing(/<script type="application\/ld\+json">[^<]*<\/script>/, with: "")
            // Feeds carry the HTML escaped once more, so look for the escaped forms there too.
            // The theme's own search form is a <form>; the hostile one is recognised by its address.
            for forbidden in ["<script", "onclick", "onload", "<iframe", "javascript:", "evil.example", "<meta http-equiv", "<base", "<object", "<svg", "style=\"background", "&lt;script", "&lt;iframe"] {
                #expect(!text.contains(forbidden), "\(file.path) contains \(forbidden)")
            }
        }
        let river = try Self.text(result, "voice/index.html")
        // An RSS title is text: markup in it is shown, escaped, never interpreted.
        #expect(river.contains("<a href=\"https://cached.example/hostile\">Hostile &lt;b&gt;title&lt;/b&gt;</a>"))
    }

    @Test func theStatusPageSaysWhatWentWrong() throws {
        let status = try Self.text(try Self.site(), "voice/status/index.html")
        #expect(status.contains("Gone: the server answered 410, so it is no longer fetched"))
        #expect(status.contains("Cannot be read: this is an HTML page, not an RSS, Atom or JSON feed"))
        #expect(status.contains("<td><span class=\"stacked-table__label\">Notes</span>Not fetched yet</td>"))
        #expect(status.contains("<time datetime=\"2026-11-20T08:00:00Z\">20 November 2026 at 08:00</time>"))
    }

    @Test func opmlListsEveryEnabledMemberThatIsNotGone() throws {
        let opml = try Self.text(try Self.site(), "voice/members.opml")
        #expect(opml.components(separatedBy: "<outline ").count - 1 == 4)
        #expect(!opml.contains("gone.example"))
        #expect(opml.contains("xmlUrl=\"https://moved.example/new-feed\""))
    }

    @Test func entriesAreInSearchOnlyWhenTheSiteAsks() throws {
        let off = try #require(try Self.site(search: false).site)
        let on = try #require(try Self.site(search: true).site)
        let routes = Routes(on.config)
        #expect(!off.searchDocuments(routes: routes).contains { $0.url.hasPrefix("https://cached.example/") })
        let found = on.searchDocuments(routes: routes).filter { $0.url.hasPrefix("https://cached.example/") }
        #expect(found.map(\.title) == ["From the future", "Hostile <b>title</b>", "Older post"])
    }

    @Test func aSiteWithoutMembersHasNoVoice() throws {
        var fileSystem = MemoryFileSystem(["site.toml": "title = \"T\"\nbase_url = \"https://t.example/\"\n"])
        try fileSystem.addDefaultTheme()
        let result = SiteBuild.run(fileSystem: fileSystem, clock: testClock)
        #expect(result.site?.voice == nil)
        #expect(!result.outputs.contains { $0.path.hasPrefix("voice/") })
    }

    @Test func membersParseWithDefaults() {
        let (members, diagnostics) = MembersParser.parse(
            SourceFile(
                path: MembersParser.path,
                text: """
                    [[members]]
                    name = "Siân Pritchard"
                    url = "https://sian.example/"
                    feed = "https://sian.example/feed"
                    organisation = "Cyngor"

                    [[members]]
                    name = "Paused"
                    slug = "paused-blog"
                    url = "https://paused.example/"
                    feed = "https://paused.example/feed"
                    enabled = false
                    """))
        #expect(diagnostics.isEmpty)
        #expect(members.map(\.slug) == ["siân-pritchard", "paused-blog"])
        #expect(members.map(\.enabled) == [true, false])
        #expect(members[0].organisation == "Cyngor")
        #expect(members[1].location.line == 7)
    }
}
