import Foundation
import Synchronization

/// What one build leaves for the next: each file's parse, keyed by its text and the settings
/// that shape it; each page's HTML, keyed by a fingerprint of its template and of everything it
/// shows; and the search postings of each run of documents, keyed by their text. In memory it
/// serves `serve`'s rebuilds; with a `BuildStore` all three also outlive the process, for the
/// next `build`. A build given the cache writes exactly what a build without it writes; it only
/// skips work whose inputs did not change.
public final class BuildCache: Sendable {
    private let sources = Memo<SourceVersion, Result<SourceFile, LoadError>>()
    private let notedChanges = Mutex<Set<String>?>(nil)
    private let lastContent = Mutex<ContentReading?>(nil)
    private let lastParsing = Mutex<(paths: [String], settings: ParseSettings, results: [SiteBuild.ParseResult?])?>(nil)
    private let parses = Memo<ParseInputs, SiteBuild.ParseResult>()
    private let pages = Memo<Fingerprint, OutputFile>()
    private let searchTerms = Memo<SearchDocument, SearchIndex.TermCounts>()
    private let searchRuns = Memo<[SearchDocument], SearchIndex.TermRun>()
    private let searchChunks = Memo<SearchChunk, OutputFile>()
    private let searchFiles = Memo<[String], OutputFile>()
    private let lastScoredTerms = Mutex<SearchIndex.ScoredTerms?>(nil)
    private let lastTheme = Mutex<(name: String, reads: ReadRecord, loaded: (Theme?, [Diagnostic]))?>(nil)
    private let postDigests = Memo<Post, PageInputs.PostDigests>()
    private let feedContents = Memo<FeedContentInputs, String>()
    private let bodyLinks = Memo<CheckedLinksInputs, LinkTargets.CheckedBody>()
    private let reachable = Mutex<(targets: LinkTargets.Reachable, generation: Int)?>(nil)
    private let bodyFindings = Memo<ContentChecks.CheckedParts, [ContentCheckFinding]>()
    private let outputClaims = Memo<SiteRenderer.OutputNames, SiteRenderer.Claims>()
    private let counters = Mutex(Counters())
    /// Files whose kept body texts could not be read back when asked for, nor made again. A
    /// reference of its own: the kept bodies that note themselves here must not hold the cache,
    /// and with it the store's lock.
    private final class LostTexts: Sendable {
        let paths = Mutex<[String]>([])
    }

    private let lostTexts = LostTexts()
    public let store: BuildStore?

    public init(store: BuildStore? = nil) { self.store = store }

    /// How much of the last build came from the cache, for `serve`'s log and for tests.
    public struct Counters: Sendable, Equatable {
        public var parsed = 0
        public var parseReused = 0
        public var rendered = 0
        public var renderReused = 0
        /// Runs of searchable documents whose postings were made afresh, or came from the cache.
        public var searchRunsCounted = 0
        public var searchRunsReused = 0
        /// Terms whose posting lists `serve` scored and wrote again.
        public var searchListsScored = 0
    }

    /// The counts since the last call, which starts them again from zero.
    public func takeCounters() -> Counters {
        counters.withLock { counters in
            defer { counters = Counters() }
            return counters
        }
    }

    /// A content file's version and the size limit its reading was checked against.
    struct SourceVersion: Equatable, Sendable {
        var version: FileVersion
        var maxBytes: Int
    }

    /// A content file as the build takes it. In `serve`, the last build's reading where the
    /// file's version is the same, else `read()`'s: a file taken from there hands the parse cache
    /// the very string it was parsed from, which compares equal without reading it. With a
    /// store, only the digest of its text where the store knows the file by its version, else
    /// `read()`'s with the digest, noted for the next build.
    func source(
        _ path: String, version: FileVersion?, maxBytes: Int, _ read: () -> Result<SourceFile, LoadError>
    ) -> Result<ContentFile, LoadError> {
        guard let store else {
            guard let version else { return read().map { .read($0, digest: nil) } }
            return sources.value(at: path, for: SourceVersion(version: version, maxBytes: maxBytes), read).value
                .map { .read($0, digest: nil) }
        }
        if let version, version.size <= maxBytes, let digest = store.text(of: path, version: version) {
            return .success(.unchanged(path: path, digest: digest))
        }
        return read().map { file in
            let digest = Self.digest(of: file)
            if let version { store.keepText(of: path, version: version, digest: digest) }
            return .read(file, digest: digest)
        }
    }

    private static func digest(of file: SourceFile) -> Fingerprint {
        var text = file.text
        return text.withUTF8 { Fingerprint.sha256(of: $0) }
    }

    func keepSources(_ paths: [String]) { sources.keep(Set(paths), count: paths.count) }

    /// `serve` tells what its watcher saw change since the last build: paths relative to the
    /// site's folder, or nil where it could not tell. The next build alone trusts them.
    public func noteChanges(_ paths: Set<String>?) { notedChanges.withLock { $0 = paths } }

    /// content/ as a build listed and read it: the content files in path order with their
    /// readings, the other files, and all of them.
    struct ContentReading: Sendable {
        var wanted: [String]
        var results: [Result<ContentFile, LoadError>]
        var assets: [String]
        var files: Set<String>
        var maxBytes: Int
    }

    /// The paths `serve`'s watcher named since the last build, and that build's reading of
    /// content/, both taken: the build gives its own reading back with `keepContent`. Nil where
    /// a build must list and read everything.
    func contentSinceLastBuild(maxBytes: Int) -> (changes: Set<String>, last: ContentReading)? {
        let (changes, last) = (notedChanges.take(), lastContent.take())
        guard store == nil, let changes, let last, last.maxBytes == maxBytes else { return nil }
        return (changes, last)
    }

    func keepContent(_ reading: ContentReading) {
        guard store == nil else { return }
        lastContent.withLock { $0 = reading }
    }

    /// What shapes every file's parse besides its own path and text.
    struct ParseSettings: Equatable, Sendable {
        let types: ContentTypes
        let markdown: MarkdownOptions
        let timeZone: TimeZone
        /// A digest of the settings with each kind of file: made once for a build, where
        /// digesting them for every file was a tenth of reading kept parses back. The settings
        /// are constants, so that the digests cannot fall behind them.
        private let digests: [ContentKind: Fingerprint]

        init(types: ContentTypes, markdown: MarkdownOptions, timeZone: TimeZone) {
            self.types = types
            self.markdown = markdown
            self.timeZone = timeZone
            digests = Dictionary(
                uniqueKeysWithValues: (ContentKind.fixed + types.all.map { .item($0) }).map {
                    ($0, Self.digest(of: $0, markdown, timeZone))
                })
        }

        /// The settings a file of `kind` is parsed with, as a digest.
        func digest(for kind: ContentKind) -> Fingerprint { digests[kind] ?? Self.digest(of: kind, markdown, timeZone) }

        private static func digest(of kind: ContentKind, _ markdown: MarkdownOptions, _ timeZone: TimeZone) -> Fingerprint {
            var hasher = StableHasher()
            // A collection's type is digested whole; the other kinds are named by their case.
            if case .item(let type) = kind { hasher.combine(reflecting: type) } else { hasher.combine("\(kind)") }
            markdown.combine(into: &hasher)
            hasher.combine(timeZone.identifier)
            return hasher.finalize()
        }
    }

    /// The last build's result for each of `paths`, where it parsed the very same files (by
    /// path, in order) with the same settings (kept in `serve` only); the caller parses again
    /// the files it read again and gives the results back with `keepLastParses`. Taken, not
    /// shared, so that putting in those few copies none of the rest.
    func lastParses(of paths: [String], _ settings: ParseSettings) -> [SiteBuild.ParseResult?]? {
        guard let last = lastParsing.take(), last.paths == paths, last.settings == settings else { return nil }
        return last.results
    }

    func keepLastParses(of paths: [String], _ settings: ParseSettings, _ results: [SiteBuild.ParseResult?]) {
        guard store == nil else { return }
        lastParsing.withLock { $0 = (paths, settings, results) }
    }

    struct ParseInputs: Hashable, Sendable {
        var text: String
        var kind: ContentKind
        var markdown: MarkdownOptions
        var timeZone: TimeZone
    }

    /// The parse of `file` as `parse` makes it from its text. In `serve`, the last build's while
    /// the text and settings are the same. With a store, the one kept under a digest of the
    /// file's path, its text's digest and the settings, where there is one: a file the loader
    /// left unread is read only when there is not.
    func parse(
        _ file: ContentFile, kind: ContentKind, _ settings: ParseSettings,
        reading read: @escaping @Sendable () -> Result<SourceFile, LoadError>,
        _ parse: @escaping @Sendable (SourceFile) -> SiteBuild.ParseResult
    ) -> SiteBuild.ParseResult {
        @Sendable func text() -> Result<SourceFile, LoadError> {
            if case .read(let source, _) = file { return .success(source) }
            return read()
        }
        let digest: Fingerprint? =
            switch file {
            case .read(_, let known): known
            case .unchanged(_, let known): known
            }
        guard let store else {
            let source: SourceFile
            do { source = try text().get() } catch { return (nil, [error.diagnostic]) }
            let inputs = ParseInputs(text: source.text, kind: kind, markdown: settings.markdown, timeZone: settings.timeZone)
            let (result, reused) = parses.value(at: source.path, for: inputs) { parse(source) }
            counters.withLock { reused ? ($0.parseReused += 1) : ($0.parsed += 1) }
            return result
        }
        func key(_ digest: Fingerprint) -> Fingerprint {
            var hasher = StableHasher()
            hasher.combine(file.path)
            hasher.combine(digest)
            hasher.combine(settings.digest(for: kind))
            return hasher.finalize()
        }
        if let digest, let (head, rest) = store.head(on: .parses, key: key(digest)),
            let kept = StoredParse.decode(head, texts: { [lostTexts] in
                if let texts = rest().flatMap(StoredParse.texts) { return texts }
                // The kept file changed during the build: the body is made again from its file.
                if let source = try? text().get(), case .document(let document)? = parse(source).0 {
                    return BodyTexts.Texts(html: document.body.html, plainText: document.body.plainText)
                }
                lostTexts.paths.withLock { $0.append(file.path) }
                return BodyTexts.Texts(html: "", plainText: "")
            })
        {
            counters.withLock { $0.parseReused += 1 }
            return kept
        }
        let source: SourceFile
        do { source = try text().get() } catch { return (nil, [error.diagnostic]) }
        // A file left unread is digested as read now: it may have changed since it was listed.
        var made = digest
        if case .unchanged = file { made = nil }
        let result = parse(source)
        store.keep(on: .parses, key: key(made ?? Self.digest(of: source)), origin: file.path) {
            StoredParse.encode(result).map { BuildStore.twoParts($0.head, $0.texts) }
        }
        counters.withLock { $0.parsed += 1 }
        return result
    }

    /// An error for each file whose kept body could not be read back when a stage asked for it,
    /// nor made again from the file: the pages showing it would be empty.
    func lostBodies() -> [Diagnostic] {
        lostTexts.paths.withLock { paths in
            defer { paths = [] }
            return paths.map { BuildCacheError.lost(path: $0).diagnostic }
        }
    }

    /// Forgets the files a build no longer has, so a long `serve` session does not grow.
    func keepParses(_ paths: Set<String>) { parses.keep(paths, count: paths.count) }

    func page(_ path: String, fingerprint: Fingerprint, _ render: () -> OutputFile) -> OutputFile {
        var stored = false
        let (file, reused) = pages.value(at: path, for: fingerprint) {
            if let page = store?.page(path, fingerprint: fingerprint) {
                stored = true
                return page
            }
            let page = render()
            return store?.save(page, fingerprint: fingerprint) ?? page
        }
        counters.withLock { reused || stored ? ($0.renderReused += 1) : ($0.rendered += 1) }
        return file
    }

    func keepPages(_ paths: @autoclosure () -> Set<String>, count: Int) { pages.keep(paths(), count: count) }

    /// A feed the store keeps as it keeps pages, by its path and a fingerprint of what it is made
    /// from, linked into the site as they are. With a store only: `serve` keeps what a feed is
    /// made from instead (its posts' contents), and writes the feed again.
    func feed(_ path: String, fingerprint: Fingerprint, _ make: () -> OutputFile) -> OutputFile {
        guard let store else { return make() }
        if let file = store.page(path, fingerprint: fingerprint, on: .feeds) { return file }
        return store.save(make(), fingerprint: fingerprint, on: .feeds)
    }

    /// A document's weighted term counts for the search index: the same document, the same
    /// counts (kept in `serve` only).
    func searchTerms(_ document: SearchDocument, _ count: () -> SearchIndex.TermCounts) -> SearchIndex.TermCounts {
        inServe(searchTerms, at: document.url, for: document, count)
    }

    /// A post's digests for `PageInputs`: the same post, the same digests (kept in `serve` only).
    /// Comparing a post kept from the last build, whose texts are mostly the very same strings,
    /// is quicker than digesting it again.
    func digests(of post: Post, _ make: () -> PageInputs.PostDigests) -> PageInputs.PostDigests {
        inServe(postDigests, at: post.source, for: post, make)
    }

    struct FeedContentInputs: Equatable, Sendable {
        var html: String
        var baseURL: String
    }

    /// A post's content as its feeds carry it (links made absolute, then escaped), while its
    /// HTML and the site's address are the same (kept in `serve` only). Most feeds list the
    /// newest posts of each tag, thousands of bodies on a large site.
    func feedContent(of post: Post, baseURL: String, _ make: () -> String) -> String {
        inServe(feedContents, at: post.source, for: FeedContentInputs(html: post.body.html, baseURL: baseURL), make)
    }

    /// Forgets the digests and feed contents of posts a build no longer has.
    func keepPosts(_ sources: @autoclosure () -> Set<String>, count: Int) {
        guard postDigests.count > count || feedContents.count > count else { return }
        let sources = sources()
        postDigests.keep(sources, count: count)
        feedContents.keep(sources, count: count)
    }

    /// What links can reach in this build, as the cache tells it apart from the last build's.
    enum ReachableTargets {
        /// In `serve`: the last build's number while the files and aliases are the same.
        case generation(Int)
        /// With a store: a digest of the files and aliases.
        case digest(Fingerprint)
    }

    /// What links can reach, so that checked links are kept only as long as they hold.
    func reachable(_ targets: LinkTargets.Reachable) -> ReachableTargets {
        guard store == nil else {
            var hasher = StableHasher()
            hasher.combine(targets.paths)
            let aliases = targets.aliases.keys.sorted()
            hasher.combine(aliases)
            hasher.combine(aliases.map { targets.aliases[$0]! })
            return .digest(hasher.finalize())
        }
        return reachable.withLock { last in
            guard let kept = last, kept.targets == targets else {
                let generation = (last?.generation ?? 0) + 1
                last = (targets, generation)
                return .generation(generation)
            }
            return .generation(kept.generation)
        }
    }

    struct CheckedLinksInputs: Equatable, Sendable {
        var links: LinkTargets.BodyLinks
        var reachable: Int
    }

    /// The links of `body`, the body at `index` in `Site.bodies()`, checked: in `serve`, the last
    /// build's while they, the page they are on and all they can reach are the same; with a
    /// store, none found without checking where an earlier build found none in the same. A body
    /// with links into the search index's files, which `reachable` leaves out, is checked every time.
    func checkedLinks(
        _ index: Int, _ links: LinkTargets.BodyLinks, body: RenderedMarkdown, reachable: ReachableTargets,
        _ check: () -> LinkTargets.CheckedBody
    ) -> LinkTargets.CheckedBody {
        switch reachable {
        case .generation(let generation):
            let (checked, reused) = bodyLinks.value(
                at: String(index), for: CheckedLinksInputs(links: links, reachable: generation), check)
            return reused && checked.readsSearchIndex ? check() : checked
        case .digest(let targets):
            var hasher = StableHasher()
            hasher.combine([links.page, links.basePath])
            hasher.combine(body.fingerprint)
            hasher.combine(targets)
            return unlessFoundNothing(.links, in: hasher.finalize(), check) {
                $0.found.isEmpty && $0.sections.isEmpty && !$0.readsSearchIndex
            } ?? LinkTargets.CheckedBody()
        }
    }

    func keepCheckedLinks(_ count: Int) { bodyLinks.keep(Self.keys(count), count: count) }

    /// The content checks' findings in `body`, the body at `index` of those `ContentChecks.run`
    /// lists: in `serve`, the last build's while the parts they read are the same; with a store,
    /// none without checking where an earlier build found none in the same body.
    func findings(_ index: Int, _ body: RenderedMarkdown, headings: Bool) -> [ContentCheckFinding] {
        guard store != nil else {
            let parts = ContentChecks.CheckedParts(body, headings: headings)
            return bodyFindings.value(at: String(index), for: parts) { parts.findings }.value
        }
        var hasher = StableHasher()
        hasher.combine(body.fingerprint)
        hasher.combine(headings)
        return unlessFoundNothing(.content, in: hasher.finalize(), { ContentChecks.CheckedParts(body, headings: headings).findings }, \.isEmpty)
            ?? []
    }

    /// `check()`'s findings, noted in the store when `isNothing` says they are none; nil without
    /// checking where an earlier build noted none for the same inputs (`key`).
    private func unlessFoundNothing<Found>(
        _ kind: BuildStore.Check, in key: Fingerprint, _ check: () -> Found, _ isNothing: (Found) -> Bool
    ) -> Found? {
        guard let store else { return check() }
        if store.foundNothing(kind, in: key) { return nil }
        let found = check()
        if isNothing(found) { store.noteNothingFound(kind, in: key) }
        return found
    }

    /// Which of a build's files keep their paths, while every file's path and origin are the
    /// same as the last build's (kept in `serve` only).
    func claims(_ names: SiteRenderer.OutputNames, _ make: () -> SiteRenderer.Claims) -> SiteRenderer.Claims {
        inServe(outputClaims, at: "", for: names, make)
    }

    func keepFindings(_ count: Int) { bodyFindings.keep(Self.keys(count), count: count) }

    /// A chunk of the search index's document metadata, kept (in `serve` only) while it has the
    /// same number and documents: a build that changes one post's summary writes one chunk again.
    func searchChunk(_ number: Int, _ documents: ArraySlice<SearchDocument>, _ write: () -> OutputFile) -> OutputFile {
        inServe(searchChunks, at: documents.first?.url ?? "", for: SearchChunk(number: number, documents: Array(documents)), write)
    }

    /// The search index's terms scored for `documents` cut into `ranges`, `count` giving the
    /// postings of a run of them.
    ///
    /// - In `serve`, a run's postings are the last build's while its documents are the same
    ///   (compared with the last build's, whose texts are mostly the very same strings), and the
    ///   last build's terms are brought up to date where the runs stayed where they were.
    /// - With a store, a run is known by a key of its documents, and its postings are kept under
    ///   it. The terms an earlier build kept are patched with the runs whose keys changed, their
    ///   old postings read back by the old keys; where there are none, or the runs moved, every
    ///   run's postings are read back or counted and the terms are made from nothing.
    func scoredTerms(
        _ documents: [SearchDocument], ranges: [Range<Int>], _ count: @Sendable (Range<Int>) -> SearchIndex.TermRun
    ) -> SearchIndex.ScoredTerms {
        guard let store else {
            let runs = parallelMap(ranges) { range in
                let (postings, reused) = searchRuns.value(at: documents[range].first?.url ?? "", for: Array(documents[range])) { count(range) }
                counters.withLock { reused ? ($0.searchRunsReused += 1) : ($0.searchRunsCounted += 1) }
                return postings
            }
            let (terms, scored) = lastScoredTerms.withLock { last in
                if let scored = last?.patch(ranges: ranges, runs: runs) { return (last!, scored) }
                let made = SearchIndex.ScoredTerms(ranges: ranges, runs: runs)
                last = made
                return (made, made.lists.count)
            }
            counters.withLock { $0.searchListsScored += scored }
            return terms
        }
        let keys = parallelMap(ranges) { Self.searchRunKey(documents[$0]) }
        @Sendable func run(_ index: Int) -> SearchIndex.TermRun {
            if let bytes = store.data(on: .searchTerms, key: keys[index]), let kept = SearchIndex.TermRun(decoding: bytes) {
                counters.withLock { $0.searchRunsReused += 1 }
                return kept
            }
            let postings = count(ranges[index])
            store.keep(on: .searchTerms, key: keys[index], origin: "the search index") { postings.encoded() }
            counters.withLock { $0.searchRunsCounted += 1 }
            return postings
        }
        func kept(_ terms: SearchIndex.ScoredTerms, scored: Int) -> SearchIndex.ScoredTerms {
            store.keep(on: .searchTerms, key: Self.scoredTermsKey, origin: "the search index") {
                StoredSearchTerms(runKeys: keys, terms: terms).encoded()
            }
            counters.withLock { $0.searchListsScored += scored }
            return terms
        }
        // The changed runs' postings, fetched for the patch: made from nothing, the terms take them
        // from here rather than count them again while the store is still writing them.
        var fetched: [Int: SearchIndex.TermRun] = [:]
        if let last = store.data(on: .searchTerms, key: Self.scoredTermsKey).flatMap(StoredSearchTerms.init(decoding:)),
            last.runKeys.count == keys.count, last.terms.ranges == ranges
        {
            let changed = keys.indices.filter { keys[$0] != last.runKeys[$0] }
            let old = changed.compactMap { store.data(on: .searchTerms, key: last.runKeys[$0]).flatMap(SearchIndex.TermRun.init(decoding:)) }
            if old.count == changed.count {
                let new = parallelMap(changed, run)
                fetched = Dictionary(uniqueKeysWithValues: zip(changed, new))
                var terms = last.terms
                if let scored = terms.patch(Array(zip(changed, zip(old, new)).map { ($0, $1.0, $1.1) })) {
                    // The runs no edit touched stay for the next build, which may need to tell what changed in them.
                    for index in keys.indices where keys[index] == last.runKeys[index] { store.hold(on: .searchTerms, key: keys[index]) }
                    if changed.isEmpty { return terms }
                    return kept(terms, scored: scored)
                }
            }
        }
        let runs = parallelMap(Array(ranges.indices)) { [fetched] index in fetched[index] ?? run(index) }
        var made = SearchIndex.ScoredTerms(ranges: ranges, runs: runs)
        made.runs = []
        return kept(made, scored: made.lists.count)
    }

    /// A run of documents as the store knows its postings: a digest of their titles, summaries
    /// and bodies, each body by its fingerprint where it has one.
    private static func searchRunKey(_ run: ArraySlice<SearchDocument>) -> Fingerprint {
        var hasher = StableHasher()
        for document in run {
            hasher.combine([document.title, document.summary])
            if let fingerprint = document.bodyFingerprint {
                hasher.combine(fingerprint)
            } else {
                hasher.combine(document.body)
                hasher.combine(document.headings)
            }
        }
        return hasher.finalize()
    }

    /// Where the store keeps the last build's scored terms, beside the runs' postings.
    private static let scoredTermsKey: Fingerprint = {
        var hasher = StableHasher()
        hasher.combine("the search index's scored terms")
        return hasher.finalize()
    }()

    /// The theme `name` as `load` makes it from the site's files: in `serve`, the last build's
    /// while every folder and file its loading read would read the same.
    func theme<Files: SiteFileSystem>(
        named name: String, from fileSystem: Files, _ load: (RecordingFileSystem<Files>) -> (Theme?, [Diagnostic])
    ) -> (Theme?, [Diagnostic]) {
        if store == nil, let last = lastTheme.withLock({ $0 }), last.name == name, last.reads.holds(in: fileSystem) {
            return last.loaded
        }
        let reads = ReadRecord()
        let loaded = load(RecordingFileSystem(base: fileSystem, record: reads))
        if store == nil { lastTheme.withLock { $0 = (name, reads, loaded) } }
        return loaded
    }

    /// A shard or vocabulary chunk of the search index, by the term it starts at, kept (in
    /// `serve` only) while it is made from the same texts.
    func searchFile(_ key: String, texts: [String], _ write: () -> OutputFile) -> OutputFile {
        inServe(searchFiles, at: key, for: texts, write)
    }

    func keepSearchFiles(_ keys: Set<String>) { searchFiles.keep(keys, count: keys.count) }

    struct SearchChunk: Equatable, Sendable {
        var number: Int
        var documents: [SearchDocument]
    }

    /// The value `make` gives for `inputs`, kept in `memo` under `key` when this cache serves
    /// `serve`'s rebuilds in one process; `build`, which builds once, only makes it, as holding
    /// every value until the end only raised its peak memory.
    private func inServe<Inputs, Value>(
        _ memo: Memo<Inputs, Value>, at key: String, for inputs: Inputs, _ make: () -> Value
    ) -> Value {
        store == nil ? memo.value(at: key, for: inputs, make).value : make()
    }

    /// The keys of values kept by their place in a list of `count`.
    private static func keys(_ count: Int) -> Set<String> { Set((0..<count).map(String.init)) }

    /// Forgets the documents a build no longer has, and the runs that started at them.
    func keepSearchTerms(_ documents: [SearchDocument]) {
        let count = documents.count
        guard searchTerms.count > count || searchRuns.count > count || searchChunks.count > count else { return }
        let addresses = Set(documents.map(\.url))
        searchTerms.keep(addresses, count: count)
        searchRuns.keep(addresses, count: count)
        searchChunks.keep(addresses, count: count)
    }
}

/// One value per key (a path, an address), made again only when what it was made from differs.
private final class Memo<Inputs: Equatable & Sendable, Value: Sendable>: Sendable {
    /// Held by reference: taking an entry out from under the lock copied its inputs (a whole
    /// post, with each of its strings and lists retained) only to compare them.
    private final class Entry: Sendable {
        let inputs: Inputs
        let value: Value

        init(_ inputs: Inputs, _ value: Value) {
            self.inputs = inputs
            self.value = value
        }
    }

    private let entries = Mutex<[String: Entry]>([:])

    func value(at key: String, for inputs: Inputs, _ make: () -> Value) -> (value: Value, reused: Bool) {
        if let entry = entries.withLock({ $0[key] }), entry.inputs == inputs { return (entry.value, true) }
        let value = make()
        entries.withLock { $0[key] = Entry(inputs, value) }
        return (value, false)
    }

    var count: Int { entries.withLock { $0.count } }

    /// Removes the entries of keys other than `keys` (`count` of them), in place: most builds
    /// remove none, and making the dictionary again copied every entry, on every build. A memo
    /// with no more entries than that is left as it is, without making the set: an entry whose
    /// key has gone is never taken wrongly (its inputs are compared), and it goes once the memo
    /// outgrows the build's keys. Making the set of 20,000 pages' paths, only to remove nothing,
    /// was a tenth of `serve`'s rendering.
    func keep(_ keys: @autoclosure () -> Set<String>, count: Int) {
        entries.withLock { entries in
            guard entries.count > count else { return }
            let keys = keys()
            for key in entries.keys.filter({ !keys.contains($0) }) { entries.removeValue(forKey: key) }
        }
    }
}

/// A fingerprint of a template context (`[String: Any]` trees of strings, numbers, booleans,
/// arrays and dictionaries): equal contexts give equal fingerprints, in any process.
/// Dictionary keys are taken in sorted order, so the order a dictionary happens to keep does not matter.
enum ContextFingerprint {
    static func of(_ value: Any, template: Fingerprint?) -> Fingerprint {
        var hasher = StableHasher()
        hasher.combine(template)
        combine(value, into: &hasher)
        return hasher.finalize()
    }

    private static func combine(_ value: Any, into hasher: inout StableHasher) {
        switch value {
        case let text as String:
            hasher.combine(text)
        case let made as TemplateValue:
            combine(made.plain, into: &hasher)
        case let dictionary as [String: Any]:
            let keys = dictionary.keys.sorted()
            hasher.combine(keys)
            for key in keys { combine(dictionary[key]!, into: &hasher) }
        case let array as [Any]:
            hasher.combine(listOf: array.count)
            for element in array { combine(element, into: &hasher) }
        default:
            hasher.combine(reflecting: value)
        }
    }
}

extension Mutex {
    /// The value held, leaving nothing: the caller then holds the only reference, and changing
    /// it copies none of what it holds.
    func take<Wrapped>() -> Wrapped? where Value == Wrapped? {
        withLock { value in
            defer { value = nil }
            return value
        }
    }
}
