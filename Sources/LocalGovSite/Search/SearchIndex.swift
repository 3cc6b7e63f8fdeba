import Foundation

/// One thing a reader can find: a post, a page, a point of the Standard or a principle.
public struct SearchDocument: Sendable, Hashable {
    public var url: String
    public var title: String
    public var section: String
    /// `2024-03-12`, or empty when the document has no date.
    public var date: String
    public var summary: String
    public var headings: [String]
    public var body: String
}

/// The site's search index as static JSON under `/search/`, built so that one query fetches
/// little: a manifest, the term shards its words fall in, and the metadata of the results shown.
///
/// - Term shards hold posting lists (`"council": [doc, score, doc, score, …]`, doc ids as gaps
///   from the previous one). The terms, in order (of UTF-16 code units, as JavaScript compares
///   strings), are cut into consecutive runs of about `shardBytes`; the manifest lists each
///   shard's first term, so a term's shard is the last one starting at or before it, and the
///   completions of a prefix sit in one run of shards.
/// - Scores are BM25F: each field's count normalised by that field's length against its average
///   (`b` per field), weighted by `weights`, summed, then saturated once (`k1`). They are stored
///   as whole numbers (tenths), doubled, plus 1 when the term is in the title, so the browser
///   only adds them up and can raise documents whose title has the query's words.
/// - Vocabulary chunks (`v-….json`) list the terms alone, in the same order, cut the same way:
///   a word the index lacks (a typo) is looked for one edit away in the chunks where it and its
///   likeliest mistakes would sort, without fetching any postings first.
/// - Metadata chunks hold `chunkSize` documents each: `[url, title, section, date, summary]`.
/// - Every file name carries a hash of its content, so all of them can be cached for ever; only
///   the manifest's name is fixed.
public enum SearchIndex {
    public static let folder = "search/"
    public static let version = 2
    public static let weights = (title: 3, headings: 2, body: 1)
    /// Length normalisation per field: a title is short anyway, so its length matters less.
    static let lengthNormalisation = (title: 0.5, headings: 0.5, body: 0.75)
    static let chunkSize = 20
    static let shardBytes = 24_000
    static let vocabularyBytes = 16_000
    static let k1 = 1.2
    static let b = 0.75

    public static func files(for documents: [SearchDocument], cache: BuildCache? = nil) -> [OutputFile] {
        let ranges = documentRuns(documents)
        let postingRuns = parallelMap(ranges) { run -> TermRun in
            func counted() -> TermRun {
                TermRun(documents[run].map { document in cache?.searchTerms(document) { fieldTermCounts(document) } ?? fieldTermCounts(document) })
            }
            return cache?.searchTerms(documents[run], counted) ?? counted()
        }
        cache?.keepSearchTerms(documents)
        let lengths = postingRuns.flatMap(\.lengths)
        // Posting lists are gathered in partitions by a term's first byte, each on its own core;
        // every partition holds whole lists, in document order. Each partition reads every
        // run's terms, so there are only as many as there are cores.
        let partitions = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let postings = parallelMap(Array(0..<partitions)) { part -> [(String, [(doc: Int, tf: FieldCounts)])] in
            var lists: [String: [(doc: Int, tf: FieldCounts)]] = [:]
            for (run, postingRun) in zip(ranges, postingRuns) {
                for (term, list) in postingRun.lists where Int(term.utf8.first ?? 0) % partitions == part {
                    lists[term, default: []].append(contentsOf: list.lazy.map { (run.lowerBound + $0.doc, $0.tf) })
                }
            }
            return Array(lists)
        }.flatMap { $0 }
        func average(_ field: KeyPath<FieldCounts, Int>) -> Double {
            max(1, Double(lengths.reduce(0) { $0 + $1[keyPath: field] }) / Double(max(1, lengths.count)))
        }
        let averages = (title: average(\.title), headings: average(\.headings), body: average(\.body))
        let count = Double(documents.count)

        // Scoring and writing each term's list is independent of the others: on every core. A
        // list is written as bytes: at 10,000 posts the lists hold millions of numbers, and
        // appending each to a String took a fifth of the stage.
        let lists = parallelMap(postings) { _, list -> String in
            let df = Double(list.count)
            let idf = log(1 + (count - df + 0.5) / (df + 0.5))
            var text: [UInt8] = [UInt8(ascii: "[")]
            text.reserveCapacity(2 + 8 * list.count)
            var previous = 0
            for (index, posting) in list.enumerated() {
                let length = lengths[posting.doc]
                func part(_ tf: Int, _ weight: Int, _ b: Double, _ length: Int, _ average: Double) -> Double {
                    tf == 0 ? 0 : Double(weight * tf) / (1 - b + b * Double(length) / average)
                }
                let tf =
                    part(posting.tf.title, weights.title, lengthNormalisation.title, length.title, averages.title)
                    + part(posting.tf.headings, weights.headings, lengthNormalisation.headings, length.headings, averages.headings)
                    + part(posting.tf.body, weights.body, lengthNormalisation.body, length.body, averages.body)
                let score = min(9999, max(1, Int((idf * tf * (k1 + 1) / (tf + k1) * 10).rounded())))
                if index > 0 { text.append(UInt8(ascii: ",")) }
                appendDecimal(posting.doc - previous, to: &text)
                text.append(UInt8(ascii: ","))
                appendDecimal(score * 2 + (posting.tf.title > 0 ? 1 : 0), to: &text)
                previous = posting.doc
            }
            text.append(UInt8(ascii: "]"))
            return String(decoding: text, as: UTF8.self)
        }
        let encoded = Dictionary(uniqueKeysWithValues: zip(postings.map(\.0), lists))

        var files: [OutputFile] = []
        var shardNames: [(String, String)] = []
        // In order of UTF-16 code units, as JavaScript compares strings.
        let sortedTerms = encoded.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        let shardList = runs(sortedTerms, limit: shardBytes) { $0.utf8.count + encoded[$0]!.utf8.count + 4 }
        let shardBodies = parallelMap(shardList.map { $0.1 }) { (terms: [String]) -> (String, String) in
            let body = "{" + terms.map { "\(JSONText.string($0)):\(encoded[$0]!)" }.joined(separator: ",") + "}"
            return (body, "t-\(Hash.hex(body)).json")
        }
        for ((first, _), (body, name)) in zip(shardList, shardBodies) {
            files.append(OutputFile(path: folder + name, text: body, origin: "the search index"))
            shardNames.append((first, name))
        }
        var vocabularyNames: [(String, String)] = []
        for (first, terms) in runs(sortedTerms, limit: vocabularyBytes, size: { $0.utf8.count + 3 }) {
            let body = "[" + terms.map(JSONText.string).joined(separator: ",") + "]"
            let name = "v-\(Hash.hex(body)).json"
            files.append(OutputFile(path: folder + name, text: body, origin: "the search index"))
            vocabularyNames.append((first, name))
        }
        var chunkNames: [String] = []
        for start in stride(from: 0, to: documents.count, by: chunkSize) {
            let chunk = documents[start..<min(start + chunkSize, documents.count)]
            func written() -> OutputFile {
                let body = "[" + chunk.map { document in
                    "[" + [document.url, document.title, document.section, document.date, document.summary].map(JSONText.string)
                        .joined(separator: ",") + "]"
                }.joined(separator: ",\n") + "]"
                return OutputFile(path: folder + "d-\(start / chunkSize).\(Hash.hex(body)).json", text: body, origin: "the search index")
            }
            let file = cache?.searchChunk(start / chunkSize, chunk, written) ?? written()
            files.append(file)
            chunkNames.append(String(file.path.dropFirst(folder.count)))
        }
        let manifest = """
            {"version":\(version),"documents":\(documents.count),\
            "weights":{"title":\(weights.title),"headings":\(weights.headings),"body":\(weights.body)},"titleFlag":true,\
            "chunkSize":\(chunkSize),\
            "shards":[\(shardNames.map { "[\(JSONText.string($0.0)),\(JSONText.string($0.1))]" }.joined(separator: ","))],\
            "vocabulary":[\(vocabularyNames.map { "[\(JSONText.string($0.0)),\(JSONText.string($0.1))]" }.joined(separator: ","))],\
            "chunks":[\(chunkNames.map(JSONText.string).joined(separator: ","))]}

            """
        files.append(OutputFile(path: folder + "manifest.json", text: manifest, origin: "the search index"))
        return files
    }

    /// Whether `path` is one of the index's files named by a hash of what they hold, whose names
    /// change with the documents: all but the manifest and the search page.
    static func isNamedByContent(_ path: String) -> Bool {
        path.hasPrefix(folder) && path.hasSuffix(".json") && path != folder + "manifest.json"
    }

    /// `String(number)`'s digits, for a number that is not negative, appended as bytes.
    static func appendDecimal(_ number: Int, to bytes: inout [UInt8]) {
        if number >= 10 { appendDecimal(number / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(number % 10))
    }

    /// How often a term is in each field of a document (or, summed, each field's length).
    struct FieldCounts: Sendable, Hashable {
        var title = 0
        var headings = 0
        var body = 0
    }

    /// The postings of a run of consecutive documents, numbered from 0 in the run, and each
    /// document's field lengths: the part of the index the build cache keeps. A run's terms are
    /// read back once for all its documents, a fraction of their terms one by one.
    struct TermRun: Sendable {
        var lengths: [FieldCounts]
        var lists: [(term: String, postings: [(doc: Int, tf: FieldCounts)])]

        init(lengths: [FieldCounts], lists: [(term: String, postings: [(doc: Int, tf: FieldCounts)])]) {
            self.lengths = lengths
            self.lists = lists
        }

        /// From each document's counts, in order.
        init(_ documents: [TermCounts]) {
            var lists: [String: [(doc: Int, tf: FieldCounts)]] = [:]
            lengths = documents.enumerated().map { doc, counts in
                var length = FieldCounts()
                for (term, tf) in counts {
                    lists[term, default: []].append((doc, tf))
                    length.title += tf.title
                    length.headings += tf.headings
                    length.body += tf.body
                }
                return length
            }
            self.lists = lists.map { ($0.key, $0.value) }
        }

        /// A line per document with its lengths (`title headings body`, separated by tabs), an
        /// empty line, then a line per term: the term, then each posting's document and counts.
        /// Terms are words, never holding a tab or a newline.
        func encoded() -> Data {
            var text = ""
            func add(_ counts: FieldCounts) {
                text += String(counts.title) + "\t" + String(counts.headings) + "\t" + String(counts.body)
            }
            for length in lengths {
                add(length)
                text += "\n"
            }
            text += "\n"
            for (term, postings) in lists {
                text += term
                for (doc, tf) in postings {
                    text += "\t" + String(doc) + "\t"
                    add(tf)
                }
                text += "\n"
            }
            return Data(text.utf8)
        }

        /// Nil for anything `encoded` does not write, or postings of documents the run lacks.
        /// One pass over the bytes, for every run of the site on every build.
        init?(decoding data: Data) {
            let read = data.withUnsafeBytes { raw -> TermRun? in
                var reader = LineFields(raw.bindMemory(to: UInt8.self))
                let (tab, newline) = (LineFields.tab, LineFields.newline)
                func counts() -> FieldCounts? {
                    guard let title = reader.number(), reader.skip(tab), let headings = reader.number(), reader.skip(tab),
                        let body = reader.number()
                    else { return nil }
                    return FieldCounts(title: title, headings: headings, body: body)
                }
                var lengths: [FieldCounts] = []
                while !reader.atEnd, !reader.skip(newline) {
                    guard let length = counts(), reader.skip(newline) else { return nil }
                    lengths.append(length)
                }
                var lists: [(term: String, postings: [(doc: Int, tf: FieldCounts)])] = []
                while !reader.atEnd {
                    guard let term = reader.text(), !term.isEmpty else { return nil }
                    var postings: [(doc: Int, tf: FieldCounts)] = []
                    while reader.skip(tab) {
                        guard let doc = reader.number(), doc < lengths.count, postings.last.map({ $0.doc < doc }) ?? true,
                            reader.skip(tab), let tf = counts()
                        else { return nil }
                        postings.append((doc, tf))
                    }
                    guard !postings.isEmpty, reader.skip(newline) else { return nil }
                    lists.append((term, postings))
                }
                return TermRun(lengths: lengths, lists: lists)
            }
            guard let read else { return nil }
            self = read
        }
    }

    /// The documents cut into runs of about `runLength`, each ending after a document whose
    /// address hashes to a multiple of it: where the runs end depends on the documents, not on
    /// their positions, so adding or removing one changes only the run it is in, and the build
    /// cache's copies of the others still hold.
    static func documentRuns(_ documents: [SearchDocument]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        for (index, document) in documents.enumerated() where Hash.value(document.url) % UInt64(runLength) == 0 {
            runs.append(start..<(index + 1))
            start = index + 1
        }
        if start < documents.count { runs.append(start..<documents.count) }
        return runs
    }

    static let runLength = 64

    /// Each term of a document once, with its counts. A list, not a dictionary: the index only
    /// walks it, and a list kept in the build cache reads back without hashing every term.
    typealias TermCounts = [(term: String, counts: FieldCounts)]

    /// Each term's count in each field of the document.
    static func fieldTermCounts(_ document: SearchDocument) -> TermCounts {
        var counts: [String: FieldCounts] = [:]
        for term in SearchText.terms(document.title) { counts[term, default: FieldCounts()].title += 1 }
        for heading in document.headings {
            for term in SearchText.terms(heading) { counts[term, default: FieldCounts()].headings += 1 }
        }
        // The summary and the body apart: a line break between them would only end a word.
        for text in [document.summary, document.body] {
            for term in SearchText.terms(text) { counts[term, default: FieldCounts()].body += 1 }
        }
        return counts.map { ($0.key, $0.value) }
    }

    /// Consecutive runs of the sorted terms, each at most `limit` bytes by `size` (a longer
    /// term is a run of its own), with the term it starts at (the first run starts at "").
    static func runs(_ sorted: [String], limit: Int, size: (String) -> Int) -> [(String, [String])] {
        var runs: [(String, [String])] = []
        var current: [String] = []
        var bytes = 0
        for term in sorted {
            let termSize = size(term)
            if !current.isEmpty, bytes + termSize > limit {
                runs.append((runs.isEmpty ? "" : current[0], current))
                current = []
                bytes = 0
            }
            current.append(term)
            bytes += termSize
        }
        if !current.isEmpty || runs.isEmpty { runs.append((runs.isEmpty ? "" : current[0], current)) }
        return runs
    }
}

/// 64-bit FNV-1a: a short, stable name for content, for cache busting (not for security).
enum Hash {
    static func value(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func hex(_ text: String) -> String {
        let digits = String(value(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
