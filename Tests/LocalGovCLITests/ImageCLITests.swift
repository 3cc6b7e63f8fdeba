import Foundation
import Testing

@testable import LocalGovSite

/// A site of posts with photos as phones leave them (GPS positions, camera, rotated), built by
/// the real binary: what readers download must say nothing of where a photo was taken, and every
/// page must lay out before its images arrive.
@Suite(.serialized) struct ImageCLITests {
    static let exiftool = URL(fileURLWithPath: "/usr/bin/exiftool")

    /// Runs exiftool (Debian's libimage-exiftool-perl, which `scripts/test` installs).
    static func exiftool(_ arguments: [String]) throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: exiftool.path), "exiftool is missing; run scripts/test, which installs it")
        let process = Process()
        process.executableURL = exiftool
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    /// The basic fixture site plus `posts` post folders, each with a JPEG, a PNG and a WebP from
    /// the fixtures, every one given its own GPS position, and every other JPEG turned sideways.
    static func photoSite(posts: Int) throws -> URL {
        let site = try CLITests.copySite("basic")
        let images = CLITests.tests.appendingPathComponent("Fixtures/images")
        for number in 1...posts {
            let folder = site.appendingPathComponent("content/blog/photos-\(number)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in ["phone-photo.jpg", "wide-chart.png", "banner.webp"] {
                try FileManager.default.copyItem(at: images.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
            let latitude = 50 + Double(number) / 10
            _ = try exiftool(
                ["-overwrite_original", "-GPSLatitude=\(latitude)", "-GPSLatitudeRef=N", "-GPSLongitude=1.5", "-GPSLongitudeRef=W",
                 "-Orientation#=\(number % 2 == 0 ? 6 : 1)", folder.appendingPathComponent("phone-photo.jpg").path,
                 folder.appendingPathComponent("wide-chart.png").path, folder.appendingPathComponent("banner.webp").path])
            let text = """
                ---
                title: Photos from the peer group, visit \(number)
                date: 2025-0\(1 + number % 9)-1\(number % 10)
                authors: [Ann Jones]
                summary: What we saw on visit \(number).
                image: phone-photo.jpg
                image_alt: A resident reporting a pothole on a phone, visit \(number)
                ---

                ![A resident reporting a pothole on a phone](phone-photo.jpg)

                Between the pictures, what we learned.

                ![A bar chart of reports by month](wide-chart.png)

                ![A banner of the peer group's visit](banner.webp)

                """
            try text.write(to: folder.appendingPathComponent("index.md"), atomically: true, encoding: .utf8)
        }
        return site
    }

    @Test func photosArePublishedWithoutTheirPositionAndEveryImageHasItsSize() throws {
        let site = try Self.photoSite(posts: 6)
        let gpsIn = { (folder: URL) in
            try Self.exiftool(["-r", "-q", "-if", "defined $GPSLatitude", "-p", "$Directory/$FileName", folder.path])
                .split(separator: "\n")
        }
        #expect(try gpsIn(site.appendingPathComponent("content/blog")).count == 18, "every source photo carries a position")

        let run = try CLITests.localgov(["build"], in: site)
        #expect(run.status == 0, "\(run.stderr)")
        let public_ = site.appendingPathComponent("public")
        #expect(try gpsIn(public_) == [])
        let metadata = try Self.exiftool(["-r", "-q", "-if", "defined $Make or defined $XMP:Creator", "-p", "$FileName", public_.path])
        #expect(metadata.isEmpty, "camera or XMP data left in \(metadata)")

        var pagesWithImages = 0
        for path in try LocalFileSystem(root: public_).files(under: ".") where path.hasSuffix(".html") {
            let html = try String(contentsOf: public_.appendingPathComponent(path), encoding: .utf8)
            for tag in html.matches(of: /<img\s[^>]*>/).map({ String($0.output) }) {
                #expect(tag.contains(" width=\"") && tag.contains(" height=\""), "\(path): \(tag)")
                if tag.contains(" srcset=") { #expect(tag.contains(" sizes=\""), "\(path): \(tag)") }
            }
            for source in html.matches(of: /<source\s[^>]*>/) { #expect(source.output.contains(" sizes=\""), "\(path)") }
            for script in html.matches(of: /<script type="application\/ld\+json">([^<]*)<\/script>/) {
                #expect((try? JSONSerialization.jsonObject(with: Data(script.output.1.utf8))) is [String: Any], "\(path)")
            }
            if html.contains("<picture>") { pagesWithImages += 1 }
        }
        #expect(pagesWithImages == 6)

        // An upright photo on every page, whichever way the camera stored it.
        let page = try String(contentsOf: public_.appendingPathComponent("blog/photos-2/index.html"), encoding: .utf8)
        #expect(page.contains("<meta property=\"og:image\" content=\"https://fixture.example.org/blog/photos-2/phone-photo.jpg\">"))
        #expect(page.contains("<meta property=\"og:image:width\" content=\"1200\">"))
        #expect(page.contains("<meta property=\"og:image:height\" content=\"1600\">"))
        let rotated = try ImageCodec.header(of: Data(contentsOf: public_.appendingPathComponent("blog/photos-2/phone-photo.jpg")))
        #expect((rotated.width, rotated.height) == (1200, 1600))
        let level = try ImageCodec.header(of: Data(contentsOf: public_.appendingPathComponent("blog/photos-1/phone-photo.jpg")))
        #expect((level.width, level.height) == (1600, 1200))
    }

    @Test func aRebuildTakesEveryCopyFromTheCacheAndWritesTheSameSite() throws {
        let site = try Self.photoSite(posts: 3)
        #expect(try CLITests.localgov(["build"], in: site).status == 0)
        let cache = site.appendingPathComponent(".localgov/cache/images")
        // The copies: the store's notes beside them are written again by every build.
        func copies() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0 != ImageNotes.fileName }.sorted() }
        let kept = try copies()
        #expect(kept.count > 30)
        let first = try CLITests.snapshot(site.appendingPathComponent("public"))
        let stamps = try kept.map { try FileManager.default.attributesOfItem(atPath: cache.appendingPathComponent($0).path)[.modificationDate] as? Date }

        #expect(try CLITests.localgov(["build"], in: site).status == 0)
        #expect(try copies() == kept)
        let again = try kept.map { try FileManager.default.attributesOfItem(atPath: cache.appendingPathComponent($0).path)[.modificationDate] as? Date }
        #expect(again == stamps, "no copy was made again")
        #expect(try CLITests.snapshot(site.appendingPathComponent("public")) == first)

        // A cache of another machine's making, damaged, is made again, not published.
        for name in kept { try Data("junk".utf8).write(to: cache.appendingPathComponent(name)) }
        let mended = try CLITests.localgov(["build"], in: site)
        #expect(mended.status == 0)
        #expect(mended.stderr.contains("[image.cache]"))
        #expect(try CLITests.snapshot(site.appendingPathComponent("public")) == first)
    }

    @Test func aTruncatedPhotoFailsTheBuildAtItsLineAndLeavesTheLastSite() throws {
        let site = try Self.photoSite(posts: 1)
        #expect(try CLITests.localgov(["build"], in: site).status == 0)
        let before = try CLITests.snapshot(site.appendingPathComponent("public"))
        let photo = site.appendingPathComponent("content/blog/photos-1/phone-photo.jpg")
        let bytes = try Data(contentsOf: photo)
        try bytes.prefix(bytes.count * 2 / 3).write(to: photo)
        let run = try CLITests.localgov(["build"], in: site)
        #expect(run.status == 1)
        #expect(run.stderr.contains("content/blog/photos-1/index.md:10:1: error: the image content/blog/photos-1/phone-photo.jpg cannot be read ("))
        #expect(try CLITests.snapshot(site.appendingPathComponent("public")) == before)
    }
}
