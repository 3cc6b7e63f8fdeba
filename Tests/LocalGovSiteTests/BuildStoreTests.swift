import Foundation
import Testing

@testable import LocalGovSite

/// What the build cache keeps on disk reads back as exactly what was kept, and nothing else
/// passes for it.
@Suite struct BuildStoreTests {
    @Test func aParseReadsBackAsTheSameDocument() throws {
        let text = """
            ---
            title: "Peer review: what we learned"
            date: 2016-06-17T09:30:00+01:00
            authors: [Ann Jones, "Sam Lee"]
            tags: [standard, peer-review]
            summary: Two weeks, fifteen points.
            image: chart.png
            image_alt: A bar chart of points with guidance
            aliases: [/2016/06/17/peer-review/]
            updated: 2016-07-01
            draft: true
            lang: cy
            permalink: /peer-review/
            mood: hopeful
            ---

            ## What we did

            See [the Standard](/standard/) and [GOV.UK](https://www.gov.uk/).

            ![A map of the councils](map.png "Councils")

            | Point | Guidance |
            |---|---|
            | 1 | Understand user needs |

            |   |   |
            |---|---|
            | a | b |
            """
        let file = SourceFile(path: "content/blog/a: b.md", text: text)
        let (parsed, diagnostics) = DocumentParser.parse(
            file, kind: .post, timeZone: TimeZone(identifier: "Europe/London")!, markdown: MarkdownOptions())
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let document = try #require(parsed)
        #expect(!document.body.links.isEmpty && !document.body.images.isEmpty && !document.body.headings.isEmpty)
        #expect(!document.body.tablesWithoutHeaders.isEmpty && !document.body.imageMark.isEmpty)
        let warning = Diagnostic(
            .warning, code: "content.link-text", "a warning", at: LocalGovSite.SourceLocation(file: file.path, line: 3), hint: "a hint")
        let stored = try #require(StoredParse.encode((.document(document), [warning])))
        let decoded = try #require(Self.readBack(stored))
        guard case .document(let read) = decoded.0 else {
            Issue.record("not a document: \(String(describing: decoded.0))")
            return
        }
        #expect(read == document)
        #expect(decoded.1 == [warning])
        // Documents are packed by hand, field by field: a new field must be packed too.
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        #expect(labels(document) == ["path", "kind", "metadata", "body", "summary", "point", "revision", "profile", "fields"])
        #expect(
            labels(document.metadata) == [
                "title", "date", "authors", "authorsLocation", "tags", "summary", "updated", "image", "draft", "slug", "language",
                "permalink", "aliases", "importedUnedited", "extra",
            ])
        for (damaged, what) in [(stored.head.dropLast(2), "cut short"), (stored.head + [0], "a byte too many")] {
            #expect(StoredParse.decode(damaged, texts: { BodyTexts.Texts(html: "", plainText: "") }) == nil, "\(what)")
        }
        #expect(StoredParse.texts(stored.texts.dropLast(2)) == nil, "cut short")
        #expect(StoredParse.texts(stored.texts + [0]) == nil, "a byte too many")
        // The texts are apart from the rest, the HTML as it is: quotes and line ends without escapes.
        #expect(stored.head.range(of: Data(document.body.plainText.utf8)) == nil)
        #expect(stored.texts.range(of: Data(document.body.html.utf8)) != nil)
    }

    /// A stored parse read back as a build reads it: the head, then the texts when asked for
    /// (damaged texts make a body that equals no other).
    static func readBack(_ stored: (head: Data, texts: Data)) -> SiteBuild.ParseResult? {
        StoredParse.decode(stored.head) { StoredParse.texts(stored.texts) ?? BodyTexts.Texts(html: "damaged", plainText: "damaged") }
    }

    /// Every content file of the sample site, of every kind (posts, pages, points of the
    /// Standard, profiles, collection items, principle sets, the members list), reads back as it
    /// was parsed.
    @Test func everySampleFilesParseReadsBackAsParsed() throws {
        let site = LocalFileSystem(root: Paths.repository)
        let config = try #require(SiteConfigParser.load(from: site).0)
        let (types, _) = ContentTypes.load(config: config, from: site)
        let settings = BuildCache.ParseSettings(types: types, markdown: MarkdownOptions(), timeZone: config.timeZone)
        var kinds: Set<String> = []
        for path in try site.files(under: "content") {
            guard let kind = ContentKind(path: path, types: types) else { continue }
            let parsed = SiteBuild.parse(SourceFile(path: path, text: String(decoding: try site.read(path), as: UTF8.self)), kind: kind, settings)
            let stored = try #require(StoredParse.encode(parsed), "\(path)")
            let decoded = try #require(Self.readBack(stored), "\(path)")
            #expect(decoded.1 == parsed.1, "\(path)")
            switch (parsed.0, decoded.0) {
            case (.document(let made)?, .document(let read)?):
                #expect(read == made && read.body.hasReferences == made.body.hasReferences, "\(path)")
                kinds.insert(made.point != nil ? "point" : made.profile != nil ? "profile" : made.fields.isEmpty ? "\(made.kind)" : "item")
            case (.principleSet(let made)?, .principleSet(let read)?):
                #expect(read == made, "\(path)")
                kinds.insert("principles")
            case (.members(let made)?, .members(let read)?):
                #expect(read == made, "\(path)")
                kinds.insert("members")
            default: Issue.record("\(path) read back as another kind of parse")
            }
        }
        #expect(kinds.isSuperset(of: ["post", "page", "point", "profile", "item", "principles", "members", "home"]), "\(kinds)")
    }

    /// A body's locations are kept with its file written once; one in another file, a negative
    /// line and a body with nothing in its lists come back as they were.
    @Test func aBodysLocationsReadBackWhateverTheirFile() throws {
        let here = LocalGovSite.SourceLocation(file: "content/a.md", line: 3, column: 1)
        let bodies = [
            RenderedMarkdown(
                html: "<h2 id=\"a\">A</h2>", headings: [Heading(level: 2, text: "A", id: "a", location: here)],
                links: [MarkdownLink(destination: "/x/", text: "x", location: .init(file: "content/b.md", line: -2, column: 7))],
                images: [MarkdownImage(source: "m.png", alt: "A map", title: "", location: .init(file: "", line: 0, column: 0))],
                firstParagraph: "", plainText: "A", tablesWithoutHeaders: [here], imageMark: "t"),
            RenderedMarkdown(
                html: "", headings: [], links: [], images: [], firstParagraph: "", plainText: "", tablesWithoutHeaders: [], imageMark: ""),
        ]
        for body in bodies {
            #expect(try BinaryCoding.decode(RenderedMarkdown.self, from: BinaryCoding.encode(body)) == body)
        }
    }

    /// Bytes kept in the store come back only while their file is as it was written.
    @Test func keptBytesChangedOnDiskAreNotReturned() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let key = Fingerprint.sha256(of: Data("key".utf8))
        do {
            let store = try #require(BuildStore.inSite(root, tool: "tests").0)
            store.keep(on: .parses, key: key, origin: "content/a.md") { Data("kept".utf8) }
            try store.commit()
            #expect(store.data(on: .parses, key: key) == Data("kept".utf8))
            #expect(store.data(on: .searchTerms, key: key) == nil)
        }
        do {
            let store = try #require(BuildStore.inSite(root, tool: "tests").0)
            #expect(store.data(on: .parses, key: key) == Data("kept".utf8))
            try Data("kEpt".utf8).write(to: store.folder.appendingPathComponent("parses/\(key)"))
            #expect(store.data(on: .parses, key: key) == nil)
        }
    }

    /// An entry in two parts gives its head at once and its rest when asked; while its file keeps
    /// its stamp only the head is read, and after a change the rest comes only if the file is
    /// still what was written.
    @Test func aTwoPartEntryReadsItsRestLaterAndOnlyAsWritten() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let (key, head) = (Fingerprint.sha256(of: Data("key".utf8)), Data(repeating: 7, count: 20_000))
        let rest = Data("the texts".utf8)
        do {
            let store = try #require(BuildStore.inSite(root, tool: "tests").0)
            store.keep(on: .parses, key: key, origin: "content/a.md") { BuildStore.twoParts(head, rest) }
            try store.commit()
        }
        let file = root.appendingPathComponent(BuildStore.location + "/parses/\(key)")
        let store = try #require(BuildStore.inSite(root, tool: "tests").0)
        // A head longer than the first read, and a rest read after the head.
        let (readHead, readRest) = try #require(store.head(on: .parses, key: key))
        #expect(readHead == head)
        #expect(readRest() == rest)
        #expect(store.head(on: .searchTerms, key: key) == nil)
        // Written again with the same bytes: the stamp changed, the bytes are checked and pass,
        // and the head read next checks them whole and notes the new stamp.
        let (_, sameRest) = try #require(store.head(on: .parses, key: key))
        try BuildStore.twoParts(head, rest).write(to: file, options: .atomic)
        #expect(sameRest() == rest)
        #expect(store.head(on: .parses, key: key)?.head == head)
        // Changed after its head was read: the rest is refused.
        let (_, laterRest) = try #require(store.head(on: .parses, key: key))
        try BuildStore.twoParts(head, Data("the textS".utf8)).write(to: file, options: .atomic)
        #expect(laterRest() == nil)
        #expect(store.head(on: .parses, key: key) == nil)
        // Bytes that are not two parts.
        let other = Fingerprint.sha256(of: Data("other".utf8))
        store.keep(on: .parses, key: other, origin: "content/b.md") { Data([200, 0, 0, 0, 0, 0, 0, 0, 1]) }
        try store.commit()
        #expect(store.head(on: .parses, key: other) == nil)
    }

    /// A kept parse whose file changes after its head was read gives its body's texts by parsing
    /// the content file again; where that cannot be read either, the texts are empty and the
    /// build is told, with an error naming the file.
    @Test func aKeptBodyChangedDuringTheBuildIsMadeAgainOrReported() throws {
        let source = SourceFile(path: "content/blog/a.md", text: "---\ntitle: A\ndate: 2024-05-01\n---\n\nThe words of A.\n")
        let settings = BuildCache.ParseSettings(
            types: ContentTypes(all: []), markdown: MarkdownOptions(), timeZone: TimeZone(identifier: "Europe/London")!)
        let parse = { @Sendable (file: SourceFile) in SiteBuild.parse(file, kind: .post, settings) }
        let digest = Fingerprint.sha256(of: Data(source.text.utf8))
        guard case .document(let parsed)? = parse(source).0 else {
            Issue.record("not a document")
            return
        }
        for readable in [true, false] {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            do {
                let store = try #require(BuildStore.inSite(root, tool: "tests").0)
                _ = BuildCache(store: store).parse(.read(source, digest: digest), kind: .post, settings, reading: { .success(source) }, parse)
                try store.commit()
            }
            let store = try #require(BuildStore.inSite(root, tool: "tests").0)
            let cache = BuildCache(store: store)
            let read = { @Sendable () -> Result<SourceFile, LoadError> in
                readable ? .success(source) : .failure(.unreadable(path: source.path, reason: "gone"))
            }
            guard case .document(let kept)? = cache.parse(.unchanged(path: source.path, digest: digest), kind: .post, settings, reading: read, parse).0
            else {
                Issue.record("no kept document")
                return
            }
            #expect(cache.takeCounters().parseReused == 1)
            let folder = store.folder.appendingPathComponent("parses")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
            let file = folder.appendingPathComponent(name)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count - 3] ^= 1
            try bytes.write(to: file, options: .atomic)
            #expect(kept.body.html == (readable ? parsed.body.html : ""), "readable: \(readable)")
            #expect(cache.lostBodies().map(\.code) == (readable ? [] : ["cache.lost"]), "readable: \(readable)")
        }
    }

    /// A file a stopped build left in the store, without an index naming it, is neither
    /// trusted nor in the way: the entry is written whole over it.
    @Test func aFileLeftByAStoppedBuildIsWrittenOver() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let key = Fingerprint.sha256(of: Data("key".utf8))
        let store = try #require(BuildStore.inSite(root, tool: "tests").0)
        let left = store.folder.appendingPathComponent("parses/\(key)")
        try Data("half a fi".utf8).write(to: left)
        #expect(store.data(on: .parses, key: key) == nil)
        store.keep(on: .parses, key: key, origin: "content/a.md") { Data("the whole entry".utf8) }
        try store.commit()
        #expect(store.data(on: .parses, key: key) == Data("the whole entry".utf8))
        #expect(try Data(contentsOf: left) == Data("the whole entry".utf8))
    }

    /// The notes (texts by version, inputs checks found nothing in) come back for the next
    /// build of the same tool, and only while their bytes are the ones it wrote.
    @Test func notesReadBackOnlyAsWritten() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let version = FileVersion(modified: timespec(tv_sec: 1_700_000_000, tv_nsec: 5), changed: timespec(tv_sec: -3, tv_nsec: 0), size: 12)
        let digest = Fingerprint.sha256(of: Data("text".utf8))
        let key = Fingerprint.sha256(of: Data("inputs".utf8))
        do {
            let store = try #require(BuildStore.inSite(root, tool: "tests").0)
            store.keepText(of: "content/a.md", version: version, digest: digest)
            store.noteNothingFound(.links, in: key)
            try store.commit()
        }
        func reopened(tool: String = "tests") throws -> (text: Fingerprint?, linksClean: Bool, contentClean: Bool) {
            let store = try #require(BuildStore.inSite(root, tool: tool).0)
            let read = (store.text(of: "content/a.md", version: version), store.foundNothing(.links, in: key), store.foundNothing(.content, in: key))
            try store.commit()
            return read
        }
        #expect(try reopened() == (digest, true, false))
        #expect(try reopened() == (digest, true, false), "kept by a build that used them")
        let notes = root.appendingPathComponent(BuildStore.location).appendingPathComponent(StoreNotes.fileName)
        var bytes = try Data(contentsOf: notes)
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: notes)
        #expect(try reopened() == (nil, false, false), "a byte changed")
    }

    @Test func theIndexReadsBackAndRefusesWhatItDidNotWrite() {
        let digest = { (text: String) in Fingerprint.sha256(of: Data(text.utf8)) }
        let entries: [BuildStore.Shelf: [Fingerprint: BuildStore.Entry]] = [
            .pages: [
                digest("k1"): .init(
                    origin: "content/blog/tab\there\\new\nline.md", size: 12, sha256: digest("ab"),
                    stamp: .init(inode: 42, modified: 1_700_000_000_123_456_789))
            ],
            .searchTerms: [digest("k2"): .init(origin: "the search index", size: 0, sha256: digest("cd"), stamp: nil)],
            // A Windows line end inside a name, and a file dated before 1970.
            .parses: [
                digest("k3"): .init(
                    origin: "content/blog/crlf\r\nname.md", size: 7, sha256: digest("ef"),
                    stamp: .init(inode: 7, modified: -5_000_000_000))
            ],
        ]
        let data = StoreIndex.encode(tool: "localgov 1.0 (abc)", shelves: entries)
        guard case .entries(let read) = StoreIndex.decode(data, tool: "localgov 1.0 (abc)") else {
            Issue.record("not read back")
            return
        }
        #expect(read == entries)
        guard case .foreign(let madeBy) = StoreIndex.decode(data, tool: "localgov 1.1") else {
            Issue.record("another tool's index was read")
            return
        }
        #expect(madeBy == "localgov 1.0 (abc)")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.split(separator: "\n").count == 4, "one line for the header and one per entry")
        guard case .foreign("an older localgov") = StoreIndex.decode(Data("localgov build cache 3\tan older localgov\n".utf8), tool: "x")
        else {
            Issue.record("an index of another format was not named")
            return
        }
        let broken = [
            text.replacingOccurrences(of: "\t12\t", with: "\ttwelve\t"), text.replacingOccurrences(of: "\t12\t", with: "\t-12\t"),
            text.replacingOccurrences(of: "\t42\t", with: "\t99999999999999999999\t"), text + "pages\tk3\n", "{}", "",
            text.replacingOccurrences(of: digest("k1").description, with: digest("k1").description.uppercased()),
            text.replacingOccurrences(of: digest("ab").description, with: "ab"),
        ]
        for broken in broken {
            guard case .unreadable = StoreIndex.decode(Data(broken.utf8), tool: "localgov 1.0 (abc)") else {
                Issue.record("read: \(broken)")
                continue
            }
        }
    }
}
