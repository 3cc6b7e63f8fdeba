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
        let termCounts = parallelMap(documents) { document in
            cache?.searchTerms(document) { fieldTermCounts(document) } ?? fieldTermCounts(document)
        }
        cache?.keepSearchTerms(documents)
        let lengths = termCounts.map { counts in
            counts.reduce(into: FieldCounts()) { $0.title += $1.counts.title; $0.headings += $1.counts.headings; $0.body += $1.counts.body }
        }
        // Posting lists are gathered in partitions by a term's first byte, each on its own core;
        // every partition holds whole lists, in document order. Each partition reads every
        // document's terms, so there are only as many as there are cores.
        let partitions = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let postings = parallelMap(Array(0..<partitions)) { part -> [(String, [(doc: Int, tf: FieldCounts)])] in
            var lists: [String: [(doc: Int, tf: FieldCounts)]] = [:]
            for (doc, counts) in termCounts.enumerated() {
                for (term, tf) in counts where Int(term.utf8.first ?? 0) % partitions == part {
                    lists[term, default: []].append((doc, tf))
                }
            }
            return Array(lists)
        }.flatMap { $0 }
        func average(_ field: KeyPath<FieldCounts, Int>) -> Double {
            max(1, Double(lengths.reduce(0) { $0 + $1[keyPath: field] }) / Double(max(1, lengths.count)))
        }
        let averages = (title: average(\.title), headings: average(\.headings), body: average(\.body))
        let count = Double(documents.count)

        // Scoring and writing each term's list is independent of the others: on every core.
        let lists = parallelMap(postings) { _, list -> String in
            let df = Double(list.count)
            let idf = log(1 + (count - df + 0.5) / (df + 0.5))
            var text = "["
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
                if index > 0 { text += "," }
                text += String(posting.doc - previous)
                text += ","
                text += String(score * 2 + (posting.tf.title > 0 ? 1 : 0))
                previous = posting.doc
            }
            return text + "]"
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
            let body = "[" + chunk.map { document in
                "[" + [document.url, document.title, document.section, document.date, document.summary].map(JSONText.string)
                    .joined(separator: ",") + "]"
            }.joined(separator: ",\n") + "]"
            let name = "d-\(start / chunkSize).\(Hash.hex(body)).json"
            files.append(OutputFile(path: folder + name, text: body, origin: "the search index"))
            chunkNames.append(name)
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

    /// How often a term is in each field of a document (or, summed, each field's length).
    struct FieldCounts: Sendable, Hashable {
        var title = 0
        var headings = 0
        var body = 0

        /// A document's counts as the build cache keeps them: a line per term, `term title
        /// headings body`, separated by tabs. Terms are words, never holding a tab or a newline,
        /// and this reads back ten times faster than the same counts as JSON.
        static func encode(_ counts: TermCounts) -> Data {
            var text = ""
            for (term, tf) in counts {
                text += term + "\t" + String(tf.title) + "\t" + String(tf.headings) + "\t" + String(tf.body) + "\n"
            }
            return Data(text.utf8)
        }

        /// Nil for anything `encode` does not write. One pass over the bytes: a document's few
        /// hundred terms, for every document of the site, on every build.
        static func decode(_ data: Data) -> TermCounts? {
            data.withUnsafeBytes { raw -> TermCounts? in
                let bytes = raw.bindMemory(to: UInt8.self)
                var counts: TermCounts = []
                var position = 0
                func number(endingWith end: UInt8) -> Int? {
                    var value = 0
                    let start = position
                    while position < bytes.count, bytes[position] != end {
                        let digit = Int(bytes[position]) - 48
                        guard (0...9).contains(digit), position - start < 9 else { return nil }
                        value = value * 10 + digit
                        position += 1
                    }
                    guard position < bytes.count, position > start else { return nil }
                    position += 1
                    return value
                }
                while position < bytes.count {
                    let start = position
                    while position < bytes.count, bytes[position] != UInt8(ascii: "\t"), bytes[position] != UInt8(ascii: "\n") {
                        position += 1
                    }
                    guard position < bytes.count, position > start, bytes[position] == UInt8(ascii: "\t") else { return nil }
                    guard let term = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    else { return nil }
                    position += 1
                    guard let title = number(endingWith: UInt8(ascii: "\t")), let headings = number(endingWith: UInt8(ascii: "\t")),
                        let body = number(endingWith: UInt8(ascii: "\n"))
                    else { return nil }
                    counts.append((term, FieldCounts(title: title, headings: headings, body: body)))
                }
                return counts
            }
        }
    }

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
        for term in SearchText.terms(document.summary + "\n" + document.body) { counts[term, default: FieldCounts()].body += 1 }
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
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
