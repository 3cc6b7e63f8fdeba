import Foundation
import Testing

@testable import LocalGovSite

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Our sanitiser against a reference, nh3 (the Python binding of Rust's ammonia), over a hostile
/// corpus: `Tests/Scripts/check_sanitiser.py` cleans each input with nh3 under our own
/// allow-list, parses both outputs as a browser does, and fails on any dangerous feature in
/// ours, saying whether the reference removed it. The corpus is `Tests/Fixtures/hostile/` plus
/// the HTML bodies of the feed fixtures.
@Suite struct SanitiserDifferentialTests {
    /// What relative URLs resolve against: a member's post; none, which the API allows; and a
    /// hostile one, since a feed's `xml:base` can say anything.
    static let bases: [URL?] = [
        URL(string: "https://member.example/blog/post")!, nil, URL(string: "javascript:alert(1)//member.example/")!,
    ]
    static let fixtures = Paths.tests.appendingPathComponent("Fixtures")

    @Test func oursKeepsNothingDangerous() throws {
        let inputs = try Self.hostileVectors() + Self.feedBodies()
        let records = inputs.map { input in
            Record(input: input, ours: Self.bases.map { HTMLSanitiser.sanitise(html: input, base: $0).html })
        }
        let run = Run(allowlist: .ours, bases: Self.bases.map { $0?.absoluteString }, records: records)
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("sanitiser-differential-\(UUID().uuidString).json")
        try JSONEncoder().encode(run).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let check = try Self.runChecker(on: file)
        #expect(check.status == 0, "\(check.output)")
        // The summary proves the script read every record rather than stopping early.
        #expect(check.output.contains("\(inputs.count) vectors, \(Self.bases.count) bases;"), "\(check.output)")
    }

    /// What the script reads: our allow-list, to configure nh3 with, and for each input our
    /// output under each base.
    struct Run: Encodable {
        var allowlist: AllowlistSpec
        var bases: [String?]
        var records: [Record]
    }

    struct Record: Encodable {
        var input: String
        var ours: [String]
    }

    struct AllowlistSpec: Encodable {
        var tags: [String]
        var attributes: [String: [String]]
        var cleanContentTags: [String]
        var urlSchemes: [String]

        static let ours: AllowlistSpec = {
            let tags = Allowlist.phrasing.union(Allowlist.flow).sorted()
            return AllowlistSpec(
                tags: tags,
                attributes: Dictionary(uniqueKeysWithValues: tags.map { ($0, Allowlist.attributes(of: $0)) }),
                cleanContentTags: Allowlist.droppedWithContent.sorted(),
                urlSchemes: SafeURL.allowedSchemes.sorted())
        }()
    }

    /// `xss-vectors.json`: groups, each with a name saying what its vectors attack.
    struct Corpus: Decodable {
        struct Group: Decodable { var vectors: [String] }
        var groups: [Group]
    }

    static func hostileVectors() throws -> [String] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("hostile/xss-vectors.json"))
        let vectors = try JSONDecoder().decode(Corpus.self, from: data).groups.flatMap(\.vectors)
        try #require(!vectors.isEmpty, "the hostile corpus is empty")
        return vectors
    }

    /// The HTML each feed fixture carries in its entries (descriptions, `content:encoded`, Atom
    /// content and summaries, JSON Feed's `content_html`), as the sanitiser is given it.
    static func feedBodies() throws -> [String] {
        let folder = fixtures.appendingPathComponent("feeds")
        var bodies: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let file = folder.appendingPathComponent(name)
            bodies += try name.hasSuffix(".json") ? jsonFeedBodies(file) : xmlFeedBodies(file)
        }
        try #require(!bodies.isEmpty, "no HTML found in the feed fixtures")
        return bodies
    }

    private static func jsonFeedBodies(_ file: URL) throws -> [String] {
        struct Feed: Decodable {
            struct Item: Decodable { var content_html: String? }
            var items: [Item]
        }
        return try JSONDecoder().decode(Feed.self, from: Data(contentsOf: file)).items.compactMap(\.content_html)
    }

    private static func xmlFeedBodies(_ file: URL) throws -> [String] {
        let document = try XMLDocument(contentsOf: file, options: [])
        let entries = "//*[local-name()='item' or local-name()='entry']"
        let bodies = ["description", "encoded", "content", "summary"].map { "local-name()='\($0)'" }
            .joined(separator: " or ")
        return try document.nodes(forXPath: "\(entries)/*[\(bodies)]").compactMap { node in
            guard let element = node as? XMLElement else { return nil }
            // Atom XHTML content is markup, not text: its div's children, written out. (Looked up
            // by hand: `attribute(forName:)` misses attributes of namespaced elements on Linux.)
            if element.attributes?.first(where: { $0.name == "type" })?.stringValue == "xhtml" {
                let div = element.children?.first { $0.kind == .element }
                return (div?.children ?? []).map(\.xmlString).joined()
            }
            return element.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// Runs the check with the test venv's Python, which `scripts/test` creates with nh3 and html5lib.
    static func runChecker(on file: URL) throws -> (status: Int32, output: String) {
        let python = ProcessInfo.processInfo.environment["LOCALGOV_TEST_PYTHON"]
            .map { URL(fileURLWithPath: $0) } ?? Paths.repository.appendingPathComponent(".build/test-venv/bin/python3")
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "no Python with nh3 and html5lib at \(python.path); run scripts/test, which creates it")
        let process = Process()
        process.executableURL = python
        process.arguments = [Paths.tests.appendingPathComponent("Scripts/check_sanitiser.py").path, file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Read to the end before waiting, so a long report cannot fill the pipe and stall the script.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
