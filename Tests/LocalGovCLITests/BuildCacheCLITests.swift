import Foundation
import Testing

/// `build`'s cache on disk, on the real binary: each build after the first renders only what
/// changed, writes what a build without the cache writes, and trusts nothing it finds there.
extension CLITests {
    static func pageCount(_ run: Run) -> Int? {
        guard let match = run.stdout.firstMatch(of: /Built (\d+) pages/) else { return nil }
        return Int(match.1)
    }

    static func reusedCount(_ run: Run) -> Int {
        run.stdout.firstMatch(of: /; (\d+) unchanged pages? and/).flatMap { Int($0.1) } ?? 0
    }

    static func reusedParseCount(_ run: Run) -> Int {
        run.stdout.firstMatch(of: /and (\d+) unchanged content files? came from the cache/).flatMap { Int($0.1) } ?? 0
    }

    /// The site as `build --no-cache` makes it, in a folder of its own.
    static func cleanBuild(_ site: URL) throws -> [String: Data] {
        let clean = try localgov(["build", "--no-cache", "--output", "clean"], in: site)
        #expect(clean.status == 0, "\(clean.stderr)")
        defer { try? FileManager.default.removeItem(at: site.appendingPathComponent("clean")) }
        return try snapshot(site.appendingPathComponent("clean"))
    }

    @Test func eachBuildAfterTheFirstRendersOnlyWhatChanged() throws {
        let site = try Self.copySite("basic")
        let output = site.appendingPathComponent("public")
        let pagesFolder = site.appendingPathComponent(".localgov/cache/build/pages")

        let first = try Self.localgov(["build"], in: site)
        #expect(first.status == 0, "\(first.stderr)")
        let pages = try #require(Self.pageCount(first))
        #expect(Self.reusedCount(first) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: pagesFolder.path).count == pages)

        let again = try Self.localgov(["build"], in: site)
        #expect(Self.reusedCount(again) == pages, "\(again.stdout)")
        let contentFiles = Self.reusedParseCount(again)
        #expect(contentFiles > 10, "\(again.stdout)")
        #expect(try Self.snapshot(output) == Self.cleanBuild(site))

        // One post gains a sentence: its page and the lists showing it are rendered again.
        let post = site.appendingPathComponent("content/blog/first-steps.md")
        try (String(contentsOf: post, encoding: .utf8) + "\nOne more sentence.\n").write(to: post, atomically: true, encoding: .utf8)
        let edited = try Self.localgov(["build"], in: site)
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(Self.reusedCount(edited) > 0 && Self.reusedCount(edited) < pages, "\(edited.stdout)")
        #expect(Self.reusedParseCount(edited) == contentFiles - 1, "\(edited.stdout)")
        #expect(try Self.snapshot(output) == Self.cleanBuild(site))
        // The store keeps one site's pages, not every version of them.
        #expect(try FileManager.default.contentsOfDirectory(atPath: pagesFolder.path).count == pages)

        // A page changed in the store, however it happened, is rendered again, not published.
        let stored = try FileManager.default.contentsOfDirectory(atPath: pagesFolder.path).sorted()
        for name in stored.prefix(3) {
            let file = pagesFolder.appendingPathComponent(name)
            let bytes = try Data(contentsOf: file)
            try Data(repeating: UInt8(ascii: "x"), count: bytes.count).write(to: file)
        }
        try FileManager.default.removeItem(at: pagesFolder.appendingPathComponent(stored[3]))
        let mended = try Self.localgov(["build"], in: site)
        #expect(mended.status == 0, "\(mended.stderr)")
        #expect(Self.reusedCount(mended) == pages - 4, "\(mended.stdout)")
        #expect(try Self.snapshot(output) == Self.cleanBuild(site))

        // A page whose file was touched but not changed has its bytes checked, and is used.
        let later = Date().addingTimeInterval(60)
        for name in try FileManager.default.contentsOfDirectory(atPath: pagesFolder.path).sorted().prefix(2) {
            try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: pagesFolder.appendingPathComponent(name).path)
        }
        let touched = try Self.localgov(["build"], in: site)
        #expect(Self.reusedCount(touched) == pages, "\(touched.stdout)")

        // The blog's feeds and each tag's are kept beside the pages, one of each; one changed in
        // the store is made again, not published.
        let feedsFolder = site.appendingPathComponent(".localgov/cache/build/feeds")
        let tags = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("blog/tags").path)
            .filter { FileManager.default.fileExists(atPath: output.appendingPathComponent("blog/tags/\($0)/feed.xml").path) }
        let feeds = try FileManager.default.contentsOfDirectory(atPath: feedsFolder.path).sorted()
        #expect(!tags.isEmpty && feeds.count == 2 * (1 + tags.count), "\(feeds.count) kept feeds, \(tags.count) tags")
        let feed = feedsFolder.appendingPathComponent(try #require(feeds.first))
        try Data(repeating: UInt8(ascii: "x"), count: try Data(contentsOf: feed).count).write(to: feed)
        #expect(try Self.localgov(["build"], in: site).status == 0)
        #expect(try Self.snapshot(output) == Self.cleanBuild(site))
    }

    @Test func anUnreadableOrForeignCacheIsSetAsideWithAWarning() throws {
        let site = try Self.copySite("basic")
        let index = site.appendingPathComponent(".localgov/cache/build/index.tsv")
        #expect(try Self.localgov(["build"], in: site).status == 0)
        let expected = try Self.cleanBuild(site)

        for (problem, text) in [
            ("cannot be read", "{\"format\": 1, \"tool\": "),
            ("was made by localgov 0.0.1", "localgov build cache 3\tlocalgov 0.0.1\npages\tx\t1\n"),
        ] {
            try text.write(to: index, atomically: true, encoding: .utf8)
            let run = try Self.localgov(["build"], in: site)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("warning: the build cache was not used: "), "\(run.stderr)")
            #expect(run.stderr.contains(problem) && run.stderr.contains("[cache.ignored]"), "\(run.stderr)")
            #expect(Self.reusedCount(run) == 0)
            #expect(try Self.snapshot(site.appendingPathComponent("public")) == expected)
            // The cache made again is used by the next build, without a word.
            let next = try Self.localgov(["build"], in: site)
            #expect(!next.stderr.contains("cache"), "\(next.stderr)")
            #expect(Self.reusedCount(next) == Self.pageCount(next))
        }
    }

    /// A body's images are marked in its parse for the image stage to fill in; a parse from the
    /// cache, made by another process, must be filled in just the same.
    @Test func imagesInAParseFromTheCacheGetTheirFinalMarkup() throws {
        let site = try ImageCLITests.photoSite(posts: 1)
        #expect(try Self.localgov(["build"], in: site).status == 0)
        let again = try Self.localgov(["build"], in: site)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.reusedParseCount(again) > 10, "\(again.stdout)")
        #expect(try Self.snapshot(site.appendingPathComponent("public")) == Self.cleanBuild(site))
        let page = try String(contentsOf: site.appendingPathComponent("public/blog/photos-1/index.html"), encoding: .utf8)
        #expect(page.contains("<picture>") && !page.contains("localgov-image"))
    }

    @Test func noCacheNeitherReadsNorWritesTheCache() throws {
        let site = try Self.copySite("basic")
        let run = try Self.localgov(["build", "--no-cache"], in: site)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent(".localgov/cache/build").path))
    }
}
