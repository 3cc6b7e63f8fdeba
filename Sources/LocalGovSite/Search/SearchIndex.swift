import Foundation

/// One thing a reader can find: a post, a page, a point of the Standard or a principle.
public struct SearchDocument: Sendable, Hashable {
    public var url: String
    public var title: String
    public var section: String
    /// `2024-03-12`, or empty when the document has no date.
    public var date: String
    public var summary: String
    /// A document changed here is no longer the body its fingerprint names.
    public var headings: [String] { didSet { bodyFingerprint = nil } }
    public var body: String {
        get {
            switch text {
            case .plain(let text): text
            case .of(let body): body.plainText
            }
        }
        set {
            text = .plain(newValue)
            bodyFingerprint = nil
        }
    }
    /// A rendered body's text stays in the body until the index reads it: a build whose store
    /// kept this document's run does not, nor reads the kept body's texts back.
    private var text: Text
    /// The fingerprint of the body `headings` and `body` were taken from, where they are one
    /// document's: the build cache knows the run of documents by it without digesting their text.
    var bodyFingerprint: Fingerprint? = nil

    private enum Text: Sendable {
        case plain(String)
        case of(RenderedMarkdown)
    }

    public init(
        url: String, title: String, section: String, date: String, summary: String, headings: [String], body: String,
        bodyFingerprint: Fingerprint? = nil
    ) {
        self.init(
            url: url, title: title, section: section, date: date, summary: summary, headings: headings, text: .plain(body),
            bodyFingerprint: bodyFingerprint)
    }

    /// A document whose headings and text are those of one rendered body.
    init(url: String, title: String, section: String, date: String, summary: String, body: RenderedMarkdown) {
        self.init(
            url: url, title: title, section: section, date: date, summary: summary, headings: body.headings.map(\.text),
            text: .of(body), bodyFingerprint: body.fingerprint)
    }

    private init(
        url: String, title: String, section: String, date: String, summary: String, headings: [String], text: Text,
        bodyFingerprint: Fingerprint?
    ) {
        self.url = url
        self.title = title
        self.section = section
        self.date = date
        self.summary = summary
        self.headings = headings
        self.text = text
        self.bodyFingerprint = bodyFingerprint
    }

    public static func == (a: SearchDocument, b: SearchDocument) -> Bool {
        (a.url, a.title, a.section, a.date, a.summary) == (b.url, b.title, b.section, b.date, b.summary) && a.headings == b.headings
            && a.bodyFingerprint == b.bodyFingerprint && a.body == b.body
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine([url, title, section, date, summary, body])
        hasher.combine(headings)
    }
}

/// The site's search index as static JSON under `/search/`, built so that one query fetches
/// little: a manifest, the term shards its words fall in, and the metadata of the results shown.
///
/// - Term shards hold posting lists (`"council": [doc, score, doc, score, …]`, doc ids as gaps
///   from the previous one). The terms, in order (of UTF-16 code units, as JavaScript compares
///   strings), are cut into consecutive runs of at most `shardBytes` (`runs` says where); the
///   manifest lists each shard's first term, so a term's shard is the last one starting at or
///   before it, and the completions of a prefix sit in one run of shards.
/// - Scores are BM25F: each field's count normalised by that field's length against its average
///   (rounded to three significant figures; `b` per field), weighted by `weights`, summed, then
///   saturated once (`k1`). They are stored as whole numbers (tenths), doubled, plus 1 when the
///   term is in the title, so the browser only adds them up and can raise documents whose title
///   has the query's words.
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
        @Sendable func counted(_ run: Range<Int>) -> TermRun {
            TermRun(documents[run].map { document in cache?.searchTerms(document) { fieldTermCounts(document) } ?? fieldTermCounts(document) })
        }
        let terms = cache?.scoredTerms(documents, ranges: ranges, counted) ?? ScoredTerms(ranges: ranges, runs: parallelMap(ranges, counted))
        cache?.keepSearchTerms(documents)

        // Each shard and vocabulary chunk is written on its own core, or, in `serve`, kept from
        // the last build while it holds the same texts: an edit writes again the few it touched.
        func written(
            _ prefix: String, _ runs: [(first: String, terms: [String])], reading texts: @Sendable ([String]) -> [String],
            _ body: @Sendable ([String]) -> String
        ) -> [(String, OutputFile)] {
            let files = parallelMap(runs) { run -> OutputFile in
                func write() -> OutputFile {
                    let text = body(run.terms)
                    return OutputFile(path: folder + "\(prefix)-\(Hash.hex(text)).json", text: text, origin: "the search index")
                }
                return cache?.searchFile(prefix + run.first, texts: texts(run.terms), write) ?? write()
            }
            return zip(runs.map(\.first), files).map { ($0, $1) }
        }
        let shardRuns = runs(terms.sorted, limit: shardBytes) { $0.utf8.count + terms.lists[$0]!.encoded.utf8.count + 4 }
        let shards = written("t", shardRuns, reading: { $0 + $0.map { terms.lists[$0]!.encoded } }) { run in
            joined(run, "{", "}") { term, text in
                JSONText.append(term, to: &text)
                text += ":"
                text += terms.lists[term]!.encoded
            }
        }
        let vocabulary = written("v", runs(terms.sorted, limit: vocabularyBytes) { $0.utf8.count + 3 }, reading: { $0 }) { run in
            joined(run, "[", "]") { term, text in JSONText.append(term, to: &text) }
        }
        cache?.keepSearchFiles(Set(shards.map { "t" + $0.0 } + vocabulary.map { "v" + $0.0 }))
        func names(_ written: [(String, OutputFile)]) -> [(String, String)] {
            written.map { first, file in (first, String(file.path.dropFirst(folder.count))) }
        }
        let (shardNames, vocabularyNames) = (names(shards), names(vocabulary))
        var files: [OutputFile] = shards.map(\.1) + vocabulary.map(\.1)
        var chunkNames: [String] = []
        for start in stride(from: 0, to: documents.count, by: chunkSize) {
            let chunk = documents[start..<min(start + chunkSize, documents.count)]
            func written() -> OutputFile {
                let body = joined(chunk, "[", "]", separator: ",\n") { document, text in
                    joined([document.url, document.title, document.section, document.date, document.summary], "[", "]", into: &text) {
                        JSONText.append($0, to: &$1)
                    }
                }
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

    /// `elements` written one after another into one string, between `open` and `close`: the
    /// index writes hundreds of thousands of values, and a string of its own for each, joined
    /// afterwards, cost more than writing them.
    static func joined<Elements: Swift.Collection>(
        _ elements: Elements, _ open: String, _ close: String, separator: String = ",",
        _ write: (Elements.Element, inout String) -> Void
    ) -> String {
        var text = ""
        joined(elements, open, close, separator: separator, into: &text, write)
        return text
    }

    static func joined<Elements: Swift.Collection>(
        _ elements: Elements, _ open: String, _ close: String, separator: String = ",", into text: inout String,
        _ write: (Elements.Element, inout String) -> Void
    ) {
        text += open
        for (index, element) in elements.enumerated() {
            if index > 0 { text += separator }
            write(element, &text)
        }
        text += close
    }

    /// Whether `path` is one of the index's files named by a hash of what they hold, whose names
    /// change with the documents: all but the manifest and the search page.
    static func isNamedByContent(_ path: String) -> Bool {
        path.hasPrefix(folder) && path.hasSuffix(".json") && path != folder + "manifest.json"
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
    struct TermRun: Equatable, Sendable {
        var lengths: [FieldCounts]
        var lists: [TermPostings]

        init(lengths: [FieldCounts], lists: [TermPostings]) {
            self.lengths = lengths
            self.lists = lists
        }

        /// From each document's counts, in order.
        init(_ documents: [TermCounts]) {
            var lists: [String: [Posting]] = [:]
            lengths = documents.enumerated().map { doc, counts in
                var length = FieldCounts()
                for (term, tf) in counts {
                    lists[term, default: []].append(Posting(doc: doc, tf: tf))
                    length.title += tf.title
                    length.headings += tf.headings
                    length.body += tf.body
                }
                return length
            }
            self.lists = lists.map { TermPostings(term: $0.key, postings: $0.value) }
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
            for list in lists {
                text += list.term
                for posting in list.postings {
                    text += "\t" + String(posting.doc) + "\t"
                    add(posting.tf)
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
                var lists: [TermPostings] = []
                while !reader.atEnd {
                    guard let term = reader.text(), !term.isEmpty else { return nil }
                    var postings: [Posting] = []
                    while reader.skip(tab) {
                        guard let doc = reader.number(), doc < lengths.count, postings.last.map({ $0.doc < doc }) ?? true,
                            reader.skip(tab), let tf = counts()
                        else { return nil }
                        postings.append(Posting(doc: doc, tf: tf))
                    }
                    guard !postings.isEmpty, reader.skip(newline) else { return nil }
                    lists.append(TermPostings(term: term, postings: postings))
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
    /// term is a run of its own), with the term it starts at (the first run starts at ""). Once
    /// a run holds half the limit, it ends after a term whose hash is a multiple of
    /// `termAnchor`: where runs end depends on the terms about them rather than on every term
    /// before, so an edit that makes one list longer writes one or two shards again, not every
    /// shard after it.
    static func runs(_ sorted: [String], limit: Int, size: (String) -> Int) -> [(first: String, terms: [String])] {
        var runs: [(first: String, terms: [String])] = []
        var current: [String] = []
        var bytes = 0
        func cut() {
            runs.append((runs.isEmpty ? "" : current[0], current))
            current = []
            bytes = 0
        }
        for term in sorted {
            let termSize = size(term)
            if !current.isEmpty, bytes + termSize > limit { cut() }
            current.append(term)
            bytes += termSize
            if bytes >= limit / 2, Hash.value(term) % termAnchor == 0 { cut() }
        }
        if !current.isEmpty || runs.isEmpty { cut() }
        return runs
    }

    static let termAnchor: UInt64 = 32
}

/// 64-bit FNV-1a: a short, stable name for content, for cache busting (not for security).
enum Hash {
    /// Over the text's own buffer: stepping through its `utf8` view cost more than the hashing,
    /// and every shard's text is hashed to name it.
    static func value(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            return hash
        }
    }

    static func hex(_ text: String) -> String {
        let digits = String(value(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
