import Foundation

extension SearchIndex {
    /// A document's counts of a term, the document numbered in its run or in the whole index.
    struct Posting: Equatable, Sendable {
        var doc: Int
        var tf: FieldCounts
    }

    /// A term with its postings, in document order.
    struct TermPostings: Equatable, Sendable {
        var term: String
        var postings: [Posting]
    }

    /// Each field's average length as scores use it, rounded to three significant figures: an edit
    /// to one post of thousands leaves the averages as they were, and with them the scores of
    /// every term the edit does not touch.
    struct Averages: Equatable, Sendable {
        var title: Double
        var headings: Double
        var body: Double

        init(_ lengths: [FieldCounts]) {
            func average(_ field: KeyPath<FieldCounts, Int>) -> Double {
                let exact = max(1, Double(lengths.reduce(0) { $0 + $1[keyPath: field] }) / Double(max(1, lengths.count)))
                let scale = pow(10, 2 - floor(log10(exact)))
                return (exact * scale).rounded() / scale
            }
            title = average(\.title)
            headings = average(\.headings)
            body = average(\.body)
        }
    }

    /// A term's postings over the whole index, each one's stored score, and the list as the
    /// shards write it.
    struct ScoredList: Sendable {
        var postings: [Posting]
        var scores: [Int]
        var encoded: String

        init(postings: [Posting], scores: [Int], encoded: String) {
            self.postings = postings
            self.scores = scores
            self.encoded = encoded
        }

        /// Scored and written whole.
        init(_ postings: [Posting], lengths: [FieldCounts], averages: Averages) {
            self.postings = postings
            scores = SearchIndex.scores(postings[...], df: postings.count, lengths: lengths, averages: averages)
            encoded = SearchIndex.written(postings, scores)
        }

        /// With only the postings at `stale` scored again, which is all a change needs while the
        /// term's document frequency and the averages are the same.
        func rescored(at stale: [Range<Int>], lengths: [FieldCounts], averages: Averages) -> ScoredList {
            var list = self
            for range in stale {
                list.scores.replaceSubrange(
                    range, with: SearchIndex.scores(postings[range], df: postings.count, lengths: lengths, averages: averages))
            }
            list.encoded = SearchIndex.written(postings, list.scores)
            return list
        }
    }

    /// Every term of the index with its scored list, and the terms in order: what the shards are
    /// cut from. `serve` keeps the last build's and, while the runs of documents stay where they
    /// were, scores again only the terms an edit touched.
    struct ScoredTerms: Sendable {
        var ranges: [Range<Int>]
        var runs: [TermRun]
        var lengths: [FieldCounts]
        var averages: Averages
        var lists: [String: ScoredList]
        /// In order of UTF-16 code units, as JavaScript compares strings.
        var sorted: [String]
        /// The postings and scores of lists as a build store kept them, not read yet: their
        /// `lists` entries hold only the written list. `build` reads back the few an edit touches.
        var kept: [String: KeptPostings] = [:]

        /// Gathered from every run and scored on every core. Lists are gathered in partitions by
        /// a term's first byte, each on its own core; every partition reads every run's terms,
        /// so there are only as many as there are cores.
        init(ranges: [Range<Int>], runs: [TermRun]) {
            self.ranges = ranges
            self.runs = runs
            lengths = runs.flatMap(\.lengths)
            let averages = Averages(lengths)
            self.averages = averages
            let partitions = max(1, ProcessInfo.processInfo.activeProcessorCount)
            let lengths = lengths
            let scored = parallelMap(Array(0..<partitions)) { part -> [(String, ScoredList)] in
                var gathered: [String: [Posting]] = [:]
                for (range, run) in zip(ranges, runs) {
                    for list in run.lists where Int(list.term.utf8.first ?? 0) % partitions == part {
                        gathered[list.term, default: []].append(
                            contentsOf: list.postings.lazy.map { Posting(doc: range.lowerBound + $0.doc, tf: $0.tf) })
                    }
                }
                return gathered.map { term, postings in (term, ScoredList(postings, lengths: lengths, averages: averages)) }
            }
            lists = Dictionary(uniqueKeysWithValues: scored.joined())
            sorted = lists.keys.sorted(by: utf16Precedes)
        }

        /// As kept from an earlier build, without the runs they were gathered from.
        init(ranges: [Range<Int>], lengths: [FieldCounts], lists: [String: ScoredList], sorted: [String], kept: [String: KeptPostings]) {
            self.ranges = ranges
            runs = []
            self.lengths = lengths
            averages = Averages(lengths)
            self.lists = lists
            self.sorted = sorted
            self.kept = kept
        }

        /// Brings these terms up to a build whose runs start and end where they did: the postings
        /// of runs that differ are put in place of the old ones, and only the terms whose postings
        /// or documents' lengths changed are scored again; of those, only the postings put in,
        /// unless the term's document frequency changed. Every list is scored again if the rounded
        /// averages moved. In place, as the lists of a large site are a copy worth not making.
        /// Returns how many lists were scored again; nil, changing nothing, when the runs moved:
        /// the terms are then made from nothing.
        mutating func patch(ranges: [Range<Int>], runs: [TermRun]) -> Int? {
            guard ranges == self.ranges, runs.count == self.runs.count else { return nil }
            // Unchanged runs are the very arrays kept last time, which compare at once.
            let changed = runs.indices.filter { runs[$0] != self.runs[$0] }.map { (index: $0, old: self.runs[$0], new: runs[$0]) }
            self.runs = runs
            return patch(changed)
        }

        /// Puts the postings of the runs at `index` in place of `old`, as `patch(ranges:runs:)`
        /// does; `build` knows which runs changed by their keys, and keeps no other run in memory.
        /// Nil, changing nothing, when a run does not hold as many documents as its range; nil
        /// too when a list the store kept cannot be read back, and these terms are then to be
        /// made from nothing.
        mutating func patch(_ changed: [(index: Int, old: TermRun, new: TermRun)]) -> Int? {
            for run in changed {
                guard ranges.indices.contains(run.index), run.old.lengths.count == ranges[run.index].count,
                    run.new.lengths.count == ranges[run.index].count
                else { return nil }
            }
            let lastAverages = averages
            for run in changed { lengths.replaceSubrange(ranges[run.index], with: run.new.lengths) }
            // Each touched term's document frequency before this build, and the stretches of
            // its list put in. Runs are taken in order, so a later stretch never moves an earlier one.
            var touched: [String: (df: Int, stale: [Range<Int>])] = [:]
            for (index, lastRun, run) in changed.sorted(by: { $0.index < $1.index }) {
                let range = ranges[index]
                let old = Dictionary(lastRun.lists.map { ($0.term, $0.postings) }, uniquingKeysWith: { first, _ in first })
                let new = Dictionary(run.lists.map { ($0.term, $0.postings) }, uniquingKeysWith: { first, _ in first })
                let resized = Set(run.lengths.indices.filter { lastRun.lengths[$0] != run.lengths[$0] })
                func holdsResized(_ postings: [Posting]?) -> Bool {
                    !resized.isEmpty && (postings ?? []).contains { resized.contains($0.doc) }
                }
                let changed = Set(old.keys).union(new.keys).filter { term in
                    old[term] != new[term] || holdsResized(old[term]) || holdsResized(new[term])
                }
                for term in changed {
                    guard var list = taken(term) else { return nil }
                    let start = list.postings.partitioningIndex { $0.doc >= range.lowerBound }
                    let end = list.postings.partitioningIndex { $0.doc >= range.upperBound }
                    let added = (new[term] ?? []).map { Posting(doc: range.lowerBound + $0.doc, tf: $0.tf) }
                    touched[term, default: (list.postings.count, [])].stale.append(start..<start + added.count)
                    list.postings.replaceSubrange(start..<end, with: added)
                    list.scores.replaceSubrange(start..<end, with: repeatElement(0, count: added.count))
                    if !list.postings.isEmpty { lists[term] = list }
                }
            }
            averages = Averages(lengths)
            if averages != lastAverages {
                for term in Array(kept.keys) {
                    guard let list = taken(term) else { return nil }
                    lists[term] = list
                }
            }
            let rescored = averages == lastAverages ? touched.keys.filter { lists[$0] != nil } : Array(lists.keys)
            // The lists are handed over on their own: a copy of the dictionary held here would
            // make the writes below copy all of it.
            let (jobs, newLengths, newAverages) = (rescored.map { (lists[$0]!, touched[$0]) }, lengths, averages)
            let scored = parallelMap(jobs) { list, change in
                guard let change, change.df == list.postings.count, newAverages == lastAverages else {
                    return ScoredList(list.postings, lengths: newLengths, averages: newAverages)
                }
                return list.rescored(at: change.stale, lengths: newLengths, averages: newAverages)
            }
            for (term, list) in zip(rescored, scored) { lists[term] = list }
            // A word new to the index, or gone from it, is put in or taken out of the order.
            for term in touched.keys {
                let position = sorted.partitioningIndex { !utf16Precedes($0, term) }
                let listed = position < sorted.count && sorted[position] == term
                if lists[term] == nil, listed {
                    sorted.remove(at: position)
                } else if lists[term] != nil, !listed {
                    sorted.insert(term, at: position)
                }
            }
            return rescored.count
        }

        /// The list of `term` taken out to be changed, with its kept postings read back; an empty
        /// one for a term new to the index; nil where kept postings cannot be read back.
        private mutating func taken(_ term: String) -> ScoredList? {
            var list = lists.removeValue(forKey: term) ?? ScoredList([], lengths: [], averages: averages)
            if let kept = kept.removeValue(forKey: term) {
                guard let (postings, scores) = kept.read(documents: lengths.count) else { return nil }
                list.postings = postings
                list.scores = scores
            }
            return list
        }
    }

    /// The stored score of each posting in `postings`, of a term in `df` documents. Scores are
    /// BM25F: each field's count normalised by that field's length against its average,
    /// weighted, summed, then saturated once. They are stored as whole numbers (tenths), doubled,
    /// plus 1 when the term is in the title.
    static func scores(_ postings: ArraySlice<Posting>, df: Int, lengths: [FieldCounts], averages: Averages) -> [Int] {
        let count = Double(lengths.count)
        let idf = log(1 + (count - Double(df) + 0.5) / (Double(df) + 0.5))
        return postings.map { posting in
            let length = lengths[posting.doc]
            func part(_ tf: Int, _ weight: Int, _ b: Double, _ length: Int, _ average: Double) -> Double {
                tf == 0 ? 0 : Double(weight * tf) / (1 - b + b * Double(length) / average)
            }
            let tf =
                part(posting.tf.title, weights.title, lengthNormalisation.title, length.title, averages.title)
                + part(posting.tf.headings, weights.headings, lengthNormalisation.headings, length.headings, averages.headings)
                + part(posting.tf.body, weights.body, lengthNormalisation.body, length.body, averages.body)
            let score = min(9999, max(1, Int((idf * tf * (k1 + 1) / (tf + k1) * 10).rounded())))
            return score * 2 + (posting.tf.title > 0 ? 1 : 0)
        }
    }

    /// A term's list as the shards hold it: each document as the gap from the one before, then
    /// its stored score. At 10,000 posts the lists hold millions of numbers, and `serve` writes a
    /// common word's list again after each edit: the length is counted first, then the digits
    /// are put straight into the string's own storage.
    static func written(_ postings: [Posting], _ scores: [Int]) -> String {
        func digits(_ number: Int) -> Int {
            var count = 1
            var rest = number
            while rest >= 10 {
                rest /= 10
                count += 1
            }
            return count
        }
        var length = 2 + max(0, 2 * postings.count - 1)
        var previous = 0
        for (posting, score) in zip(postings, scores) {
            length += digits(posting.doc - previous) + digits(score)
            previous = posting.doc
        }
        return String(unsafeUninitializedCapacity: length) { text in
            var end = 0
            func put(_ byte: UInt8) {
                text[end] = byte
                end += 1
            }
            func put(decimal number: Int) {
                let count = digits(number)
                var rest = number
                for place in stride(from: end + count - 1, through: end, by: -1) {
                    text[place] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += count
            }
            put(UInt8(ascii: "["))
            var previous = 0
            for (index, (posting, score)) in zip(postings, scores).enumerated() {
                if index > 0 { put(UInt8(ascii: ",")) }
                put(decimal: posting.doc - previous)
                put(UInt8(ascii: ","))
                put(decimal: score)
                previous = posting.doc
            }
            put(UInt8(ascii: "]"))
            return end
        }
    }

    /// Whether `a` sorts before `b` by UTF-16 code units, as JavaScript compares strings.
    static func utf16Precedes(_ a: String, _ b: String) -> Bool { a.utf16.lexicographicallyPrecedes(b.utf16) }
}

extension Array {
    /// The first index whose element satisfies `belongs`, in an array where every element that
    /// does comes after every element that does not (binary search).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
