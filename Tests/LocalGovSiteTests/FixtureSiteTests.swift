import Foundation
import Testing

@testable import LocalGovSite

/// Whole-site tests on the fixture sites: exact output for the valid one, exact diagnostics
/// for each invalid one. `UPDATE_GOLDEN=1 swift test` re-records; review the diff before committing.
@Suite struct FixtureSiteTests {
    static let recording = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
    static let golden = Paths.tests.appendingPathComponent("Fixtures/golden/basic")

    @Test func basicSiteMatchesGoldenOutput() throws {
        let result = SiteBuild.run(fileSystem: LocalFileSystem(root: Paths.site("basic")), clock: testClock)
        #expect(result.diagnostics.items.isEmpty, "\(result.diagnostics.items)")
        // Theme assets change with the design; the golden tree is about what the generator writes.
        let outputs = result.outputs.filter { !$0.path.hasPrefix("assets/") }
        #expect(outputs.count > 20)

        if Self.recording {
            try? FileManager.default.removeItem(at: Self.golden)
            try OutputWriter.write(outputs, to: Self.golden)
        }
        let expected = try LocalFileSystem(root: Self.golden).files(under: ".").map { String($0.dropFirst(2)) }
        #expect(Set(outputs.map(\.path)) == Set(expected))
        for file in outputs {
            let golden = try? Data(contentsOf: Self.golden.appendingPathComponent(file.path))
            #expect(golden == file.bytes, "\(file.path) differs from Tests/Fixtures/golden/basic; run UPDATE_GOLDEN=1 swift test and review the diff")
        }
    }

    static var invalidCases: [String] {
        let folder = Paths.sites.appendingPathComponent("invalid")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test(arguments: invalidCases)
    func invalidSiteReportsExactDiagnostics(_ name: String) throws {
        let root = Paths.sites.appendingPathComponent("invalid/\(name)")
        let result = SiteBuild.run(fileSystem: LocalFileSystem(root: root), clock: testClock)
        #expect(!result.succeeded)
        #expect(result.outputs.isEmpty)
        let actual = result.diagnostics.sorted.map(\.description).joined(separator: "\n") + "\n"
        let expectedFile = root.appendingPathComponent("expected.txt")
        if Self.recording { try actual.write(to: expectedFile, atomically: true, encoding: .utf8) }
        #expect(actual == (try String(contentsOf: expectedFile, encoding: .utf8)))
    }

    @Test func feedsAreAbsoluteAndDatedFromTheNewestPost() throws {
        let result = SiteBuild.run(fileSystem: LocalFileSystem(root: Paths.site("basic")), clock: testClock)
        let rss = try #require(result.outputs.first { $0.path == "blog/feed.xml" }).bytes
        let text = String(decoding: rss, as: UTF8.self)
        #expect(text.contains("<lastBuildDate>Wed, 15 Jan 2025 09:30:00 +0000</lastBuildDate>"))
        #expect(text.contains("href=&quot;https://fixture.example.org/about/&quot;"))
        #expect(!text.contains("href=&quot;/"))
        let atom = String(decoding: try #require(result.outputs.first { $0.path == "blog/atom.xml" }).bytes, as: UTF8.self)
        #expect(atom.contains("<updated>2025-01-15T09:30:00Z</updated>"))
        #expect(atom.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://fixture.example.org/blog/atom.xml\"/>"))
    }
}
