import Foundation
import TestSupport
import Testing

@testable import LocalGovSite

/// Runs the built `localgov` binary, as users and CI do, and checks exit codes, messages and files.
@Suite(.serialized) struct CLITests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let repository = tests.deletingLastPathComponent()

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["LOCALGOV_BIN"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("localgov")
    }

    /// The moment every command run here takes as now (22 November 2026), through
    /// `SOURCE_DATE_EPOCH`, so that no test depends on the day it runs.
    static let now = Date(timeIntervalSince1970: 1_795_348_800)
    static let environment = ProcessInfo.processInfo.environment.merging(
        ["SOURCE_DATE_EPOCH": String(Int(now.timeIntervalSince1970))]) { $1 }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func localgov(_ arguments: [String], in folder: URL, environment: [String: String] = [:], stdin: String? = nil, executable: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = Self.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A private copy of a fixture site, with the repository's themes linked in.
    static func copySite(_ fixture: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-test-\(UUID().uuidString)")
        let site = folder.appendingPathComponent("site with spaces é")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: tests.appendingPathComponent("Fixtures/sites/\(fixture)"), to: site)
        let themes = site.appendingPathComponent("themes")
        try? FileManager.default.removeItem(at: themes)
        try FileManager.default.createSymbolicLink(at: themes, withDestinationURL: repository.appendingPathComponent("themes"))
        return site
    }

    /// Every file below `folder` with its bytes, for byte-for-byte comparisons of whole trees.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        let files = try LocalFileSystem(root: folder).files(under: ".")
        return Dictionary(uniqueKeysWithValues: try files.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    @Test func buildWritesTheSiteAndSaysWhatItLeftOut() throws {
        let site = try Self.copySite("basic")
        let run = try Self.localgov(["build"], in: site)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("into public/"))
        #expect(run.stdout.contains("Left out 1 draft (--drafts includes them) and 1 future-dated post (--future includes them)."))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("public/blog/first-steps/index.html").path))

        let withDrafts = try Self.localgov(["build", "--drafts", "--future", "--output", "all"], in: site)
        #expect(withDrafts.status == 0)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("all/blog/a-draft/index.html").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("all/blog/from-the-future/index.html").path))
    }

    @Test func contentErrorsExitWithOneAndNameFileLineAndColumn() throws {
        let site = try Self.copySite("invalid/several-errors")
        let run = try Self.localgov(["build"], in: site)
        #expect(run.status == 1)
        #expect(
            run.stderr == (try String(contentsOf: Self.tests.appendingPathComponent("Fixtures/sites/invalid/several-errors/expected.txt"), encoding: .utf8))
                + "3 errors, 0 warnings\n")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("public").path))
        let check = try Self.localgov(["check"], in: site)
        #expect(check.status == 1)
        #expect(check.stderr == run.stderr)
    }

    @Test func usageErrorsExitWithTwo() throws {
        let site = try Self.copySite("basic")
        #expect(try Self.localgov(["build", "--no-such-option"], in: site).status == 2)
        #expect(try Self.localgov(["frobnicate"], in: site).status == 2)
        let dangerous = try Self.localgov(["build", "--output", "."], in: site)
        #expect(dangerous.status == 2)
        #expect(dangerous.stderr.contains("would replace"))
        #expect(try Self.localgov(["--help"], in: site).status == 0)
    }

    @Test func aFailedBuildLeavesThePreviousSiteUntouched() throws {
        let site = try Self.copySite("basic")
        #expect(try Self.localgov(["build"], in: site).status == 0)
        let before = try Self.snapshot(site.appendingPathComponent("public"))

        let post = site.appendingPathComponent("content/blog/winter-update.md")
        try "---\ntitle: Broken\ndate: 2023-02-30\n---\nBody\n".write(to: post, atomically: true, encoding: .utf8)
        try "new".write(to: site.appendingPathComponent("content/blog/extra.md"), atomically: true, encoding: .utf8)
        let failed = try Self.localgov(["build"], in: site)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("content/blog/winter-update.md:3:7: error:"))
        #expect(failed.stderr.contains("content/blog/extra.md:1:1: error:"))

        #expect(try Self.snapshot(site.appendingPathComponent("public")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.contains("localgov-") }
        #expect(leftovers.isEmpty)
    }

    @Test func rebuildingReplacesTheOldSiteWhole() throws {
        let site = try Self.copySite("basic")
        #expect(try Self.localgov(["build"], in: site).status == 0)
        try FileManager.default.removeItem(at: site.appendingPathComponent("content/blog/winter-update.md"))
        #expect(try Self.localgov(["build"], in: site).status == 0)
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("public/blog/winter-update").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.contains("localgov-") }
        #expect(leftovers.isEmpty)
    }

    @Test func outputIsIdenticalWhateverTheTimeZoneLocaleOrFileTimes() throws {
        let site = try Self.copySite("basic")
        let a = try Self.localgov(["build", "--output", "a"], in: site, environment: ["TZ": "America/Los_Angeles", "LANG": "C", "LC_ALL": "C"])
        #expect(a.status == 0)
        let post = site.appendingPathComponent("content/blog/first-steps.md")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: post.path)
        let b = try Self.localgov(["build", "--output", "b"], in: site, environment: ["TZ": "Asia/Kolkata", "LANG": "cy_GB.UTF-8", "LC_ALL": "cy_GB.UTF-8"])
        #expect(b.status == 0)
        // A private umask, and a German locale, whose numbers group with dots.
        let c = try Self.localgov(
            ["-c", "umask 077 && exec \"$0\" build --output c", Self.binary.path], in: site,
            environment: ["TZ": "UTC", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"], executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(c.status == 0, "\(c.stderr)")
        let first = try Self.snapshot(site.appendingPathComponent("a"))
        #expect(first.count > 20)
        #expect(first == (try Self.snapshot(site.appendingPathComponent("b"))))
        #expect(first == (try Self.snapshot(site.appendingPathComponent("c"))))
    }

    @Test func newPostScaffoldsADraftAndNeverOverwrites() throws {
        let site = try Self.copySite("basic")
        let run = try Self.localgov(["new", "post", "Why we moved to \"open\" standards", "--author", "Ann Jones"], in: site)
        #expect(run.status == 0, "\(run.stderr)")
        let file = site.appendingPathComponent("content/blog/why-we-moved-to-open-standards.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("title: \"Why we moved to \\\"open\\\" standards\""))
        #expect(text.contains("authors: [\"Ann Jones\"]"))
        #expect(text.contains("draft: true"))
        #expect(try Self.localgov(["check", "--drafts"], in: site).status == 0)

        let again = try Self.localgov(["new", "post", "Why we moved to open standards"], in: site)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOf: file, encoding: .utf8) == text)
    }

    /// The test venv's Python, with feedparser and selenium; `scripts/test` creates it.
    static func testPython() throws -> URL {
        let python = ProcessInfo.processInfo.environment["LOCALGOV_TEST_PYTHON"]
            .map { URL(fileURLWithPath: $0) } ?? Self.repository.appendingPathComponent(".build/test-venv/bin/python3")
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "no Python with feedparser and selenium at \(python.path); run scripts/test, which creates it")
        return python
    }

    @Test func feedsParseWithFeedparser() throws {
        let python = try Self.testPython()
        let site = try Self.copySite("basic")
        #expect(try Self.localgov(["build"], in: site).status == 0)

        let built = SiteBuild.run(fileSystem: LocalFileSystem(root: site), clock: FixedClock(Self.now))
        let model = try #require(built.site)
        func entries(_ indices: [Int]) -> [[String: String]] {
            indices.map { model.posts[$0] }.map {
                ["title": $0.title, "link": "https://fixture.example.org/blog/\($0.slug)/", "published": Format.rfc3339($0.date.instant)]
            }
        }
        var feeds: [[String: Any]] = []
        let lists = [("blog/", Array(model.posts.indices))] + model.tags.map { ("blog/tags/\($0.slug)/", $0.posts) }
        for (folder, indices) in lists {
            for name in ["feed.xml", "atom.xml"] {
                feeds.append(["path": folder + name, "self": "https://fixture.example.org/\(folder)\(name)", "entries": entries(indices)])
            }
        }
        #expect(feeds.count == 2 * (1 + model.tags.count))
        let spec = String(decoding: try JSONSerialization.data(withJSONObject: ["feeds": feeds]), as: UTF8.self)
        let run = try Self.localgov(
            [Self.tests.appendingPathComponent("Scripts/check_feeds.py").path, site.appendingPathComponent("public").path],
            in: site, stdin: spec, executable: python)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("ok: "))
    }

    @Test func principlesAndStandardReflowAt320PixelsAndPrintInChromium() throws {
        let python = try Self.testPython()
        let site = try Self.copySite("basic")
        #expect(try Self.localgov(["build"], in: site).status == 0)
        let pages: [[String: Any]] = [
            ["path": "principles/", "table": "table.stacked-table"],
            ["path": "standard/"], ["path": "standard/know-your-users/"], ["path": "standard/all/", "print": true],
        ]
        let spec = String(decoding: try JSONSerialization.data(withJSONObject: ["pages": pages]), as: UTF8.self)
        let run = try Self.localgov(
            [Self.tests.appendingPathComponent("Scripts/check_layout.py").path, site.appendingPathComponent("public").path],
            in: site, stdin: spec, executable: python)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("ok: 4 pages"))
    }

    /// The JSON and CSV exports, read back (CSV by Python's csv module), give the rows of the set.
    @Test func principleExportsRoundTripTheRows() throws {
        let python = try Self.testPython()
        let site = try Self.copySite("basic")
        #expect(try Self.localgov(["build"], in: site).status == 0)
        let model = try #require(SiteBuild.run(fileSystem: LocalFileSystem(root: site), clock: FixedClock(Self.now)).site)
        let set = try #require(model.principles?.sets.first)
        let expected = set.rows.map { [$0.id, $0.traditional.markdown, $0.principle.markdown, $0.practice.markdown] }
        #expect(expected.count == 3)

        let json = try Data(contentsOf: site.appendingPathComponent("public/principles/\(set.slug).json"))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: String]])
        #expect(rows.map { [$0["id"]!, $0["traditional"]!, $0["principle"]!, $0["practice"]!] } == expected)
        #expect(rows.map { $0["url"]! } == set.rows.map { "https://fixture.example.org/principles/#\($0.id)" })

        let csv = site.appendingPathComponent("public/principles/\(set.slug).csv")
        let reader = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f: print(json.dumps(list(csv.reader(f, strict=True))))"
        let run = try Self.localgov(["-c", reader, csv.path], in: site, executable: python)
        #expect(run.status == 0, "\(run.stderr)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String]])
        #expect(records.first == ["id", "traditional", "principle", "practice", "url"])
        #expect(records.dropFirst().map { Array($0.prefix(4)) } == expected)
        #expect(String(decoding: try Data(contentsOf: csv), as: UTF8.self).hasSuffix("\r\n"))
    }

    /// The repository's own sample site, built once for the search checks.
    static let sample: Result<URL, Error> = Result {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-sample-\(UUID().uuidString)")
        let run = try localgov(["build", "--site", repository.path, "--output", output.path], in: repository)
        guard run.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: run.stderr]) }
        return output
    }

    /// For every sample post, its two rarest title words find it in the top 3.
    @Test func everySamplePostIsFoundByTwoWordsOfItsTitle() throws {
        let site = try Self.sample.get()
        let node = URL(fileURLWithPath: "/usr/bin/env")
        let run = try Self.localgov(
            ["node", Self.tests.appendingPathComponent("JavaScript/known-items.mjs").path, site.path], in: site, executable: node)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains(" posts in the top 3"))
    }

    @Test func theSearchPageWorksByKeyboardAndWithoutJavaScriptInChromium() throws {
        let python = try Self.testPython()
        let site = try Self.sample.get()
        let spec = #"{"query": "waterfall agile", "first": "Agile in a waterfall organisation", "typed": "waterf", "many": "council"}"#
        let run = try Self.localgov(
            [Self.tests.appendingPathComponent("Scripts/check_search.py").path, site.path], in: site, stdin: spec, executable: python)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("ok: "))
    }

    /// The accessibility stage over every page of the sample site: axe-core (WCAG 2.2 A and AA,
    /// best practices) and the Nu HTML checker, then reflow at 320 px, the skip link, focus
    /// indicators, text at 200 %, text spacing and dark-mode contrast, in Chromium.
    @Test func everyPagePassesTheAccessibilityStage() throws {
        let python = try Self.testPython()
        let site = try Self.sample.get()
        let run = try Self.localgov(
            [Self.tests.appendingPathComponent("Scripts/check_accessibility.py").path, site.path], in: site, executable: python)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let pages = try Self.snapshot(site).keys.count { $0.hasSuffix(".html") }
        #expect(pages > 50)
        #expect(run.stdout.contains("pages=\(pages) "), "every page is audited: \(run.stdout.suffix(300))")

        // An audit of nothing is a failure, not a pass.
        let empty = try Self.emptyFolder()
        let none = try Self.localgov(
            [Self.tests.appendingPathComponent("Scripts/check_accessibility.py").path, empty.path], in: empty, executable: python)
        #expect(none.status == 1)
        #expect(none.stderr.contains("nothing was audited"))
    }

    @Test func feedsInspectShowsWhatTheSiteWouldShowOfAFeed() throws {
        let feeds = Self.tests.appendingPathComponent("Fixtures/feeds")
        let json = try Self.localgov(["feeds", "inspect", "--json", "jsonfeed.json"], in: feeds)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "JSON Feed 1.1")
        let first = try #require((object["entries"] as? [[String: Any]])?.first)
        #expect(first["title"] as? String == "Parking permits without the paper")
        #expect(first["published"] as? String == "2024-04-25T08:00:00Z")
        #expect((first["content_html"] as? String)?.contains("rel=\"nofollow noopener ugc\"") == true)
        #expect(first["images_without_alt"] as? [String] == ["https://harbourside.example.org/2024/04/parking-permits/images/form.png"])

        let text = try Self.localgov(["feeds", "inspect", "windows-1252.xml"], in: feeds)
        #expect(text.status == 0)
        #expect(text.stdout.contains("title: \u{201C}Where does the £5 go?\u{201D}"))
        #expect(text.stdout.contains("updated: none"))

        let site = try Self.copySite("basic")
        try Data("<rss><channel><item>".utf8).write(to: site.appendingPathComponent("broken.xml"))
        let broken = try Self.localgov(["feeds", "inspect", "broken.xml"], in: site)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.xml:1:21: error: the feed is not well-formed XML: Premature end of data in tag item"))
        #expect(broken.stdout.isEmpty)
    }

    /// The whole Voice path as a maintainer runs it: fetch over HTTP, then build from the cache.
    @Test func feedsFetchFillsTheCacheThatBuildReads() async throws {
        let server = try FeedServer(feeds: Self.tests.appendingPathComponent("Fixtures/feeds"))
        let site = try Self.copySite("basic")
        try """
            [[members]]
            name = "Civic Tinkering"
            url = "https://civictinkering.example.org/"
            feed = "\(server.url("/feeds/ghost.xml"))"

            [[members]]
            name = "Closed Blog"
            url = "https://closed.example/"
            feed = "\(server.url("/status/410"))"
            """.write(to: site.appendingPathComponent("content/voice/members.toml"), atomically: true, encoding: .utf8)

        let fetch = try Self.localgov(["feeds", "fetch", "--site", site.path], in: site.deletingLastPathComponent())
        #expect(fetch.status == 0, "\(fetch.stderr)")
        let lines = fetch.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Member           Result  HTTP  Bytes  Time") == true, "\(fetch.stdout)")
        #expect(lines.contains { $0.hasPrefix("civic-tinkering  ok      200") && $0.hasSuffix("1 entry") })
        #expect(lines.contains { $0.hasPrefix("closed-blog      gone    410") })
        #expect(lines.last?.hasPrefix("2 feeds in ") == true)
        let size = try Data(contentsOf: Self.tests.appendingPathComponent("Fixtures/feeds/ghost.xml")).count
        #expect(lines.last?.hasSuffix(": 1 ok, 0 not modified, 0 failed, 1 gone, 0 deferred; \(size) bytes downloaded.") == true)

        let again = try Self.localgov(["feeds", "fetch", "--site", site.path], in: site)
        #expect(again.stdout.contains(": 0 ok, 1 not modified, 0 failed, 1 gone, 0 deferred; 0 bytes downloaded."), "\(again.stdout)")

        let build = try Self.localgov(["build"], in: site)
        #expect(build.status == 0)
        #expect(build.stderr.contains("warning: Closed Blog's feed \(server.url("/status/410")) answered 410 Gone"))
        let river = try String(contentsOf: site.appendingPathComponent("public/voice/index.html"), encoding: .utf8)
        #expect(river.contains("<a href=\"https://civictinkering.example.org/council-tax-api/\">A tiny API for council tax bands</a>"))

        let inspect = try Self.localgov(["feeds", "inspect", server.url("/redirect/301/1/feeds/ghost.xml")], in: site)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.hasPrefix("Civic Tinkering (RSS 2.0), 1 entry"))
        let missing = try Self.localgov(["feeds", "inspect", server.url("/status/404")], in: site)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("error: cannot fetch \(server.url("/status/404")): 404 Not Found"))
    }
}
