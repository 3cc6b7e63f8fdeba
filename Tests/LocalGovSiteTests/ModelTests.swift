import Foundation
import Testing

@testable import LocalGovSite

@Suite struct ModelTests {
    func site(_ posts: [String: String], selection: ContentSelection = ContentSelection()) throws -> BuildResult {
        var texts = ["site.toml": "title = \"T\"\nbase_url = \"https://t.example/\"\n[blog]\npage_size = 2\n"]
        for (name, front) in posts { texts["content/blog/\(name).md"] = "---\n\(front)\n---\nBody of \(name).\n" }
        var fileSystem = MemoryFileSystem(texts)
        try fileSystem.addDefaultTheme()
        return SiteBuild.run(fileSystem: fileSystem, options: BuildOptions(selection: selection), clock: testClock)
    }

    @Test func draftsAndFuturePostsAreLeftOutAndCounted() throws {
        let posts = [
            "old": "title: Old\ndate: 2020-01-01",
            "draft": "title: Draft\ndate: 2021-01-01\ndraft: true",
            "future": "title: Future\ndate: 2030-01-01",
        ]
        let normal = try site(posts)
        #expect(normal.site?.posts.map(\.slug) == ["old"])
        #expect(normal.site?.excluded == ExcludedPosts(drafts: 1, future: 1))
        let everything = try site(posts, selection: ContentSelection(drafts: true, future: true))
        #expect(everything.site?.posts.map(\.slug) == ["future", "draft", "old"])
    }

    @Test func tagsGroupBySlugAndPaginate() throws {
        let result = try site([
            "a": "title: A\ndate: 2020-01-01\ntags: [Open Data]",
            "b": "title: B\ndate: 2021-01-01\ntags: [open-data, Agile]",
            "c": "title: C\ndate: 2022-01-01\ntags: [open data]",
        ])
        let site = try #require(result.site)
        #expect(site.tags.map(\.slug) == ["agile", "open-data"])
        #expect(site.tags[1].name == "open data")
        #expect(site.tags[1].posts == [0, 1, 2])
        let paths = Set(result.outputs.map(\.path))
        #expect(paths.isSuperset(of: ["blog/tags/open-data/index.html", "blog/tags/open-data/page/2/index.html", "blog/page/2/index.html", "blog/2021/index.html", "blog/tags/open-data/feed.xml"]))
    }

    @Test func listingOrderDoesNotChangeTheOutput() throws {
        var texts = ["site.toml": "title = \"T\"\nbase_url = \"https://t.example/\"\n"]
        for i in 0..<6 { texts["content/blog/p\(i).md"] = "---\ntitle: P\(i)\ndate: 2020-01-01\ntags: [x\(i % 2)]\n---\nBody.\n" }
        var forward = MemoryFileSystem(texts)
        try forward.addDefaultTheme()
        var backward = forward
        backward.reorder = { $0.sorted().reversed() }
        let a = SiteBuild.run(fileSystem: forward, clock: testClock).outputs
        let b = SiteBuild.run(fileSystem: backward, clock: testClock).outputs
        #expect(!a.isEmpty)
        #expect(a == b)
    }

    @Test func outputCollisionsAreErrors() throws {
        var fileSystem = MemoryFileSystem([
            "site.toml": "title = \"T\"\nbase_url = \"https://t.example/\"\n",
            "content/pages/blog.md": "---\ntitle: Clash\n---\nText\n",
        ])
        try fileSystem.addDefaultTheme()
        let result = SiteBuild.run(fileSystem: fileSystem, clock: testClock)
        #expect(result.outputs.isEmpty)
        #expect(result.diagnostics.items.map(\.code) == ["output.collision"])
    }

    /// A file left out for differing from another only in case still holds its path: a later
    /// file at that very path collides with it, not with the one it differed from.
    @Test func aFileLeftOutForCaseStillHoldsItsPath() throws {
        var fileSystem = MemoryFileSystem([
            "site.toml": "title = \"T\"\nbase_url = \"https://t.example/\"\n",
            "content/pages/about.md": "---\ntitle: About\n---\nText\n",
            "content/pages/other.md": "---\ntitle: Other\npermalink: /About/\n---\nText\n",
            "static/About/index.html": "<p>Static</p>\n",
        ])
        try fileSystem.addDefaultTheme()
        let result = SiteBuild.run(fileSystem: fileSystem, clock: testClock)
        #expect(result.outputs.isEmpty)
        let found = result.diagnostics.items.map { "\($0.code) \($0.location?.file ?? "")" }
        #expect(found == ["output.case-collision content/pages/other.md", "output.collision static/About/index.html"])
        let collision = try #require(result.diagnostics.items.last)
        #expect(collision.message.contains("and content/pages/other.md would both be written to About/index.html"))
    }
}
