import Foundation
import Testing

@testable import LocalGovSite

/// `serve` rebuilds with a `BuildCache`: after every kind of change its output must be the very
/// bytes a clean build makes, while only the work the change touches is done again.
@Suite struct IncrementalBuildTests {
    /// The repository's own sample site, in memory so each step can change it.
    func sampleSite() throws -> MemoryFileSystem {
        let repository = LocalFileSystem(root: Paths.repository)
        var site = MemoryFileSystem([:])
        for folder in ["content", "themes", "static"] {
            for path in try repository.files(under: folder) { site.files[path] = try repository.read(path) }
        }
        site.files["site.toml"] = try repository.read("site.toml")
        return site
    }

    /// Builds `site` with the cache and without, and expects the same files with the same bytes.
    /// With `output`, the incremental build is also written there, keeping the site it replaces
    /// in the store's spare as `build` does, and the folder must hold exactly the clean build's files.
    func expectSameAsClean(
        _ site: MemoryFileSystem, cache: BuildCache, _ step: String, writtenTo output: URL? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> BuildCache.Counters {
        let incremental = SiteBuild.run(fileSystem: site, clock: testClock, cache: cache)
        let clean = SiteBuild.run(fileSystem: site, clock: testClock)
        #expect(clean.succeeded, "\(step): \(clean.diagnostics.items)", sourceLocation: sourceLocation)
        #expect(incremental.diagnostics.items == clean.diagnostics.items, "\(step)", sourceLocation: sourceLocation)
        let mine = Dictionary(uniqueKeysWithValues: incremental.outputs.map { ($0.path, $0.bytes) })
        let theirs = Dictionary(uniqueKeysWithValues: clean.outputs.map { ($0.path, $0.bytes) })
        #expect(Set(mine.keys) == Set(theirs.keys), "\(step): different files", sourceLocation: sourceLocation)
        let differing = theirs.keys.filter { mine[$0] != nil && mine[$0] != theirs[$0] }.sorted()
        #expect(differing.isEmpty, "\(step): different bytes in \(differing.prefix(5))", sourceLocation: sourceLocation)
        if let output {
            try OutputWriter.write(incremental.outputs, to: output, spare: cache.store?.spareSite)
            let written = try OutputWriterTests.tree(output).filter { !$0.key.hasSuffix("/") }
            #expect(written == theirs, "\(step): the written site differs from the clean build", sourceLocation: sourceLocation)
        }
        return cache.takeCounters()
    }

    func edit(_ site: inout MemoryFileSystem, _ path: String, _ change: (String) -> String) throws {
        let text = String(decoding: try #require(site.files[path]), as: UTF8.self)
        let changed = change(text)
        #expect(changed != text, "the edit to \(path) changed nothing")
        site.files[path] = Data(changed.utf8)
    }

    /// `build` with a store reads only the content files whose version changed since the last
    /// build, and takes the rest's parses by the digests of their texts; a file whose parse the
    /// store has lost is read again. The output is the clean build's every time.
    @Test func aBuildWithAStoreReadsOnlyTheContentFilesThatChanged() throws {
        var site = try sampleSite()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-reads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = Set(site.files.keys.filter { $0.hasPrefix("content/") && ["md", "toml"].contains(PathText.pathExtension($0)) })
        func build(_ step: String) throws -> Set<String> {
            let log = ReadLog()
            var counted = site
            counted.reads = log
            let cache = BuildCache(store: BuildStore.inSite(root, tool: "tests").0)
            let incremental = SiteBuild.run(fileSystem: counted, clock: testClock, cache: cache)
            try cache.store?.commit()
            let clean = SiteBuild.run(fileSystem: site, clock: testClock)
            #expect(incremental.outputs.map(\.path) == clean.outputs.map(\.path), "\(step)")
            #expect(zip(incremental.outputs, clean.outputs).allSatisfy { $0.bytes == $1.bytes }, "\(step)")
            #expect(incremental.diagnostics.items == clean.diagnostics.items, "\(step)")
            return log.paths.intersection(content)
        }
        #expect(try build("first build") == content)
        #expect(try build("no change").isEmpty)
        let post = try #require(content.filter { $0.hasPrefix("content/blog/") }.min())
        try edit(&site, post) { $0 + "\nOne more line.\n" }
        #expect(try build("one post edited") == [post])
        let parses = root.appendingPathComponent(BuildStore.location).appendingPathComponent("parses")
        for name in try FileManager.default.contentsOfDirectory(atPath: parses.path) {
            try FileManager.default.removeItem(at: parses.appendingPathComponent(name))
        }
        #expect(try build("parses lost") == content)
        #expect(try build("parses kept again").isEmpty)
    }

    /// With a store, the checks skip a body they found nothing in before while it and all its
    /// links can reach are the same: a linked page taken away, or an edit, is found again.
    @Test func checksTheStoreSkipsStillFindWhatChanged() throws {
        var site = try sampleSite()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-checks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func errors(_ step: String) throws -> [Diagnostic] {
            let cache = BuildCache(store: BuildStore.inSite(root, tool: "tests").0)
            let kept = SiteBuild.run(fileSystem: site, clock: testClock, cache: cache)
            try cache.store?.commit()
            let clean = SiteBuild.run(fileSystem: site, clock: testClock)
            #expect(kept.diagnostics.items == clean.diagnostics.items, "\(step)")
            return kept.diagnostics.items.filter { $0.severity == .error }
        }
        #expect(try errors("first build").isEmpty)
        #expect(try errors("no change").isEmpty)
        let about = try #require(site.files["content/pages/about.md"])
        site.files["content/pages/about.md"] = nil
        let broken = try errors("a linked page taken away")
        #expect(broken.contains { $0.location?.file == "content/_index.md" && $0.message.contains("/about/") })
        site.files["content/pages/about.md"] = about
        #expect(try errors("the page back").isEmpty)
        let post = "content/blog/agile-in-a-waterfall-organisation.md"
        try edit(&site, post) { $0 + "\n[Click here](/about/) to read more.\n" }
        #expect(try errors("a vague link added").contains { $0.location?.file == post && $0.message.contains("Click here") })
    }

    @Test func everyChangeGivesTheCleanBuildsBytes() throws {
        var site = try sampleSite()
        let cache = BuildCache()
        let first = try expectSameAsClean(site, cache: cache, "first build")
        #expect(first.parseReused == 0 && first.renderReused == 0)
        let pages = first.rendered

        // Nothing changed: nothing is parsed or rendered again.
        let unchanged = try expectSameAsClean(site, cache: cache, "no change")
        #expect(unchanged.parsed == 0 && unchanged.rendered == 0)
        #expect(unchanged.renderReused == pages)

        // The last paragraph of one post: its own page only (its summary is the first paragraph).
        let post = "content/blog/agile-in-a-waterfall-organisation.md"
        try edit(&site, post) { $0.replacingOccurrences(of: "There are more", with: "There are many more") }
        let body = try expectSameAsClean(site, cache: cache, "a post's last paragraph")
        #expect(body.parsed == 1)
        #expect(body.rendered == 1)

        // Its title: the post, its neighbours, and every list and index it is in.
        try edit(&site, post) { $0.replacingOccurrences(of: "title = \"Agile in a waterfall organisation\"", with: "title = \"Agile inside a waterfall council\"") }
        let title = try expectSameAsClean(site, cache: cache, "a post's title")
        #expect(title.parsed == 1)
        #expect(title.rendered > 3 && title.rendered < pages / 2)

        // A new tag on it: a new tag page, and the tag index.
        try edit(&site, post) { $0.replacingOccurrences(of: "tags = [\"agile\", \"service-design\"]", with: "tags = [\"agile\", \"service-design\", \"governance\"]") }
        _ = try expectSameAsClean(site, cache: cache, "a new tag")

        // Renamed, with the one link to it followed; then another post deleted.
        let removed = site.files.removeValue(forKey: "content/blog/making-pdfs-and-forms-accessible.md")
        site.files["content/blog/accessible-pdfs-and-forms.md"] = try #require(removed)
        try edit(&site, "content/blog/testing-council-forms-with-screen-reader-users.md") {
            $0.replacingOccurrences(of: "/blog/making-pdfs-and-forms-accessible/", with: "/blog/accessible-pdfs-and-forms/")
        }
        _ = try expectSameAsClean(site, cache: cache, "a renamed post")
        site.files["content/blog/a-year-of-the-network-our-2025-retrospective.md"] = nil
        _ = try expectSameAsClean(site, cache: cache, "a deleted post")

        // A new post, and a post with an error, then fixed.
        site.files["content/blog/a-new-post.md"] = Data("---\ntitle: A new post\ndate: 2026-05-01\n---\nHello.\n".utf8)
        _ = try expectSameAsClean(site, cache: cache, "a new post")
        site.files["content/blog/a-new-post.md"] = Data("---\ntitle: A new post\ndate: 2026-05-01\n---\n![](x.png)\n".utf8)
        let broken = SiteBuild.run(fileSystem: site, clock: testClock, cache: cache)
        #expect(!broken.succeeded && broken.outputs.isEmpty)
        _ = cache.takeCounters()
        site.files["content/blog/a-new-post.md"] = Data("---\ntitle: A new post\ndate: 2026-05-01\n---\nHello again.\n".utf8)
        _ = try expectSameAsClean(site, cache: cache, "an error fixed")

        // A partial: every page using it (post lists and post pages), and only those.
        try edit(&site, "themes/default/templates/post-meta.mustache") { $0.replacingOccurrences(of: "<dl class=\"post-meta\"", with: "<dl class=\"post-meta meta\"") }
        let partial = try expectSameAsClean(site, cache: cache, "the post-meta partial")
        #expect(partial.parsed == 0)
        #expect(partial.rendered > 10 && partial.rendered < pages)
        try edit(&site, "themes/default/templates/voice-status.mustache") { $0 + "\n" }
        let status = try expectSameAsClean(site, cache: cache, "the voice-status template")
        #expect(status.rendered == 1)

        // A word of the theme, and site.toml: everything shows them.
        try edit(&site, "themes/default/strings/en.toml") { $0.replacingOccurrences(of: "\"Skip to main content\"", with: "\"Skip to the content\"") }
        let word = try expectSameAsClean(site, cache: cache, "a theme word")
        // All but the Welsh page, whose words come from cy.toml.
        #expect(word.rendered > 0 && word.renderReused == 1)
        try edit(&site, "site.toml") { $0.replacingOccurrences(of: "page_size = 5", with: "page_size = 4") }
        _ = try expectSameAsClean(site, cache: cache, "site.toml")

        // The Standard and the principles, and the Voice members list.
        try edit(&site, "content/standard/01-understand-user-needs.md") { $0.replacingOccurrences(of: "Why it matters for a council", with: "Why this matters for a council") }
        _ = try expectSameAsClean(site, cache: cache, "a point of the Standard")
        try edit(&site, "content/principles/digital-principles.toml") { $0 + "\n" }
        _ = try expectSameAsClean(site, cache: cache, "the principles")
        try edit(&site, "content/voice/members.toml") { $0.replacingOccurrences(of: "enabled = false", with: "enabled = true") }
        _ = try expectSameAsClean(site, cache: cache, "a Voice member enabled")
    }

    /// What a stage read holds while every listing, file and lookup would read the same: a file
    /// changed, one added to a listed folder, one that appears where it was looked for, each
    /// breaks it, and so does a file system that cannot tell a file's version.
    @Test func aReadRecordHoldsOnlyWhileEveryReadWouldReadTheSame() throws {
        let site = MemoryFileSystem(["themes/t/a.mustache": "A", "themes/t/b.mustache": "B", "other/x.md": "X"])
        func recorded() throws -> ReadRecord {
            let record = ReadRecord()
            let files = RecordingFileSystem(base: site, record: record)
            for path in try files.files(under: "themes/t") { _ = try files.read(path) }
            #expect(!files.fileExists("themes/t/c.toml"))
            return record
        }
        let record = try recorded()
        #expect(record.holds(in: site))
        var changed = site
        changed.files["other/x.md"] = Data("Y".utf8)
        #expect(record.holds(in: changed), "a file never read")
        changed.files["themes/t/a.mustache"] = Data("A!".utf8)
        #expect(!record.holds(in: changed), "a file read")
        for (path, text) in [("themes/t/new.mustache", "N"), ("themes/t/c.toml", "C")] {
            var added = site
            added.files[path] = Data(text.utf8)
            #expect(!record.holds(in: added), "\(path) added")
        }
        struct Unversioned: SiteFileSystem {
            let base: MemoryFileSystem
            func fileExists(_ path: String) -> Bool { base.fileExists(path) }
            func read(_ path: String) throws -> Data { try base.read(path) }
            func files(under folder: String) throws -> [String] { try base.files(under: folder) }
        }
        let unversioned = ReadRecord()
        _ = try RecordingFileSystem(base: Unversioned(base: site), record: unversioned).read("themes/t/a.mustache")
        #expect(!unversioned.holds(in: Unversioned(base: site)))
    }

    /// A body's checked links are kept only while everything they can reach is the same: an
    /// unchanged post whose link's page is deleted, or whose link names a search index file that
    /// an edit elsewhere renamed, is reported as the clean build reports it.
    @Test func keptLinkChecksFollowWhatTheLinksReach() throws {
        var site = try sampleSite()
        let cache = BuildCache()
        func expectSameFindings(_ step: String, broken destination: String?) {
            let incremental = SiteBuild.run(fileSystem: site, clock: testClock, cache: cache)
            let clean = SiteBuild.run(fileSystem: site, clock: testClock)
            #expect(incremental.diagnostics.items == clean.diagnostics.items, "\(step)")
            let reported = clean.diagnostics.items.contains { $0.severity == .error && $0.message.contains("\(destination ?? "") goes nowhere") }
            #expect(destination == nil ? clean.succeeded : reported, "\(step): \(clean.diagnostics.items)")
        }
        let linking = "content/blog/testing-council-forms-with-screen-reader-users.md"
        let target = "content/blog/making-pdfs-and-forms-accessible.md"
        expectSameFindings("first build", broken: nil)
        let removed = site.files.removeValue(forKey: target)
        #expect(removed != nil)
        expectSameFindings("the linked post deleted", broken: "/blog/making-pdfs-and-forms-accessible/")
        site.files[target] = removed
        expectSameFindings("the linked post back", broken: nil)

        // A link to the first metadata chunk, by its name; then the title of a document in it.
        let built = SiteBuild.run(fileSystem: site, clock: testClock)
        let chunk = try #require(built.outputs.first { $0.path.hasPrefix("search/d-0.") })
        let documents = try #require(try JSONSerialization.jsonObject(with: chunk.bytes) as? [[String]])
        // A post in the chunk, by its title as its front matter writes it (YAML or TOML, quoted).
        let (titled, title) = try #require(
            documents.lazy.compactMap { document in
                site.files.first { $0.key.hasPrefix("content/blog/") && String(decoding: $0.value, as: UTF8.self).contains("\"\(document[1])\"") }
                    .map { ($0.key, document[1]) }
            }.first)
        try edit(&site, linking) { $0 + "\nThe [first chunk of the search index](/\(chunk.path)) lists it.\n" }
        expectSameFindings("a link to a search index file", broken: nil)
        try edit(&site, titled) { $0.replacingOccurrences(of: "\"\(title)\"", with: "\"\(title), again\"") }
        expectSameFindings("that file renamed by another post's edit", broken: "/\(chunk.path)")
    }

    /// Told what `serve`'s watcher named since the last build, a build reads again only those
    /// files; a named path that is new, gone or a folder, or a build told nothing, lists and
    /// reads everything.
    @Test func aBuildToldWhatChangedReadsOnlyThat() throws {
        var site = try sampleSite()
        let cache = BuildCache()
        _ = try expectSameAsClean(site, cache: cache, "first build")
        let edited = "content/blog/agile-in-a-waterfall-organisation.md"
        try edit(&site, edited) { $0 + "\nA paragraph added in the editor.\n" }
        cache.noteChanges([edited])
        #expect(try expectSameAsClean(site, cache: cache, "a named edit").parsed == 1)
        // No content file changed, but every parse must follow the new setting.
        try edit(&site, "site.toml") { $0 + "\n[markdown]\nsmart_punctuation = false\n" }
        cache.noteChanges(["site.toml"])
        #expect(try expectSameAsClean(site, cache: cache, "a parse setting changed").parsed > 10)

        // inotify names a folder moved in, not the files it holds.
        let moved = "content/blog/a-post-moved-in-with-its-folder"
        site.files[moved + "/index.md"] = try #require(site.files[edited])
        cache.noteChanges([moved])
        #expect(try expectSameAsClean(site, cache: cache, "a folder moved in").parsed == 1)
        site.files.removeValue(forKey: edited)
        cache.noteChanges([edited])
        _ = try expectSameAsClean(site, cache: cache, "a named file deleted")

        // An edit the watcher did not name is not read: the build trusted what it was told.
        let unnamed = "content/blog/buying-digital-services-in-smaller-lots.md"
        try edit(&site, unnamed) { $0 + "\nA paragraph nobody named.\n" }
        cache.noteChanges([])
        let trusting = SiteBuild.run(fileSystem: site, clock: testClock, cache: cache)
        #expect(cache.takeCounters().parsed == 0)
        let page = "blog/buying-digital-services-in-smaller-lots/index.html"
        let shown = try #require(trusting.outputs.first { $0.path == page }).bytes
        #expect(!String(decoding: shown, as: UTF8.self).contains("A paragraph nobody named."))
        cache.noteChanges(nil)
        #expect(try expectSameAsClean(site, cache: cache, "told nothing").parsed == 1)
    }

    /// `serve` takes a content file as it read it last while the file system vouches for it: a
    /// file saved moments ago is read afresh, since a second save in the same tick of the file
    /// system's clock would keep the first one's version.
    @Test func aFileIsVouchedForOnlyOnceItsVersionHasSettled() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-version-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content"), withIntermediateDirectories: true)
        let path = "content/post.md"
        try Data("A first version.".utf8).write(to: root.appendingPathComponent(path))
        let files = LocalFileSystem(root: root)
        #expect(files.version(of: path) == nil)
        try await Task.sleep(for: .milliseconds(3100))
        let settled = try #require(files.version(of: path))
        #expect(files.version(of: path) == settled)

        try Data("A later version.".utf8).write(to: root.appendingPathComponent(path))
        #expect(files.version(of: path) == nil)
        try await Task.sleep(for: .milliseconds(3100))
        let later = try #require(files.version(of: path))
        #expect(later != settled)
        #expect(files.version(of: "content/missing.md") == nil)
    }
}

/// The order a file system lists a folder in (which differs between file systems, and between
/// runs on some) must not show in the output: the whole sample site, listed in shuffled orders.
@Suite struct ListingOrderTests {
    /// SplitMix64: a seeded generator, so a failing order can be run again.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func shuffledListingsBuildTheSameSite() throws {
        let site = try IncrementalBuildTests().sampleSite()
        let sorted = SiteBuild.run(fileSystem: site, clock: testClock)
        #expect(sorted.succeeded)
        for seed: UInt64 in [1, 2, 3] {
            var shuffled = site
            shuffled.reorder = { paths in
                var generator = SeededGenerator(state: seed)
                return paths.shuffled(using: &generator)
            }
            let result = SiteBuild.run(fileSystem: shuffled, clock: testClock)
            #expect(result.outputs == sorted.outputs, "seed \(seed)")
            #expect(result.diagnostics.items == sorted.diagnostics.items, "seed \(seed)")
        }
    }
}

/// `serve` shows an edited post or page at once, rendered against the last good site, before
/// the full rebuild: what it shows must be the page the full rebuild then makes, and an edit that
/// moves things about must be left to the full rebuild.
@Suite struct PagePreviewTests {
    let builds = IncrementalBuildTests()

    /// The preview of `path` after `change`, and the pages of clean builds before and after it.
    func preview(
        _ path: String, _ change: (String) -> String
    ) throws -> (preview: OutputFile?, before: [String: Data], after: [String: Data]) {
        var site = try builds.sampleSite()
        let before = SiteBuild.run(fileSystem: site, clock: testClock)
        try builds.edit(&site, path, change)
        let after = SiteBuild.run(fileSystem: site, clock: testClock)
        let file = try ContentLoader.readText(path, from: site)
        var lent = try #require(before.site)
        let shown = PagePreview.render(file, in: &lent, theme: try #require(before.theme))
        #expect(lent.posts == before.site?.posts && lent.pages == before.site?.pages, "the preview left the site changed")
        let pages = { (result: BuildResult) in Dictionary(uniqueKeysWithValues: result.outputs.map { ($0.path, $0.bytes) }) }
        return (shown, pages(before), pages(after))
    }

    @Test(arguments: [
        ("content/blog/agile-in-a-waterfall-organisation.md", "There are more", "There are many more"),
        ("content/blog/agile-in-a-waterfall-organisation.md", "organisation\"", "council\""),
        ("content/pages/about.md", "title: About LocalGov Digital", "title: About the network"),
    ])
    func anEditInPlaceShowsTheFullBuildsPage(path: String, old: String, new: String) throws {
        let (shown, before, after) = try preview(path) { $0.replacingOccurrences(of: old, with: new) }
        let page = try #require(shown)
        #expect(page.bytes == after[page.path], "\(page.path)")
        #expect(page.bytes != before[page.path])
    }

    @Test(arguments: [
        ("content/blog/agile-in-a-waterfall-organisation.md", "date = 2025-06-03", "date = 2024-01-09"),
        ("content/blog/agile-in-a-waterfall-organisation.md", "title = ", "slug = \"agile-elsewhere\"\ntitle = "),
        ("content/blog/agile-in-a-waterfall-organisation.md", "There are more", "![](diagram.png) There are more"),
        ("content/blog/agile-in-a-waterfall-organisation.md", "date = 2025-06-03", "date = 2025-06-03\ndraft = true"),
        ("content/standard/01-understand-user-needs.md", "user", "resident"),
    ])
    func anEditThatMovesThingsWaitsForTheFullBuild(path: String, old: String, new: String) throws {
        let (shown, _, _) = try preview(path) { $0.replacingOccurrences(of: old, with: new, options: [], range: $0.range(of: old)) }
        #expect(shown == nil)
    }
}
