import Foundation
import Testing

@testable import LocalGovSite

@Suite struct SearchTests {
    struct Vectors: Decodable {
        var words: [Case]
        var terms: [Case]

        struct Case: Decodable {
            var input: String
            var expected: [String]

            init(from decoder: Decoder) throws {
                var pair = try decoder.unkeyedContainer()
                input = try pair.decode(String.self)
                expected = try pair.decode([String].self)
            }
        }
    }

    static let vectors: Vectors = {
        let url = Paths.tests.appendingPathComponent("Fixtures/search/vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    @Test(arguments: vectors.words.indices)
    func wordsMatchTheSharedVectors(_ index: Int) {
        let vector = Self.vectors.words[index]
        #expect(SearchText.words(vector.input) == vector.expected, "\(vector.input)")
    }

    @Test(arguments: vectors.terms.indices)
    func termsMatchTheSharedVectors(_ index: Int) {
        let vector = Self.vectors.terms[index]
        #expect(SearchText.terms(vector.input) == vector.expected, "\(vector.input)")
    }

    /// The words of a text split the plainest way, scalar by scalar: the reference the byte
    /// splitter is checked against on text mixing ASCII with characters of two, three and four
    /// bytes, apostrophes, combining marks and separators.
    static func plainWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" || scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current += scalar.isASCII ? String(scalar).lowercased() : SearchText.fold(scalar).map(String.init).joined()
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A document made from a rendered body is known by the body's fingerprint, and reads the
    /// body's text only when asked; changed afterwards, it is known by its text again.
    @Test func aDocumentChangedAfterItsBodyIsNoLongerKnownByTheBody() {
        let body = Markdown.render("## Bins\n\nCollected weekly.\n", startingAt: SourceLocation(file: "a.md"), options: MarkdownOptions())
        let document = SearchDocument(url: "/a/", title: "A", section: "Blog", date: "", summary: "", body: body)
        #expect(document.bodyFingerprint == body.fingerprint && document.body == body.plainText && document.headings == ["Bins"])
        var edited = document
        edited.body += " And fortnightly."
        #expect(edited.bodyFingerprint == nil && edited.body == body.plainText + " And fortnightly.")
        var retitled = document
        retitled.headings = ["Recycling"]
        #expect(retitled.bodyFingerprint == nil && retitled.body == body.plainText)
    }

    @Test func wordsSplitAsThePlainWayDoes() {
        let pieces = ["Council", "s", "'", "\u{2019}", " ", "-", "Ŵyl", "é", "e\u{301}", "ß", "日本", "\u{1F3F4}", "½", "٣", "9", "\n", "Straße", "İ",
            "the", "A", "Their", "yn", "gyda", "which"]
        var generator = ListingOrderTests.SeededGenerator(state: 21)
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(SearchText.words(text) == Self.plainWords(text), "\(text.debugDescription)")
            #expect(SearchText.terms(text) == Self.plainWords(text).filter { !SearchText.stopWords.contains($0) }.map(SearchText.stem))
        }
    }

    @Test func postingListsAreWrittenAsStringWritesTheirNumbers() {
        var generator = ListingOrderTests.SeededGenerator(state: 7)
        let numbers = [0, 1, 9, 10, 99, 100, 19_998] + (0..<1000).map { _ in Int.random(in: 0...1_000_000, using: &generator) }
        // Each number is a gap between documents once, and a score once (the largest too).
        let gaps = numbers
        let scores = numbers.reversed() + [Int.max]
        var doc = 0
        let postings = (gaps + [1]).map { gap in
            doc += gap
            return SearchIndex.Posting(doc: doc, tf: SearchIndex.FieldCounts())
        }
        let expected = "[" + zip(gaps + [1], scores).map { "\($0),\($1)" }.joined(separator: ",") + "]"
        #expect(SearchIndex.written(postings, scores) == expected)
        #expect(SearchIndex.written([], []) == "[]")
    }

    static func document(_ title: String, body: String, headings: [String] = []) -> SearchDocument {
        SearchDocument(
            url: "/\(Slug.make(title))/", title: title, section: "Blog", date: "2025-01-01", summary: "", headings: headings,
            body: body)
    }

    /// Reads the index back the way the browser does: manifest, shards, chunks.
    struct Decoded {
        var manifest: [String: Any]
        var postings: [String: [Int: Int]] = [:]
        var documents: [[String]] = []

        init(_ files: [OutputFile]) throws {
            func json(_ path: String) throws -> Any {
                try JSONSerialization.jsonObject(with: try #require(files.first { $0.path == path }).bytes)
            }
            manifest = try #require(try json("search/manifest.json") as? [String: Any])
            for shard in try #require(manifest["shards"] as? [[String]]) {
                let terms = try #require(try json("search/" + shard[1]) as? [String: [Int]])
                for (term, list) in terms {
                    var doc = 0
                    for pair in stride(from: 0, to: list.count, by: 2) {
                        doc += list[pair]
                        postings[term, default: [:]][doc] = list[pair + 1]
                    }
                }
            }
            for chunk in try #require(manifest["chunks"] as? [String]) {
                documents += try #require(try json("search/" + chunk) as? [[String]])
            }
        }
    }

    @Test func theIndexHoldsEveryTermWithScoresThatFavourTitlesAndRareWords() throws {
        let documents = [
            Self.document("Council tax discounts", body: "How to apply for a discount on your bill."),
            Self.document("Bins and recycling", body: "The council collects bins weekly. Council tax pays for it."),
            Self.document("Parking permits", body: "Residents apply online.", headings: ["Council car parks"]),
            Self.document("Libraries", body: "Opening hours."),
            Self.document("Roads", body: "Report a pothole."),
            Self.document("Schools", body: "Apply for a place."),
        ]
        let files = SearchIndex.files(for: documents)
        #expect(files.allSatisfy { $0.path.hasPrefix("search/") })
        let index = try Decoded(files)
        #expect(index.manifest["documents"] as? Int == 6)
        #expect(index.documents.map(\.[1]) == documents.map(\.title))
        #expect(index.documents[0] == ["/council-tax-discounts/", "Council tax discounts", "Blog", "2025-01-01", ""])

        #expect(Set(index.postings["council"]!.keys) == [0, 1, 2])
        // In a title, a word weighs three times what it weighs in the body; in a heading, twice.
        let council = index.postings["council"]!
        #expect(council[0]! > council[2]!)
        #expect(council[2]! > council[1]! / 2)
        // A rare word scores more than a common one in the same place.
        #expect(index.postings["discount"]![0]! > council[0]!)
        #expect(index.postings["the"] == nil)
        #expect(index.postings["bin"]![1] != nil)
    }

    @Test func shardsAreConsecutiveRunsAndNamedByTheirContent() throws {
        var documents: [SearchDocument] = []
        for n in 0..<400 {
            documents.append(Self.document("Post \(n) about word\(n)", body: "Unique term\(n) and shared words for everyone."))
        }
        let files = SearchIndex.files(for: documents)
        let index = try Decoded(files)
        let shards = try #require(index.manifest["shards"] as? [[String]])
        #expect(shards.count > 1)
        #expect(shards[0][0] == "")
        let starts = shards.map(\.[0])
        #expect(starts == starts.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) })
        // Every term sits in the last shard starting at or before it.
        for shard in shards {
            let terms = try #require(try JSONSerialization.jsonObject(with: files.first { $0.path == "search/" + shard[1] }!.bytes) as? [String: Any])
            for term in terms.keys {
                let expected = shards.last { !term.utf16.lexicographicallyPrecedes($0[0].utf16) }!
                #expect(expected[1] == shard[1], "\(term)")
            }
            let bytes = files.first { $0.path == "search/" + shard[1] }!.text
            #expect(shard[1] == "t-\(Hash.hex(bytes)).json")
        }
        #expect(index.postings.count > 800)
        // The same documents give the same files, byte for byte.
        #expect(SearchIndex.files(for: documents) == files)
    }

    @Test func jsonStringsEscapeWhatJSONAndJavaScriptNeed() throws {
        #expect(JSONText.string("a\"b\\c\nd\u{1}\u{2028}é") == "\"a\\\"b\\\\c\\nd\\u0001\\u2028é\"")
        // Curly quotes and dashes start with the byte U+2028 starts with, and are left as they are.
        #expect(JSONText.string("“It’s—\u{2029}\u{1F}”") == "\"“It’s—\\u2029\\u001f”\"")
        for text in ["", "’", "\u{2028}", "a\u{2029}", "—\"\u{7}\r\t\\", "\u{E2}x", "plain"] {
            var written = "["
            JSONText.append(text, to: &written)
            written += "]"
            #expect(try JSONDecoder().decode([String].self, from: Data(written.utf8)) == [text], "\(text.debugDescription)")
        }
    }

    static func generated(_ count: Int) -> [SearchDocument] {
        (0..<count).map { index in
            SearchDocument(
                url: "/blog/post-\(index)/", title: "Post \(index) about bins", section: "Blog", date: "2024-01-01",
                summary: "A summary.", headings: index % 3 == 0 ? ["Recycling \(index)"] : [],
                body: "Council waste word\(index % 50) and word\(index % 7) collection day \(index).")
        }
    }

    /// Runs end where documents say, not where their positions fall: after an edit or an
    /// addition only one or two runs are counted again, and the index is the clean build's.
    @Test func anEditOrAnAdditionCountsOnlyTheRunItIsIn() throws {
        let documents = Self.generated(1000)
        let runs = SearchIndex.documentRuns(documents)
        #expect(runs.count > 5 && runs.count < 40, "\(runs.count) runs of 1000 documents")
        #expect(runs.first?.lowerBound == 0 && runs.last?.upperBound == 1000)
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })

        let cache = BuildCache()
        let first = SearchIndex.files(for: documents, cache: cache)
        #expect(first == SearchIndex.files(for: documents))
        #expect(cache.takeCounters().searchRunsCounted == runs.count)
        #expect(SearchIndex.files(for: documents, cache: cache) == first)
        let again = cache.takeCounters()
        #expect(again.searchRunsCounted == 0 && again.searchRunsReused == runs.count)

        var edited = documents
        edited[500].body += " Garden waste."
        #expect(SearchIndex.files(for: edited, cache: cache) == SearchIndex.files(for: edited))
        #expect(cache.takeCounters().searchRunsCounted == 1)

        let added = [SearchDocument(url: "/blog/new/", title: "New", section: "Blog", date: "2024-02-01", summary: "", headings: [], body: "Fresh words.")] + edited
        #expect(SearchIndex.files(for: added, cache: cache) == SearchIndex.files(for: added))
        #expect((1...2).contains(cache.takeCounters().searchRunsCounted))
    }

    /// An edit that leaves the runs where they were, and the rounded average lengths as they
    /// were, scores again only the lists of the terms it touched; one that moves the averages
    /// scores them all. Either way the index is the clean build's, byte for byte. In `serve` the
    /// last build's terms are in memory; with a store, each build opens it afresh, as each
    /// `localgov build` does, and counts only the run an edit is in.
    @Test(arguments: [RandomEditTests.CacheKind.memory, .disk])
    func anEditScoresAgainOnlyTheListsItTouches(kind: RandomEditTests.CacheKind) throws {
        var documents = Self.generated(1000)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("search-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let memory = BuildCache()
        var opened: BuildCache?
        func files() throws -> [OutputFile] {
            if let store = opened?.store { try store.commit() }
            // The last build's store lets go of its lock before the next opens it.
            opened = nil
            let cache = kind == .memory ? memory : BuildCache(store: BuildStore.inSite(root, tool: "tests").0)
            opened = cache
            return SearchIndex.files(for: documents, cache: cache)
        }
        var cache: BuildCache { opened! }
        _ = try files()
        let all = cache.takeCounters().searchListsScored
        #expect(all > 100)
        let edits: [(String, (inout [SearchDocument]) -> Void)] = [
            ("a word new to the index", { $0[500].body = $0[500].body.replacingOccurrences(of: "waste", with: "zymurgy") }),
            ("that word gone again", { $0[500].body = $0[500].body.replacingOccurrences(of: "zymurgy", with: "waste") }),
            ("a title", { $0[7].title = "Post 7 about gardens" }),
            ("a heading", { $0[3].headings = ["Composting 3"] }),
            // Every term of the post scores differently, not only the word added.
            ("a longer body", { $0[600].body += " Bins." }),
        ]
        for (step, edit) in edits {
            edit(&documents)
            #expect(try files() == SearchIndex.files(for: documents), "\(step)")
            let counters = cache.takeCounters()
            #expect(counters.searchListsScored > 0 && counters.searchListsScored < all / 10, "\(step): \(counters.searchListsScored) of \(all) lists scored again")
            if kind == .disk { #expect(counters.searchRunsCounted + counters.searchRunsReused == 1, "\(step): only the edited run") }
        }
        #expect(try files() == SearchIndex.files(for: documents), "no change")
        #expect(cache.takeCounters().searchListsScored == 0, "no change")
        for index in documents.indices { documents[index].body += " And a longer body." }
        #expect(try files() == SearchIndex.files(for: documents), "every body longer")
        #expect(cache.takeCounters().searchListsScored >= all, "every body longer")
        documents.insert(SearchDocument(url: "/blog/new/", title: "New", section: "Blog", date: "2024-02-01", summary: "", headings: [], body: "Fresh words."), at: 0)
        #expect(try files() == SearchIndex.files(for: documents), "a document added, which moves the runs")
        #expect(cache.takeCounters().searchListsScored >= all, "a document added, which moves the runs")
        documents[900].body = documents[900].body.replacingOccurrences(of: "Council", with: "Parish")
        #expect(try files() == SearchIndex.files(for: documents), "an edit after the runs moved")
        #expect(cache.takeCounters().searchListsScored < all / 10, "an edit after the runs moved")
    }

    /// Scored terms kept by the store read back as they were, and kept postings only while
    /// they are what was written; damaged bytes are refused.
    @Test func keptScoredTermsReadBackAndAnythingElseIsRefused() throws {
        let documents = Self.generated(300)
        let ranges = SearchIndex.documentRuns(documents)
        let runs = ranges.map { range in SearchIndex.TermRun(documents[range].map(SearchIndex.fieldTermCounts)) }
        let terms = SearchIndex.ScoredTerms(ranges: ranges, runs: runs)
        let keys = ranges.map { _ in Fingerprint.sha256(of: Data(UUID().uuidString.utf8)) }
        let bytes = StoredSearchTerms(runKeys: keys, terms: terms).encoded()
        let read = try #require(StoredSearchTerms(decoding: bytes))
        #expect(read.runKeys == keys)
        #expect(read.terms.ranges == ranges && read.terms.lengths == terms.lengths && read.terms.sorted == terms.sorted)
        for term in terms.sorted {
            let kept = try #require(read.terms.kept[term]?.read(documents: documents.count))
            #expect(kept.postings == terms.lists[term]!.postings && kept.scores == terms.lists[term]!.scores, "\(term)")
            #expect(read.terms.lists[term]?.encoded == terms.lists[term]!.encoded, "\(term)")
            #expect(read.terms.kept[term]?.read(documents: 1) == nil || terms.lists[term]!.postings.allSatisfy { $0.doc == 0 })
        }
        // Written again as it was read, without reading the postings.
        #expect(StoredSearchTerms(runKeys: keys, terms: read.terms).encoded() == bytes)
        #expect(StoredSearchTerms(decoding: bytes.dropLast()) == nil, "cut short")
        #expect(StoredSearchTerms(decoding: bytes + [0]) == nil, "a byte too many")
        #expect(StoredSearchTerms(decoding: Data("not terms".utf8)) == nil)
    }

    @Test func aRunsPostingsReadBackAndAnythingElseIsRefused() throws {
        let run = SearchIndex.TermRun([
            [("council", .init(title: 1, headings: 0, body: 4)), ("ŵyn", .init(title: 0, headings: 2, body: 1))], [],
            [("council", .init(title: 0, headings: 0, body: 2))],
        ])
        func described(_ run: SearchIndex.TermRun) -> [String] {
            run.lengths.map { "\($0)" } + run.lists.map { list in "\(list.term) \(list.postings.map { "\($0.doc) \($0.tf)" })" }.sorted()
        }
        let decoded = try #require(SearchIndex.TermRun(decoding: run.encoded()))
        #expect(described(decoded) == described(run))
        #expect(decoded.lengths.map(\.body) == [5, 0, 2])
        let garbage = [
            "1\t0\t4\n\ncouncil\t1\t1\t0\t4\n",  // a document the run lacks
            "1\t0\t4\n\ncouncil\t0\t1\t0\n",  // counts cut short
            "1\t0\t4\n\ncouncil\n",  // a term without postings
            "1\t0\t4\n1\t0\t4\n\ncouncil\t1\t1\t0\t4\t0\t1\t0\t4\n",  // documents out of order
            "1\t0\t4\n\ncouncil\t0\t1\t0\t4",  // no line end
            "1\t0\n", "{\"council\": 1}",
        ]
        for text in garbage { #expect(SearchIndex.TermRun(decoding: Data(text.utf8)) == nil, "\(text)") }
    }
}

extension OutputFile {
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
