import FeedFetch
import Foundation
import LocalGovSite
import TestSupport
import Testing

/// A fresh cache folder and feeds folder per test, with the fixture feeds and one undated feed.
struct Workspace {
    let root: URL
    let cache: URL
    let feeds: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("feedfetch-\(UUID().uuidString)")
        cache = root.appendingPathComponent("cache")
        feeds = root.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: feeds, withIntermediateDirectories: true)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/feeds")
        for name in ["wordpress.xml", "ghost.xml"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: feeds.appendingPathComponent(name))
        }
        try Data(Self.undated.utf8).write(to: feeds.appendingPathComponent("undated.xml"))
    }

    static let undated = """
        <?xml version="1.0"?><rss version="2.0"><channel><title>No dates</title><link>https://undated.example/</link>
        <item><title>Without a date</title><link>https://undated.example/one/</link><guid>one</guid></item>
        </channel></rss>
        """
}

/// 22 November 2026, midday UTC.
let fetchTime = Date(timeIntervalSince1970: 1_795_348_800)

func member(_ feed: String, slug: String = "member") -> Member {
    Member(
        name: "A Member", slug: slug, url: "https://member.example/", feed: feed, organisation: nil, enabled: true,
        location: SourceLocation(file: "content/voice/members.toml", line: 1, column: 1))
}

/// A minute by default, as the serve tests wait: a loopback answer takes milliseconds, but CI
/// runs these beside builds and headless Chromium on two cores, and a fetch there has twice taken
/// longer than 5 s. The test that is about the deadline sets its own.
func settings(timeout: Int = 60, maxBytes: Int = 5_000_000) -> FetchSettings {
    var fetch = SiteConfig.Voice.Fetch()
    fetch.timeout = timeout
    fetch.connectTimeout = 2
    fetch.maxBytes = maxBytes
    return FetchSettings(fetch, userAgent: "LocalGovSite/1.0 (+https://localgov.example/; feed reader for Test Site)")
}

func fetch(
    _ members: [Member], in workspace: Workspace, settings: FetchSettings = settings(), at time: Date = fetchTime
) async throws -> [FetchReport] {
    try await FeedFetcher.withFetcher(settings, now: { time }) {
        await $0.fetchAll(members, into: FeedCacheStore(folder: workspace.cache))
    }
}

@Suite(.serialized) struct FeedFetcherTests {
    let workspace: Workspace
    let server: FeedServer

    init() throws {
        workspace = try Workspace()
        server = try FeedServer(feeds: workspace.feeds)
    }

    var store: FeedCacheStore { FeedCacheStore(folder: workspace.cache) }

    @Test func etagThenNotModified() async throws {
        let wordpress = member(server.url("/etag-only/wordpress.xml"))
        let first = try await fetch([wordpress], in: workspace)
        #expect(first[0].outcome == .updated(entries: 2))
        let record = try #require(store.record(for: wordpress))
        #expect(record.etag != nil && record.lastModified == nil)
        #expect(store.body(for: wordpress) == (try Data(contentsOf: workspace.feeds.appendingPathComponent("wordpress.xml"))))

        let second = try await fetch([wordpress], in: workspace, at: fetchTime.addingTimeInterval(3600))
        #expect(second[0].outcome == .notModified)
        #expect(second[0].bytes == 0)
        let log = try await server.log()
        #expect(log.count == 2)
        #expect(log[1].headers["if-none-match"] == record.etag)
        #expect(log[1].status == 304 && log[1].bytes == 0)
        #expect(store.record(for: wordpress)?.fetchedAt == fetchTime.addingTimeInterval(3600))
    }

    @Test func lastModifiedThenNotModified() async throws {
        let ghost = member(server.url("/lastmod-only/ghost.xml"))
        _ = try await fetch([ghost], in: workspace)
        let second = try await fetch([ghost], in: workspace)
        #expect(second[0].outcome == .notModified)
        let log = try await server.log()
        #expect(log[1].headers["if-modified-since"] == store.record(for: ghost)?.lastModified)
        #expect(log[1].headers["if-none-match"] == nil)
    }

    @Test func honestUserAgentAndGzip() async throws {
        let wordpress = member(server.url("/gzip/wordpress.xml"))
        let reports = try await fetch([wordpress], in: workspace)
        #expect(reports[0].outcome == .updated(entries: 2))
        let original = try Data(contentsOf: workspace.feeds.appendingPathComponent("wordpress.xml"))
        #expect(store.body(for: wordpress) == original)
        let request = try #require(try await server.log().first)
        #expect(request.headers["user-agent"]?.contains("+https://localgov.example/") == true)
        #expect(request.headers["accept-encoding"]?.contains("gzip") == true)
        #expect(request.bytes < original.count)
    }

    @Test func permanentRedirectsAreReported() async throws {
        let moved = member(server.url("/redirect/301/1/redirect/308/0/feeds/ghost.xml"))
        let report = try await fetch([moved], in: workspace)[0]
        #expect(report.outcome == .updated(entries: 1))
        #expect(report.movedTo == server.url("/feeds/ghost.xml"))
        #expect(store.record(for: moved)?.movedTo == server.url("/feeds/ghost.xml"))

        // A temporary hop anywhere in the chain means the address in members.toml is still right.
        let temporary = member(server.url("/redirect/301/0/redirect/302/0/feeds/ghost.xml"), slug: "other")
        let second = try await fetch([temporary], in: workspace)[0]
        #expect(second.outcome == .updated(entries: 1))
        #expect(second.movedTo == nil)
    }

    @Test func redirectLoopsAndLongChainsFail() async throws {
        let loop = member(server.url("/loop/a"), slug: "loop")
        let long = member(server.url("/redirect/302/6/feeds/ghost.xml"), slug: "long")
        let reports = try await fetch([loop, long], in: workspace)
        #expect(reports[0].outcome == .failed("the redirects go round in a loop (back to \(server.url("/loop/a")))"))
        #expect(reports[1].outcome == .failed("more than 5 redirects"))
        #expect(try await server.log().count == 2 + 6)
    }

    @Test func errorStatusesAreReportedAndOthersCarryOn() async throws {
        let missing = member(server.url("/status/404"), slug: "missing")
        let broken = member(server.url("/status/500"), slug: "broken")
        let fine = member(server.url("/feeds/ghost.xml"), slug: "fine")
        let reports = try await fetch([missing, broken, fine], in: workspace)
        #expect(reports.map(\.member.slug) == ["missing", "broken", "fine"])
        #expect(reports[0].outcome == .failed("404 Not Found"))
        #expect(reports[1].outcome == .failed("500 Internal Server Error"))
        #expect(reports[2].outcome == .updated(entries: 1))
        #expect(store.record(for: missing)?.lastError == "404 Not Found")
    }

    @Test func goneFeedsAreNotAskedAgain() async throws {
        let gone = member(server.url("/status/410"))
        #expect(try await fetch([gone], in: workspace)[0].outcome == .gone)
        #expect(store.record(for: gone)?.gone == true)
        #expect(try await fetch([gone], in: workspace)[0].outcome == .gone)
        #expect(try await server.log().count == 1)
    }

    @Test func retryAfterIsRespected() async throws {
        let busy = member(server.url("/status/429?retry=120"), slug: "busy")
        let down = member(server.url("/status/503?retry=date"), slug: "down")
        let reports = try await fetch([busy, down], in: workspace)
        #expect(store.record(for: busy)?.retryAfter == fetchTime.addingTimeInterval(120))
        guard case .failed(let message) = reports[0].outcome else { Issue.record("expected a failure"); return }
        #expect(message.hasPrefix("429 Too Many Requests; asked to wait until"))
        #expect(store.record(for: down)?.retryAfter != nil)

        let soon = try await fetch([busy], in: workspace, at: fetchTime.addingTimeInterval(60))
        #expect(soon[0].outcome == .deferred(until: fetchTime.addingTimeInterval(120)))
        #expect(try await server.log().count == 2)
        _ = try await fetch([busy], in: workspace, at: fetchTime.addingTimeInterval(121))
        #expect(try await server.log().count == 3)
    }

    @Test func aTricklingServerIsCutOffAtTheTimeout() async throws {
        let slow = member(server.url("/trickle?bytes=100&interval=1"))
        let started = ContinuousClock.now
        let report = try await fetch([slow], in: workspace, settings: settings(timeout: 2))[0]
        #expect(report.outcome == .failed("no complete response within 2 s"))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(store.body(for: slow) == nil)
    }

    @Test func bodiesOverTheCapAreRefusedWhileStreaming() async throws {
        let big = member(server.url("/big?mb=30"), slug: "big")
        let declared = member(server.url("/big-declared?mb=3"), slug: "declared")
        let bomb = member(server.url("/gzip-bomb?mb=50"), slug: "bomb")
        let reports = try await fetch([big, declared, bomb], in: workspace, settings: settings(maxBytes: 1_000_000))
        #expect(reports[0].outcome == .failed("the feed is larger than the 1 MB limit"))
        #expect(reports[1].outcome == .failed("the feed is larger than the 1 MB limit"))
        guard case .failed(let message) = reports[2].outcome else { Issue.record("the gzip bomb was accepted"); return }
        #expect(message.contains("larger than the 1 MB limit"))
        let log = try await server.log()
        // The streamed body was abandoned soon after the cap, not read to its end (the server
        // can still push a few megabytes into socket buffers before it notices).
        #expect(log.first { $0.path.hasPrefix("/big?") }!.bytes < 20_000_000)
    }

    @Test func aSixtyMegabyteFeedIsRefusedWithTheDefaultCap() async throws {
        let huge = member(server.url("/big?mb=60"))
        let report = try await fetch([huge], in: workspace)[0]
        #expect(report.outcome == .failed("the feed is larger than the 5 MB limit"))
        #expect(try await server.log()[0].bytes < 20_000_000)
    }

    @Test func wrongContentTypeIsNotedButTheBodyDecides() async throws {
        let mislabelled = member(server.url("/wrong-type/ghost.xml"), slug: "mislabelled")
        let page = member(server.url("/html-page"), slug: "page")
        let empty = member(server.url("/empty"), slug: "empty")
        let reports = try await fetch([mislabelled, page, empty], in: workspace)
        #expect(reports[0].outcome == .updated(entries: 1))
        #expect(reports[0].notes == ["served as text/html"])
        guard case .failed(let message) = reports[1].outcome else { Issue.record("an HTML page was accepted"); return }
        #expect(message.hasPrefix("the response is not a feed the site can read: this is an HTML page"))
        #expect(reports[2].outcome == .failed("the response is not a feed the site can read: the feed is empty"))
    }

    @Test func aBrokenResponseKeepsTheLastGoodFeed() async throws {
        let feed = workspace.feeds.appendingPathComponent("changing.xml")
        try FileManager.default.copyItem(at: workspace.feeds.appendingPathComponent("ghost.xml"), to: feed)
        let changing = member(server.url("/feeds/changing.xml"))
        _ = try await fetch([changing], in: workspace)
        let good = store.body(for: changing)
        try Data("<html><body>Maintenance</body></html>".utf8).write(to: feed)
        let report = try await fetch([changing], in: workspace, at: fetchTime.addingTimeInterval(60))[0]
        guard case .failed = report.outcome else { Issue.record("a broken feed was accepted"); return }
        #expect(store.body(for: changing) == good)
        #expect(store.record(for: changing)?.fetchedAt == fetchTime)
        #expect(store.record(for: changing)?.lastSuccess == fetchTime)
    }

    @Test func undatedEntriesKeepTheTimeTheyWereFirstSeen() async throws {
        let undated = member(server.url("/etag-only/undated.xml?v=1"))
        _ = try await fetch([undated], in: workspace)
        #expect(store.record(for: undated)?.firstSeen == ["one": fetchTime])
        // A later download of the same entry keeps the first time.
        try Data((Workspace.undated + " ").utf8).write(to: workspace.feeds.appendingPathComponent("undated.xml"))
        let later = try await fetch([undated], in: workspace, at: fetchTime.addingTimeInterval(86_400))
        #expect(later[0].outcome == .updated(entries: 1))
        #expect(store.record(for: undated)?.firstSeen == ["one": fetchTime])
    }

    @Test func nothingListeningFailsQuickly() async throws {
        let closed = member("http://127.0.0.1:9/feed.xml")
        let report = try await fetch([closed], in: workspace)[0]
        #expect(report.outcome == .failed("could not connect: connection refused"))
        #expect(report.status == nil)
        #expect(store.record(for: closed)?.lastError != nil)
    }
}
