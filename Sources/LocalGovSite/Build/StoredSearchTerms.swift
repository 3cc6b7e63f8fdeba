import Foundation

/// The search index's scored terms as the build store keeps them, with the key of each run of
/// documents they were gathered from: the next `build` finds the runs whose keys changed and
/// patches the terms as `serve` patches its last ones, instead of reading every run back and
/// gathering and scoring every term again.
///
/// One run of `PackedValues`: the run keys with the runs' ranges, each document's field lengths,
/// then each term in order with its postings (`KeptPostings`) and its list as the shards write
/// it. A term's postings are a run of their own, taken whole when read back and read only if an
/// edit touches the term, and written back as they were if none did: at 10,000 posts they are
/// millions of numbers, and reading and writing them all cost as much as scoring them afresh.
struct StoredSearchTerms {
    var runKeys: [Fingerprint]
    var terms: SearchIndex.ScoredTerms
}

extension StoredSearchTerms {
    func encoded() -> Data {
        var packed = PackedValues(capacity: 4 * terms.lengths.count + terms.sorted.reduce(0) { total, term in
            total + term.utf8.count + (terms.kept[term]?.values.byteCount ?? 7 * terms.lists[term]!.postings.count)
                + terms.lists[term]!.encoded.utf8.count + 16
        })
        packed.append(runKeys.count)
        for (key, range) in zip(runKeys, terms.ranges) {
            packed.append(key)
            packed.append(range.lowerBound)
            packed.append(range.upperBound)
        }
        packed.append(terms.lengths.count)
        for length in terms.lengths {
            packed.append(length.title)
            packed.append(length.headings)
            packed.append(length.body)
        }
        packed.append(terms.sorted.count)
        for term in terms.sorted {
            let list = terms.lists[term]!
            let kept = terms.kept[term] ?? KeptPostings(list.postings, list.scores)
            packed.append(term)
            packed.append(kept.count)
            packed.append(run: kept.values)
            packed.append(list.encoded)
        }
        return packed.data
    }

    /// Nil for anything `encoded` did not write: ranges that do not follow one another over
    /// every document, or terms out of order. A term's postings are checked when they are read.
    init?(decoding data: Data) {
        var reader = PackedValues.Reader(PackedValues(data: data))
        func read() throws -> StoredSearchTerms? {
            let runCount = try reader.number()
            guard runCount >= 0 else { return nil }
            var (runKeys, ranges) = ([Fingerprint](), [Range<Int>]())
            for _ in 0..<runCount {
                runKeys.append(try reader.fingerprint())
                let (lower, upper) = (try reader.number(), try reader.number())
                guard lower == (ranges.last?.upperBound ?? 0), lower < upper else { return nil }
                ranges.append(lower..<upper)
            }
            let documents = try reader.number()
            guard (0...Int.max / 3).contains(documents) else { return nil }
            let counts = try reader.numbers(3 * documents)
            let lengths = stride(from: 0, to: counts.count, by: 3).map {
                SearchIndex.FieldCounts(title: counts[$0], headings: counts[$0 + 1], body: counts[$0 + 2])
            }
            guard lengths.count == (ranges.last?.upperBound ?? 0) else { return nil }
            let termCount = try reader.number()
            guard termCount >= 0 else { return nil }
            var lists = [String: SearchIndex.ScoredList](minimumCapacity: termCount)
            var kept = [String: KeptPostings](minimumCapacity: termCount)
            var sorted: [String] = []
            sorted.reserveCapacity(termCount)
            for _ in 0..<termCount {
                let term = try reader.text()
                guard sorted.last.map({ SearchIndex.utf16Precedes($0, term) }) ?? true else { return nil }
                let count = try reader.number()
                guard count > 0 else { return nil }
                kept[term] = KeptPostings(count: count, values: try reader.run())
                lists[term] = SearchIndex.ScoredList(postings: [], scores: [], encoded: try reader.text())
                sorted.append(term)
            }
            guard reader.atEnd else { return nil }
            return StoredSearchTerms(
                runKeys: runKeys,
                terms: SearchIndex.ScoredTerms(ranges: ranges, lengths: lengths, lists: lists, sorted: sorted, kept: kept))
        }
        guard let read = try? read() else { return nil }
        self = read
    }
}

/// A term's postings and their scores as the build store keeps them: for each, the document as
/// the gap from the one before, the three counts and the score.
struct KeptPostings: Sendable {
    var count: Int
    var values: PackedValues
}

extension KeptPostings {
    init(_ postings: [SearchIndex.Posting], _ scores: [Int]) {
        var numbers: [Int] = []
        numbers.reserveCapacity(5 * postings.count)
        var previous = 0
        for (posting, score) in zip(postings, scores) {
            numbers.append(posting.doc - previous)
            numbers.append(posting.tf.title)
            numbers.append(posting.tf.headings)
            numbers.append(posting.tf.body)
            numbers.append(score)
            previous = posting.doc
        }
        self.init(count: postings.count, values: PackedValues(numbers: numbers))
    }

    /// Nil unless the values are `count` postings, in order, of documents below `documents`.
    func read(documents: Int) -> (postings: [SearchIndex.Posting], scores: [Int])? {
        var reader = PackedValues.Reader(values)
        guard count <= Int.max / 5, let numbers = try? reader.numbers(5 * count), reader.atEnd else { return nil }
        var (postings, scores, doc) = ([SearchIndex.Posting](), [Int](), 0)
        postings.reserveCapacity(count)
        scores.reserveCapacity(count)
        for start in stride(from: 0, to: numbers.count, by: 5) {
            guard numbers[start] > 0 || postings.isEmpty, (0..<documents).contains(numbers[start]) else { return nil }
            doc += numbers[start]
            guard doc < documents else { return nil }
            postings.append(
                SearchIndex.Posting(doc: doc, tf: .init(title: numbers[start + 1], headings: numbers[start + 2], body: numbers[start + 3])))
            scores.append(numbers[start + 4])
        }
        return (postings, scores)
    }
}
