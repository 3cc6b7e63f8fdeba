import Foundation
import Synchronization
import Testing

@testable import LocalGovSite

/// The fixture images of Tests/Fixtures/images (see its README): made as cameras make them,
/// with orientation, GPS and XMP.
private func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: Paths.tests.appendingPathComponent("Fixtures/images/\(name)"))
}

/// A store in memory that counts what the build made and what it found made.
private final class CountingStore: ImageStore {
    let kept = Mutex<[String: Data]>([:])
    let saves = Atomic<Int>(0)
    let hits = Atomic<Int>(0)

    func load(_ key: String) -> StoredImage? {
        guard let found = kept.withLock({ $0[key] }) else { return nil }
        hits.add(1, ordering: .relaxed)
        return StoredImage(header: found, content: .bytes(found))
    }

    func save(_ key: String, _ bytes: Data) -> OutputFile.Content {
        saves.add(1, ordering: .relaxed)
        kept.withLock { $0[key] = bytes }
        return .bytes(bytes)
    }
}

private func post(_ title: String, body: String, front: String = "") -> String {
    "---\ntitle: \(title)\ndate: 2016-03-01\n\(front)---\n\n\(body)\n"
}

/// A site in memory with texts and binary files, built with the default theme.
private func build(
    texts: [String: String], binaries: [String: Data] = [:], config: String = "", store: (any ImageStore)? = nil,
    reads: ReadLog? = nil
) throws -> BuildResult {
    var site = MemoryFileSystem(["site.toml": "title = \"T\"\nbase_url = \"https://t.example/\"\n\(config)"].merging(texts) { $1 })
    site.files.merge(binaries) { $1 }
    site.reads = reads
    try site.addDefaultTheme()
    return SiteBuild.run(fileSystem: site, clock: testClock, images: store)
}

private extension BuildResult {
    func file(_ path: String) -> Data? { outputs.first { $0.path == path }?.bytes }
    func text(_ path: String) -> String { file(path).map { String(decoding: $0, as: UTF8.self) } ?? "" }
    var warningLines: [String] { diagnostics.items.filter { $0.severity == .warning }.map(\.description) }
}

/// Every `<img …>` tag of a page.
private func imageTags(_ html: String) -> [String] {
    html.matches(of: /<img\s[^>]*>/).map { String($0.output) }
}

private func attribute(_ name: String, of tag: String) -> String? {
    guard let range = tag.range(of: " \(name)=\"") else { return nil }
    return String(tag[range.upperBound...].prefix { $0 != "\"" })
}

/// Metadata a published image must not carry: an EXIF block (where GPS lives), XMP, or a
/// PNG/WebP text chunk naming either.
private func carriesMetadata(_ bytes: Data) -> Bool {
    let markers = ["Exif\0\0", "http://ns.adobe.com/xap/", "eXIf", "EXIF", "XMP "].map { Data($0.utf8) }
    return markers.contains { bytes.range(of: $0) != nil }
}

@Suite struct ImageTests {
    @Test func aPostFolderPublishesItsImagesBesideThePageUprightWithoutMetadata() throws {
        let result = try build(
            texts: [
                "content/blog/street-works/index.md": post(
                    "Street works", body: "![A resident reporting a pothole on a phone](phone-photo.jpg)\n\n![A bar chart](chart.png)")
            ],
            binaries: [
                "content/blog/street-works/phone-photo.jpg": try fixture("phone-photo.jpg"),
                "content/blog/street-works/chart.png": try fixture("wide-chart.png"),
            ])
        #expect(result.errorLines == [])
        let photo = try #require(result.file("blog/street-works/phone-photo.jpg"))
        // Stored 1600 × 1200 with orientation 6: readers must see it upright, 1200 × 1600.
        let header = try ImageCodec.header(of: photo)
        #expect((header.width, header.height) == (1200, 1600))
        #expect(!carriesMetadata(photo))
        #expect(carriesMetadata(try fixture("phone-photo.jpg")), "the fixture itself carries EXIF, so the check can fail")
        for file in result.outputs where RasterFormat(fileName: file.path) != nil {
            #expect(!carriesMetadata(file.bytes), "\(file.path) still carries metadata")
        }

        let tags = imageTags(result.text("blog/street-works/index.html"))
        #expect(tags.count == 2)
        let first = try #require(tags.first)
        // Shown at the content column's width or the next copy up, never the 1200 px original.
        #expect(attribute("src", of: first) == "/blog/street-works/phone-photo-640.jpg")
        #expect(attribute("width", of: first) == "640")
        #expect(attribute("height", of: first) == "853")
        #expect(attribute("sizes", of: first) != nil)
        #expect(attribute("loading", of: first) == nil, "the first image may be what a reader sees first")
        let srcset = try #require(attribute("srcset", of: first))
        #expect(srcset == "/blog/street-works/phone-photo-320.jpg 320w, /blog/street-works/phone-photo-640.jpg 640w, /blog/street-works/phone-photo-960.jpg 960w, /blog/street-works/phone-photo.jpg 1200w")
        for candidate in srcset.split(separator: ",") {
            let path = String(candidate.trimmingCharacters(in: .whitespaces).split(separator: " ")[0].dropFirst())
            let copy = try #require(result.file(path), "\(path) is in srcset but not published")
            #expect(try ImageCodec.header(of: copy).width == Int(candidate.split(separator: " ")[1].dropLast()))
        }
        let second = tags[1]
        #expect(attribute("loading", of: second) == "lazy")
        #expect(attribute("decoding", of: second) == "async")
        #expect((attribute("width", of: second), attribute("height", of: second)) == ("640", "427"))

        let html = result.text("blog/street-works/index.html")
        let webp = try #require(html.firstMatch(of: /<source type="image\/webp" srcset="([^"]*)" sizes="[^"]+">/))
        #expect(webp.output.1.contains("/blog/street-works/phone-photo-320.webp 320w"))
        #expect(webp.output.1.contains("/blog/street-works/phone-photo-1200.webp 1200w"))
        #expect(try ImageCodec.header(of: #require(result.file("blog/street-works/phone-photo-960.webp"))).format == .webp)
    }

    @Test func aFileWithAFolderOfTheSameNameAndPagesAndPointsPublishTheirFilesToo() throws {
        let result = try build(
            texts: [
                "content/blog/budget.md": post("Budget", body: "![A small diagram](small.png)"),
                "content/pages/about.md": "---\ntitle: About\n---\n\n![Our badge](badge.gif) and [the notes](notes.pdf).\n",
                "content/standard/01-understand-user-needs/index.md":
                    "---\ntitle: Understand user needs\npoint: 1\nsummary: Know who uses it.\nreviewed: 2016-04-01\n---\n\n![A journey map](journey.svg)\n",
            ],
            binaries: [
                "content/blog/budget/small.png": try fixture("small.png"),
                "content/pages/about/badge.gif": try fixture("badge.gif"),
                "content/pages/about/notes.pdf": Data("%PDF-1.4\n".utf8),
                "content/standard/01-understand-user-needs/journey.svg": Data(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 450\"><title>Journey</title></svg>".utf8),
            ])
        #expect(result.errorLines == [])
        #expect(result.file("about/notes.pdf") == Data("%PDF-1.4\n".utf8))
        let small = try #require(imageTags(result.text("blog/budget/index.html")).first)
        #expect((attribute("width", of: small), attribute("height", of: small)) == ("400", "300"))
        #expect(attribute("srcset", of: small) == nil, "an image narrower than the column needs no other widths")
        let badge = try #require(imageTags(result.text("about/index.html")).first)
        #expect((attribute("src", of: badge), attribute("width", of: badge)) == ("/about/badge.gif", "80"))
        let journey = try #require(imageTags(result.text("standard/understand-user-needs/index.html")).first)
        #expect(attribute("src", of: journey) == "/standard/understand-user-needs/journey.svg")
        #expect((attribute("width", of: journey), attribute("height", of: journey)) == ("800", "450"))
        #expect(result.file("standard/understand-user-needs/journey.svg") != nil)
    }

    @Test func aDraftsFilesWaitWithItAndAStrayFileIsAWarning() throws {
        let result = try build(
            texts: [
                "content/blog/later/index.md": post("Later", body: "![A chart](chart.png)", front: "draft: true\n"),
                "content/blog/now.md": post("Now", body: "Text."),
            ],
            binaries: [
                "content/blog/later/chart.png": try fixture("small.png"),
                "content/stray/photo.jpg": try fixture("phone-photo.jpg"),
            ])
        #expect(result.errorLines == [])
        #expect(!result.outputs.contains { $0.path.hasSuffix("chart.png") })
        #expect(result.warningLines == [
            "content/stray/photo.jpg:1:1: warning: this file sits beside no post or page, so it is not published; put it in the folder of the page that uses it (content/blog/<slug>/ beside index.md, or a folder named as the page's file), or in static/ [content.unused-file]"
        ])
    }

    @Test func aTruncatedImageIsAnErrorWhereItIsUsedAndALargeOneAWarning() throws {
        let photo = try fixture("phone-photo.jpg")
        let result = try build(
            texts: ["content/blog/broken/index.md": post("Broken", body: "Text.\n\n![A cut-off photo](cut.jpg)\n\n![A whole photo](whole.jpg)")],
            binaries: [
                "content/blog/broken/cut.jpg": photo.prefix(photo.count / 2),
                "content/blog/broken/whole.jpg": photo,
            ],
            config: "[images]\nmax_bytes = 100000\n")
        // Its link is broken too, as the file is not published.
        #expect(result.errorLines.count == 2, "\(result.errorLines)")
        let error = try #require(result.errorLines.first)
        #expect(error.hasPrefix("content/blog/broken/index.md:8:1: error: the image content/blog/broken/cut.jpg cannot be read ("))
        #expect(error.hasSuffix("[image.unreadable]"))
        #expect(result.warningLines.contains { $0.hasPrefix("content/blog/broken/index.md:10:1: warning: the image content/blog/broken/whole.jpg is 271,863 bytes, more than images.max_bytes (100,000)") })
        #expect(!result.succeeded)
    }

    @Test func processedCopiesComeFromTheStoreOnTheNextBuildAndTheOutputIsIdentical() throws {
        let store = CountingStore()
        let texts = ["content/blog/a/index.md": post("A", body: "![A photo](photo.jpg)\n\n![A banner](banner.webp)")]
        let binaries = ["content/blog/a/photo.jpg": try fixture("phone-photo.jpg"), "content/blog/a/banner.webp": try fixture("banner.webp")]
        let first = try build(texts: texts, binaries: binaries, store: store)
        let made = store.saves.load(ordering: .relaxed)
        #expect(made > 5)
        #expect(store.hits.load(ordering: .relaxed) == 0)
        let second = try build(texts: texts, binaries: binaries, store: store)
        #expect(store.saves.load(ordering: .relaxed) == made, "nothing made again")
        #expect(store.hits.load(ordering: .relaxed) == made)
        #expect(first.outputs.map(\.path) == second.outputs.map(\.path))
        #expect(first.outputs.map(\.bytes) == second.outputs.map(\.bytes))
        // Without a store, libvips makes the same bytes again.
        let fresh = try build(texts: texts, binaries: binaries)
        #expect(fresh.outputs.map(\.bytes) == first.outputs.map(\.bytes))

        // Other settings are other copies.
        _ = try build(texts: texts, binaries: binaries, config: "[images]\njpeg_quality = 60\n", store: store)
        #expect(store.saves.load(ordering: .relaxed) > made)
    }

    /// With the disk store's notes, a build takes an unchanged image and its copies without
    /// reading or decoding anything; a copy whose file changed is decoded again (and made again
    /// if it no longer decodes), and a changed image is read again.
    @Test func theDiskStoresNotesSpareReadingAnUnchangedImage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-images-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let texts = ["content/blog/a/index.md": post("A", body: "![A photo](photo.jpg)\n\n![A banner](banner.webp)")]
        var binaries = ["content/blog/a/photo.jpg": try fixture("phone-photo.jpg"), "content/blog/a/banner.webp": try fixture("banner.webp")]
        func building() throws -> (result: BuildResult, read: Set<String>) {
            let log = ReadLog()
            let result = try build(texts: texts, binaries: binaries, store: DiskImageStore(folder: folder), reads: log)
            return (result, log.paths.intersection(binaries.keys))
        }
        let first = try building()
        #expect(first.read == Set(binaries.keys))
        // Read now: most outputs are files in the store, which this test damages below.
        let made = first.result.outputs.map(\.bytes)
        let second = try building()
        #expect(second.read.isEmpty)
        #expect(second.result.outputs.map(\.path) == first.result.outputs.map(\.path))
        #expect(second.result.outputs.map(\.bytes) == made)

        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name != ImageNotes.fileName {
            try Data("not an image".utf8).write(to: folder.appendingPathComponent(name))
        }
        let mended = try building()
        #expect(mended.read == Set(binaries.keys))
        #expect(mended.result.outputs.map(\.bytes) == made)
        #expect(mended.result.warningLines.contains { $0.contains("[image.cache]") })
        #expect(try building().read.isEmpty)

        binaries["content/blog/a/photo.jpg"]! += Data([0])
        #expect(try building().read == ["content/blog/a/photo.jpg"])
    }

    @Test func aDamagedCopyInTheStoreIsMadeAgainWithAWarning() throws {
        let store = CountingStore()
        let texts = ["content/blog/a/index.md": post("A", body: "![A photo](photo.jpg)")]
        let binaries = ["content/blog/a/photo.jpg": try fixture("phone-photo.jpg")]
        let good = try build(texts: texts, binaries: binaries, store: store)
        store.kept.withLock { kept in for key in kept.keys { kept[key] = Data("not an image".utf8) } }
        let mended = try build(texts: texts, binaries: binaries, store: store)
        #expect(mended.outputs.map(\.bytes) == good.outputs.map(\.bytes))
        #expect(mended.warningLines.contains { $0.contains("[image.cache]") })
    }
}

@Suite struct SharingTests {
    /// Every JSON-LD object of a page, parsed.
    private func structuredData(_ html: String) throws -> [[String: Any]] {
        try html.matches(of: /<script type="application\/ld\+json">(.*?)<\/script>/).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.output.1.utf8)) as? [String: Any])
        }
    }

    private func meta(_ html: String) -> [(String, String)] {
        html.matches(of: /<meta (?:property|name)="([^"]+)" content="([^"]*)">/).map { (String($0.output.1), String($0.output.2)) }
    }

    @Test func aPostWithAnImageHasOpenGraphATwitterCardAndBlogPosting() throws {
        let result = try build(
            texts: [
                "content/blog/card/index.md": post(
                    "Card", body: "Text.",
                    front: "summary: What we did.\nupdated: 2016-04-02\nauthors: [Priya Shah]\ntags: [open data, agile]\nimage: photo.jpg\nimage_alt: A resident on a phone\n"),
                "content/pages/about.md": "---\ntitle: About us\n---\n\nWho we are.\n",
            ],
            binaries: ["content/blog/card/photo.jpg": try fixture("phone-photo.jpg"), "static/images/card.png": try fixture("wide-chart.png")],
            config: "image = \"/images/card.png\"\nimage_alt = \"LocalGov Digital: think, do, share\"\n")
        #expect(result.errorLines == [])
        let html = result.text("blog/card/index.html")
        let properties = meta(html)
        let named = Dictionary(properties, uniquingKeysWith: { first, _ in first })
        #expect(named["og:type"] == "article")
        #expect(named["og:title"] == "Card")
        #expect(named["og:url"] == "https://t.example/blog/card/")
        #expect(named["og:site_name"] == "T")
        #expect(named["og:locale"] == "en_GB" || named["og:locale"] == "en")
        #expect(named["og:description"] == "What we did.")
        // The original is 1200 wide (upright), so it is the copy a large card shows.
        #expect(named["og:image"] == "https://t.example/blog/card/photo.jpg")
        #expect((named["og:image:width"], named["og:image:height"]) == ("1200", "1600"))
        #expect(named["og:image:alt"] == "A resident on a phone")
        #expect(named["article:published_time"] == "2016-03-01T00:00:00Z")
        #expect(named["article:modified_time"] == "2016-04-02T00:00:00Z" || named["article:modified_time"] == "2016-04-01T23:00:00Z")
        #expect(properties.filter { $0.0 == "article:tag" }.map(\.1) == ["open data", "agile"])
        #expect(named["twitter:card"] == "summary_large_image")
        #expect(named["twitter:image:alt"] == "A resident on a phone")

        let posting = try #require(try structuredData(html).first { $0["@type"] as? String == "BlogPosting" })
        #expect(posting["headline"] as? String == "Card")
        #expect(posting["datePublished"] as? String == "2016-03-01T00:00:00Z")
        let author = try #require((posting["author"] as? [[String: Any]])?.first)
        #expect(author["@type"] as? String == "Person")
        #expect(author["name"] as? String == "Priya Shah")
        #expect((posting["publisher"] as? [String: Any])?["@type"] as? String == "Organization")
        #expect((posting["image"] as? [String: Any])?["width"] as? Int == 1200)
        #expect((posting["mainEntityOfPage"] as? [String: Any])?["@id"] as? String == "https://t.example/blog/card/")

        // A page without its own image shows the site's.
        let about = result.text("about/index.html")
        let aboutNamed = Dictionary(meta(about), uniquingKeysWith: { first, _ in first })
        #expect(aboutNamed["og:type"] == "website")
        #expect(aboutNamed["og:image"] == "https://t.example/images/card.png")
        #expect((aboutNamed["og:image:width"], aboutNamed["og:image:height"]) == ("900", "600"))
        #expect(aboutNamed["og:image:alt"] == "LocalGov Digital: think, do, share")
        #expect(try structuredData(about).map { $0["@type"] as? String } == ["WebPage"])
        let home = try structuredData(result.text("index.html"))
        #expect(home.map { $0["@type"] as? String } == ["WebSite"])
        #expect(home.first?["name"] as? String == "T")
        #expect(!result.text("404.html").contains("og:"))
    }

    @Test func withoutAnyImageTheCardIsASummary() throws {
        let result = try build(texts: ["content/blog/plain.md": post("Plain", body: "Text.")])
        let named = Dictionary(meta(result.text("blog/plain/index.html")), uniquingKeysWith: { first, _ in first })
        #expect(named["twitter:card"] == "summary")
        #expect(named["og:image"] == nil)
    }

    @Test func anImageWithoutAltOrThatIsMissingIsAnErrorAtItsLine() throws {
        let result = try build(
            texts: [
                "content/blog/no-alt.md": post("No alt", body: "Text.", front: "image: chart.png\n"),
                "content/blog/missing.md": post("Missing", body: "Text.", front: "image: nowhere.png\nimage_alt: A chart\n"),
            ],
            binaries: ["content/blog/no-alt/chart.png": try fixture("small.png")])
        #expect(result.errorLines.sorted() == [
            "content/blog/missing.md:4:8: error: the sharing image \"nowhere.png\" is not a file of the site; put it beside the page (as chart.png) or in static/ (as /images/card.png), or give an https address [image.share-missing]",
            "content/blog/no-alt.md:4:8: error: \"image\" needs \"image_alt\", the words read out where the picture cannot be seen; add a line such as image_alt: \"A bar chart of visits by month, rising from 200 to 900\" [front-matter.image_alt]",
        ])
    }
}
