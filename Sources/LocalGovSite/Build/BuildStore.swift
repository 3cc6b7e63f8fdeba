import Foundation
import Synchronization

/// `.localgov/cache/build/` in the site's folder: what the last build made, each piece in a file
/// named by what it was made from. Pages (`pages/`) are keyed by their address and the
/// fingerprint of their inputs: the next build links an unchanged page from here into the new
/// site instead of rendering it, and the whole site is still swapped in at once. Parses
/// (`parses/`) are keyed by the file's path, the digest of its text and the settings that shape
/// them, so the next build decodes an unchanged file's parse instead of parsing it again;
/// a parse is kept in two parts (`twoParts`), its body's texts read only when a stage asks. Search
/// terms (`search-terms/`) are the postings of runs of searchable documents, keyed by their
/// texts, and the terms scored from them (`StoredSearchTerms`). Feeds (`feeds/`) are kept as pages are.
/// The notes (`StoreNotes`) hold each content file's version with the digest of its text, so
/// that a file that keeps its version is not read at all, and the inputs checks found nothing in.
///
/// Nothing here is trusted: an entry is used only if its file still has the length and the
/// SHA-256 the index recorded, and an index that cannot be read, or that another version of the
/// tool wrote, is set aside with a warning. A file that keeps the inode and modification time
/// recorded when it was written or last checked is known for the same bytes without digesting
/// them (as git and make tell), and a page, which is linked and never read, without reading it;
/// a write in place (a deploy step editing the published copy) changes the time, and then the
/// bytes are checked.
public final class BuildStore: Sendable {
    public let folder: URL
    /// Each shelf's folder as a path ending in `/`: reading thousands of files by path spares
    /// making a URL for each.
    private let shelfPaths: [Shelf: String]
    /// Each shelf's folder, open: a page's stamp is looked up by its name in it, without walking
    /// the store's path again for each of 20,000 pages.
    private let shelfFolders: [Shelf: Int32]
    /// The device the store is kept on, which with a page's inode names the very file.
    private let device: UInt64?
    private let tool: String
    private let state: Mutex<State>
    /// The open lock file: one build at a time reads and tidies the store. The kernel lets go
    /// of it when the process ends, however it ends.
    private let lock: Int32
    /// Parses and term counts are encoded and written here, one at a time, while the build goes
    /// on: its serial stages (the model, images, checks) leave a core free for it.
    private let background = DispatchQueue(label: "localgov.build-store")
    private let pending = DispatchGroup()

    /// The kinds of thing kept, each in a folder of its own.
    enum Shelf: String, CaseIterable {
        case pages, parses
        /// The blog's feed and each tag's, kept as pages are.
        case feeds
        /// The search postings of each run of documents, in `SearchIndex.TermRun.encoded`'s form,
        /// and the terms scored from them (`StoredSearchTerms`).
        case searchTerms = "search-terms"
    }

    private struct State {
        var entries: [Shelf: [Fingerprint: Entry]]
        var used: [Shelf: Set<Fingerprint>] = [:]
        var notes: StoreNotes
        /// What this build found or used of the notes, the next build's notes.
        var newTexts: [String: TextRecord] = [:]
        var newFoundNothing: [Check: Set<Fingerprint>] = [:]
    }

    /// The checks a build notes by the digest of their inputs when they find nothing: the next
    /// build takes the same inputs as checked, as checks find nothing in almost every body.
    enum Check: CaseIterable {
        case content, links
    }

    /// A content file's version when a build read it, and the digest of its text then: a file
    /// that keeps its version is known to hold the same text without reading it, as git's index
    /// knows files by their stat.
    struct TextRecord: Equatable {
        var version: FileVersion
        var digest: Fingerprint
    }

    struct Entry: Equatable {
        var origin: String
        var size: Int
        var sha256: Fingerprint
        /// The file's inode and modification time when it was written or last checked: a page
        /// whose file still has both is known unchanged without reading it (as git and make tell).
        var stamp: FileStamp?
    }

    private init(folder: URL, tool: String, lock: Int32, entries: [Shelf: [Fingerprint: Entry]], notes: StoreNotes? = nil) {
        self.folder = folder
        let shelfPaths = Dictionary(uniqueKeysWithValues: Shelf.allCases.map { ($0, folder.path + "/" + $0.rawValue + "/") })
        self.shelfPaths = shelfPaths
        shelfFolders = shelfPaths.mapValues { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        var info = stat()
        device = stat(folder.appendingPathComponent(Shelf.pages.rawValue).path, &info) == 0 ? UInt64(info.st_dev) : nil
        self.tool = tool
        self.lock = lock
        self.state = Mutex(State(entries: entries, notes: notes ?? StoreNotes(tool: tool, texts: [:], foundNothing: [:])))
    }

    deinit {
        close(lock)
        for folder in shelfFolders.values where folder >= 0 { close(folder) }
    }

    /// Where in a site's folder its builds keep what they made.
    public static let location = ".localgov/cache/build"

    /// The store in `root`'s `.localgov/cache/build/`, empty when there is none yet. `tool` names
    /// the program exactly (its version and build), since another build of it may parse or
    /// render the same inputs differently. Nil while another build holds it, or where it cannot
    /// be made: that build then does everything, as a build without a cache does.
    public static func inSite(_ root: URL, tool: String) -> (BuildStore?, [Diagnostic]) {
        let folder = root.appendingPathComponent(location)
        let made = Shelf.allCases.allSatisfy { shelf in
            (try? FileManager.default.createDirectory(
                at: folder.appendingPathComponent(shelf.rawValue), withIntermediateDirectories: true)) != nil
        }
        let lock = made ? open(folder.appendingPathComponent("lock").path, O_RDWR | O_CREAT, 0o644) : -1
        guard lock >= 0 else { return (nil, [BuildCacheError.unavailable.diagnostic]) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            close(lock)
            return (nil, [BuildCacheError.busy.diagnostic])
        }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(StoreIndex.fileName)) else {
            return (BuildStore(folder: folder, tool: tool, lock: lock, entries: [:]), [])
        }
        // The notes are read beside the index: both come before anything else a build does.
        let notesFile = folder.appendingPathComponent(StoreNotes.fileName)
        let notes = WorkAside { (try? Data(contentsOf: notesFile)).flatMap { BinaryCoding.decodeChecked(StoreNotes.self, from: $0) } }
        let problem: BuildCacheError
        let reading = StoreIndex.decode(data, tool: tool)
        let noted = notes.wait()
        switch reading {
        case .entries(let entries):
            return (BuildStore(folder: folder, tool: tool, lock: lock, entries: entries, notes: noted?.tool == tool ? noted : nil), [])
        case .foreign(let madeBy): problem = .foreign(madeBy: madeBy, tool: tool)
        case .unreadable: problem = .unreadable
        }
        return (BuildStore(folder: folder, tool: tool, lock: lock, entries: [:]), [problem.diagnostic])
    }

    /// Where `build` keeps the site it replaced, to bring it up to date as the next site.
    public var spareSite: URL { folder.appendingPathComponent("spare-site") }

    /// The page at `path` made from inputs with this fingerprint, if an earlier build kept it
    /// intact on `shelf` (pages, or feeds, which are kept as pages are).
    func page(_ path: String, fingerprint: Fingerprint, on shelf: Shelf = .pages) -> OutputFile? {
        let key = key(path, fingerprint)
        guard let entry = state.withLock({ $0.entries[shelf]?[key] }) else { return nil }
        let name = key.description
        let file = shelfPaths[shelf, default: ""] + name
        // A page is only linked into the site, so its bytes are read only when its file's stamp
        // has changed; if they still match, the new stamp spares the next build the reading.
        var stamp = FileStamp(in: shelfFolders[shelf] ?? -1, name, size: entry.size)
        if stamp != nil, stamp == entry.stamp {
            state.withLock { _ = $0.used[shelf, default: []].insert(key) }
        } else {
            guard let checked = read(shelf, key: key) else { return nil }
            stamp = checked.stamp
        }
        return OutputFile(path: path, content: .file(file, identity: identity(stamp)), origin: entry.origin)
    }

    private func identity(_ stamp: FileStamp?) -> OutputFile.FileIdentity? {
        guard let device, let stamp else { return nil }
        return OutputFile.FileIdentity(device: device, inode: stamp.inode)
    }

    /// Keeps a page just rendered on `shelf`, and returns it to be linked from the store. A store
    /// that cannot be written only makes the next build slower: the page is then written from memory.
    func save(_ page: OutputFile, fingerprint: Fingerprint, on shelf: Shelf = .pages) -> OutputFile {
        let key = key(page.path, fingerprint)
        guard case .bytes(let bytes) = page.content, let (file, stamp) = write(bytes, on: shelf, key: key, origin: page.origin)
        else { return page }
        return OutputFile(path: page.path, content: .file(file, identity: identity(stamp)), origin: page.origin)
    }

    /// The digest of the text the content file at `path` had when a build read it, if the file
    /// still has the version it had then.
    func text(of path: String, version: FileVersion) -> Fingerprint? {
        state.withLock { state in
            guard let record = state.notes.texts[path], record.version == version else { return nil }
            state.newTexts[path] = record
            return record.digest
        }
    }

    /// Notes the digest of the text read from the content file at `path`, at `version`, for the next build.
    func keepText(of path: String, version: FileVersion, digest: Fingerprint) {
        state.withLock { $0.newTexts[path] = TextRecord(version: version, digest: digest) }
    }

    /// Whether an earlier build's `check` found nothing in inputs with the digest `key`.
    func foundNothing(_ check: Check, in key: Fingerprint) -> Bool {
        state.withLock { state in
            guard state.notes.foundNothing[check]?.contains(key) == true else { return false }
            state.newFoundNothing[check, default: []].insert(key)
            return true
        }
    }

    /// Notes that `check` found nothing in inputs with the digest `key`, for the next build.
    func noteNothingFound(_ check: Check, in key: Fingerprint) {
        state.withLock { _ = $0.newFoundNothing[check, default: []].insert(key) }
    }

    /// The bytes kept on `shelf` under `key`, if an earlier build kept them intact.
    func data(on shelf: Shelf, key: Fingerprint) -> Data? {
        read(shelf, key: key)?.bytes
    }

    /// Bytes to keep in two parts (`head(on:key:)`): the head's length in eight bytes, the head,
    /// then the rest.
    static func twoParts(_ head: Data, _ rest: Data) -> Data {
        var length = UInt64(head.count).littleEndian
        var bytes = Data(bytes: &length, count: 8)
        bytes.reserveCapacity(8 + head.count + rest.count)
        bytes += head
        bytes += rest
        return bytes
    }

    /// How much of an entry is read at first, in the hope that it holds the whole head.
    private static let headRead = 4_096

    /// The head of the two-part entry kept on `shelf` under `key` (`twoParts`), if an earlier
    /// build kept it intact, and a way to read the rest. While the file keeps the stamp recorded,
    /// only the head is read now, and the rest when asked for; a file whose stamp changed is
    /// read and checked whole now. The rest is nil if the file changed after that.
    func head(on shelf: Shelf, key: Fingerprint) -> (head: Data, rest: @Sendable () -> Data?)? {
        guard let entry = state.withLock({ $0.entries[shelf]?[key] }) else { return nil }
        let (file, name, folder) = (path(shelf, key), key.description, shelfFolders[shelf] ?? -1)
        func split(_ bytes: Data) -> Range<Int>? {
            guard bytes.count >= 8, entry.size >= 8 else { return nil }
            let length = bytes.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            return length <= UInt64(entry.size - 8) ? 8..<8 + Int(length) : nil
        }
        if let stamp = entry.stamp, let (start, found) = try? Data.readingWithStamp(at: name, in: folder, limit: Self.headRead),
            found == stamp, let head = split(start)
        {
            var bytes = start
            if head.upperBound > bytes.count {
                guard let (more, found) = try? Data.readingWithStamp(
                    at: name, in: folder, from: bytes.count, limit: head.upperBound - bytes.count),
                    found == stamp
                else { return nil }
                bytes += more
            }
            guard bytes.count >= head.upperBound else { return nil }
            state.withLock { _ = $0.used[shelf, default: []].insert(key) }
            let (size, sha256) = (entry.size, entry.sha256)
            // The rest is read by its path: the store, and its open folders, may be gone by then.
            return (bytes.subdata(in: head), {
                if let (rest, found) = try? Data.readingWithStamp(at: file, from: head.upperBound), found == stamp,
                    rest.count == size - head.upperBound
                {
                    return rest
                }
                guard let (whole, _) = try? Data.readingWithStamp(at: file), whole.count == size,
                    Fingerprint.sha256(of: whole) == sha256
                else { return nil }
                return whole.subdata(in: head.upperBound..<size)
            })
        }
        guard let (whole, _) = read(shelf, key: key), let head = split(whole) else { return nil }
        return (whole.subdata(in: head), { whole.subdata(in: head.upperBound..<whole.count) })
    }

    /// Keeps the entry under `key` on `shelf`, if there is one, for the next build without
    /// reading it.
    func hold(on shelf: Shelf, key: Fingerprint) {
        state.withLock { state in
            if state.entries[shelf]?[key] != nil { state.used[shelf, default: []].insert(key) }
        }
    }

    /// Keeps what `bytes` makes on `shelf` under `key` for the next build, made and written in
    /// the background before `commit` writes the index; `origin` is the file it was made from.
    func keep(on shelf: Shelf, key: Fingerprint, origin: String, _ bytes: @escaping @Sendable () -> Data?) {
        background.async(group: pending) {
            if let data = bytes() { _ = self.write(data, on: shelf, key: key, origin: origin) }
        }
    }

    private func read(_ shelf: Shelf, key: Fingerprint) -> (bytes: Data, stamp: FileStamp)? {
        guard let entry = state.withLock({ $0.entries[shelf]?[key] }),
            let (bytes, stamp) = try? Data.readingWithStamp(at: path(shelf, key)), bytes.count == entry.size
        else { return nil }
        let checked = stamp != entry.stamp
        if checked, Fingerprint.sha256(of: bytes) != entry.sha256 { return nil }
        state.withLock { state in
            if checked { state.entries[shelf]?[key]?.stamp = stamp }
            state.used[shelf, default: []].insert(key)
        }
        return (bytes, stamp)
    }

    private func write(_ bytes: Data, on shelf: Shelf, key: Fingerprint, origin: String) -> (path: String, stamp: FileStamp)? {
        let target = path(shelf, key)
        // A new entry is written in place, without a rename: the index, written last, is what
        // vouches for an entry, and a half file a stopped build left is not in it. Such a file,
        // already there, is replaced whole, as a page in the store may be linked into a site.
        guard let stamp = (try? bytes.writeNewFile(atPath: target)) ?? (try? bytes.writeAtomically(toPath: target)) else {
            return nil
        }
        let entry = Entry(origin: origin, size: bytes.count, sha256: Fingerprint.sha256(of: bytes), stamp: stamp)
        state.withLock {
            $0.entries[shelf, default: [:]][key] = entry
            $0.used[shelf, default: []].insert(key)
        }
        return (target, stamp)
    }

    /// Writes the index of what this build used and removes every other file, so the store
    /// holds one site's pages and parses and does not grow with each edit.
    public func commit() throws {
        pending.wait()
        let (shelves, used, notes) = state.withLock { state in
            let shelves = Dictionary(
                uniqueKeysWithValues: Shelf.allCases.map { shelf in
                    let used = state.used[shelf] ?? []
                    return (shelf, (state.entries[shelf] ?? [:]).filter { used.contains($0.key) })
                })
            return (shelves, state.used, StoreNotes(tool: tool, texts: state.newTexts, foundNothing: state.newFoundNothing))
        }
        let fileManager = FileManager.default
        for shelf in Shelf.allCases {
            let kept = used[shelf] ?? []
            let folder = shelfPaths[shelf, default: ""]
            for name in try fileManager.contentsOfDirectory(atPath: folder) where !(Fingerprint(hex: name).map(kept.contains) ?? false) {
                try? fileManager.removeItem(atPath: folder + name)
            }
        }
        try BinaryCoding.checkedBytes(notes).writeAtomically(to: folder.appendingPathComponent(StoreNotes.fileName))
        try StoreIndex.encode(tool: tool, shelves: shelves).writeAtomically(to: folder.appendingPathComponent(StoreIndex.fileName))
    }

    private func path(_ shelf: Shelf, _ key: Fingerprint) -> String { shelfPaths[shelf, default: ""] + key.description }

    /// The tool is not in the key: an index another build of the tool wrote is not read at all.
    private func key(_ path: String, _ fingerprint: Fingerprint) -> Fingerprint {
        var hasher = StableHasher()
        hasher.combine(path)
        hasher.combine(fingerprint)
        return hasher.finalize()
    }
}

/// What can go wrong with the build cache. None of it stops a build: without the cache every
/// page is rendered, as with `--no-cache`.
public enum BuildCacheError: DiagnosticConvertible {
    case unavailable
    case busy
    case unreadable
    case foreign(madeBy: String, tool: String)
    case unsaved(reason: String)
    case lost(path: String)

    public var diagnostic: Diagnostic {
        let here = SourceLocation(file: BuildStore.location)
        let index = SourceLocation(file: BuildStore.location + "/" + StoreIndex.fileName)
        let again = "every page is rendered afresh and the cache is made again"
        let hint = "nothing to do: the next build uses the new cache"
        return switch self {
        case .unavailable:
            Diagnostic(.warning, code: "cache.unavailable", "the build cache cannot be made here; every page is rendered", at: here)
        case .busy:
            Diagnostic(.note, code: "cache.busy", "another build is using the build cache; this one renders every page", at: here)
        case .unreadable:
            Diagnostic(
                .warning, code: "cache.ignored", "the build cache was not used: its index cannot be read; \(again)", at: index,
                hint: hint)
        case let .foreign(madeBy, tool):
            Diagnostic(
                .warning, code: "cache.ignored",
                "the build cache was not used: it was made by \(madeBy) and this is \(tool); \(again)", at: index, hint: hint)
        case let .lost(path):
            Diagnostic(
                .error, code: "cache.lost",
                "this file's body, kept by the build cache, changed or went during the build, and the file could not be read again",
                at: SourceLocation(file: path), hint: "build again; if it happens again, delete \(BuildStore.location)")
        case let .unsaved(reason):
            Diagnostic(
                .warning, code: "cache.write", "the build cache could not be saved (\(reason)); the next build renders every page",
                at: here)
        }
    }
}
