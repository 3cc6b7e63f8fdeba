import Foundation
import Testing

@testable import LocalGovSite

/// `localgov import`: a blog moved into an empty folder, imported again without changing
/// anything, an edited file kept until `--force`, and exports that cannot be read.
extension CLITests {
    static let importFixtures = tests.appendingPathComponent("Fixtures/import")

    /// The counts of the table the import ends with, by row.
    static func importCounts(_ stdout: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in stdout.split(separator: "\n") {
            guard let row = line.firstMatch(of: /^([a-z][a-z ]*[a-z])  +(\d+)(  |$)/) else { continue }
            counts[String(row.output.1)] = Int(row.output.2)
        }
        return counts
    }

    /// Every file of an import's golden folder, as the import must have written it.
    static func expectGoldenImport(_ name: String, in site: URL) throws {
        let golden = importFixtures.appendingPathComponent("expected/\(name)")
        for path in try LocalFileSystem(root: golden).files(under: ".") {
            let written = try? Data(contentsOf: site.appendingPathComponent(path))
            #expect(written == (try Data(contentsOf: golden.appendingPathComponent(path))), "\(path)")
        }
    }

    @Test func wordPressImportIntoAnEmptyFolderThenAgainChangesNothing() throws {
        let folder = try Self.emptyFolder()
        let export = Self.importFixtures.appendingPathComponent("wordpress.xml").path
        let uploads = Self.importFixtures.appendingPathComponent("uploads").path
        let arguments = ["import", "wordpress", export, "--uploads", uploads, "--site", "new site"]
        let first = try Self.localgov(arguments, in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.isEmpty, "\(first.stderr)")
        let counts = Self.importCounts(first.stdout)
        #expect(
            counts == [
                "posts": 8, "pages": 2, "drafts": 4, "future posts": 1, "skipped": 6, "comments skipped": 3,
                "shortcodes left": 1, "uploads copied": 4, "uploads left remote": 1, "images without alt": 2,
                "files written": 15, "files unchanged": 0, "files kept": 0, "files replaced": 0,
            ], "\(first.stdout)")
        #expect(first.stdout.contains("drafts                   4  1 draft, 1 password-protected, 1 pending, 1 private; draft: true\n"))
        #expect(first.stdout.contains("content/blog/opening-up-our-bin-collection-data.md: shortcode [contact-form-7] left as text"))
        #expect(
            first.stdout.contains(
                "content/blog/opening-up-our-bin-collection-data.md: left on the old site: https://digital.harrowfield.gov.uk/wp-content/uploads/2016/03/missing-map.png"))

        let site = folder.appendingPathComponent("new site")
        try Self.expectGoldenImport("wordpress", in: site)
        for upload in ["2016/03/town-hall.png", "2016/03/bins-1.png", "2016/03/bins-2.png", "2016/03/bin-collections-2016.csv"] {
            let copied = try? Data(contentsOf: site.appendingPathComponent("static/uploads/\(upload)"))
            #expect(copied == (try Data(contentsOf: Self.importFixtures.appendingPathComponent("uploads/\(upload)"))), "\(upload)")
        }

        let before = try Self.snapshot(site)
        let again = try Self.localgov(arguments, in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        let againCounts = Self.importCounts(again.stdout)
        #expect(againCounts["files written"] == 0 && againCounts["files unchanged"] == 14 && againCounts["uploads copied"] == 0)
        #expect(againCounts["files kept"] == 0 && againCounts["files replaced"] == 0)
        #expect(try Self.snapshot(site) == before)
    }

    @Test func wordPressImportKeepsAnEditedFileUntilForced() throws {
        let folder = try Self.emptyFolder()
        let export = Self.importFixtures.appendingPathComponent("wordpress.xml").path
        #expect(try Self.localgov(["import", "wordpress", export], in: folder).status == 0)
        let post = folder.appendingPathComponent("content/blog/supplier-scoring.md")
        let imported = try String(contentsOf: post, encoding: .utf8)
        let edited = imported + "\nA paragraph someone added.\n"
        try edited.write(to: post, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("site.toml")
        try "title = \"Ours\"\nbase_url = \"https://ours.example/\"\n".write(to: config, atomically: true, encoding: .utf8)

        let kept = try Self.localgov(["import", "wordpress", export], in: folder)
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(Self.importCounts(kept.stdout)["files kept"] == 1)
        #expect(Self.importCounts(kept.stdout)["files unchanged"] == 9)
        #expect(kept.stdout.contains("content/blog/supplier-scoring.md: kept as it is: it differs from what the import would write (--force replaces it)"))
        #expect(try String(contentsOf: post, encoding: .utf8) == edited)

        let forced = try Self.localgov(["import", "wordpress", export, "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(Self.importCounts(forced.stdout)["files replaced"] == 1)
        #expect(Self.importCounts(forced.stdout)["files kept"] == 0)
        #expect(try String(contentsOf: post, encoding: .utf8) == imported)
        // A site's own settings are never replaced, even when forced.
        #expect(try String(contentsOf: config, encoding: .utf8).contains("Ours"))
        // Without the uploads folder, uploads stay on the old site and say so.
        #expect(forced.stdout.contains("uploads left remote      5  no --uploads folder given"), "\(forced.stdout)")
    }

    @Test func unreadableExportToImportNamesFileLineAndColumn() throws {
        let folder = try Self.emptyFolder()
        try "not xml at all\n".write(to: folder.appendingPathComponent("broken.xml"), atomically: true, encoding: .utf8)
        let broken = try Self.localgov(["import", "wordpress", "broken.xml"], in: folder)
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("broken.xml:1:1: error: the export is not well-formed XML"), "\(broken.stderr)")

        try "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>\n".write(
            to: folder.appendingPathComponent("feed.xml"), atomically: true, encoding: .utf8)
        let feed = try Self.localgov(["import", "wordpress", "feed.xml"], in: folder)
        #expect(feed.status == 1)
        #expect(feed.stderr.hasPrefix("feed.xml:2:1: error: this is an RSS feed without WordPress's export namespace"), "\(feed.stderr)")
        let asBlogger = try Self.localgov(["import", "blogger", "feed.xml"], in: folder)
        #expect(asBlogger.status == 1 && asBlogger.stderr.contains("[import.not-an-export]"))

        let noUploads = try Self.localgov(["import", "wordpress", "feed.xml", "--uploads", "no-such-folder"], in: folder)
        #expect(noUploads.status == 2 && noUploads.stderr.contains("no folder no-such-folder"))

        let missing = try Self.localgov(["import", "wordpress", "nothere.xml"], in: folder)
        #expect(missing.status == 1 && missing.stderr.contains("cannot read nothere.xml"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["broken.xml", "feed.xml"])
    }

    @Test(arguments: [("blogger.xml", "blogger", 3), ("blogger-takeout.atom", "blogger-takeout", 2)])
    func bloggerImportOfBothExports(_ file: String, _ golden: String, _ posts: Int) throws {
        let folder = try Self.emptyFolder()
        let run = try Self.localgov(["import", "blogger", Self.importFixtures.appendingPathComponent(file).path], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let counts = Self.importCounts(run.stdout)
        #expect(counts["posts"] == posts && counts["pages"] == 1 && counts["drafts"] == 1 && counts["comments skipped"] == 1)
        try Self.expectGoldenImport(golden, in: folder)
        let again = try Self.localgov(["import", "blogger", Self.importFixtures.appendingPathComponent(file).path], in: folder)
        #expect(Self.importCounts(again.stdout)["files written"] == 0)
    }
}

extension CLITests {
    /// What the importer writes builds at once: lint findings are warnings while a file is as
    /// the import wrote it, and every old address of a published post answers.
    @Test func anImportedBlogBuildsAndAnswersItsOldAddresses() throws {
        let folder = try Self.emptyFolder()
        let export = Self.importFixtures.appendingPathComponent("wordpress.xml").path
        let uploads = Self.importFixtures.appendingPathComponent("uploads").path
        #expect(try Self.localgov(["import", "wordpress", export, "--uploads", uploads], in: folder).status == 0)
        let built = try Self.localgov(["build"], in: folder)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(!built.stderr.contains(": error:"))
        #expect(built.stderr.contains("warning: the image /uploads/2016/03/bins-2.png has no alt text"))
        #expect(built.stderr.contains("(a warning while this imported file is as the import wrote it; an error once it is edited)"))

        // Every alias of a published post is a redirect page to it, or a line of the server maps.
        let site = try #require(SiteBuild.run(fileSystem: LocalFileSystem(root: folder), clock: FixedClock(Self.now)).site)
        let output = folder.appendingPathComponent("public")
        let maps = try String(contentsOf: output.appendingPathComponent("_redirects"), encoding: .utf8)
        let aliases = site.posts.flatMap(\.aliases)
        #expect(aliases.count >= site.posts.count)
        for alias in aliases {
            if let page = alias.page {
                let html = try String(contentsOf: output.appendingPathComponent(Routes.file(page)), encoding: .utf8)
                #expect(html.contains("http-equiv=\"refresh\""), "\(alias.written)")
            }
            let parts = alias.written.split(separator: "?", maxSplits: 1)
            let path = String(parts[0]).removingPercentEncoding!.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
            let query = parts.dropFirst().first.map { " " + $0.replacingOccurrences(of: "&", with: " ") } ?? ""
            #expect(maps.contains(path + query + " "), "\(alias.written) is in _redirects")
        }
        // No shortcode or block comment reaches a page.
        for (path, bytes) in try Self.snapshot(output) where path.hasSuffix(".html") {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("<!-- wp:") && !text.contains("[caption") && !text.contains("[gallery"), "\(path)")
        }

        // Once a person edits the post, its findings are errors again.
        let post = folder.appendingPathComponent("content/blog/opening-up-our-bin-collection-data.md")
        try (try String(contentsOf: post, encoding: .utf8) + "\nAn edit.\n").write(to: post, atomically: true, encoding: .utf8)
        let edited = try Self.localgov(["build"], in: folder)
        #expect(edited.status == 1)
        #expect(edited.stderr.contains("opening-up-our-bin-collection-data.md:23:1: error: the image /uploads/2016/03/bins-2.png has no alt text"))
    }
}
