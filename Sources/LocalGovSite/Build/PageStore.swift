import Foundation
import Synchronization

/// `.localgov/cache/build/` in the site's folder: the pages the last build rendered, each in a
/// file named by what it was made from (its address and the fingerprint of its inputs). The next build links an unchanged page from here into the new site instead
/// of rendering it, and the whole site is still swapped in at once.
///
/// Nothing here is trusted: an entry is used only if its file still has the length and the
/// SHA-256 the index recorded, and an index that cannot be read, or that another version of the
/// tool wrote, is set aside with a warning.
public final class PageStore: Sendable {
    public let folder: URL
    private let tool: String
    private let state: Mutex<State>
    /// The open lock file: one build at a time reads and tidies the store. The kernel lets go
    /// of it when the process ends, however it ends.
    private let lock: Int32

    private struct State {
        var entries: [String: Entry]
        var used: Set<String> = []
    }

    struct Entry: Codable, Equatable {
        var origin: String
        var size: Int
        var sha256: String
    }

    private struct Index: Codable {
        var format: Int
        var tool: String
        var pages: [String: Entry]
    }

    /// Bump when what the index holds, or how keys are made, changes.
    private static let format = 1

    private init(folder: URL, tool: String, lock: Int32, entries: [String: Entry]) {
        self.folder = folder
        self.tool = tool
        self.lock = lock
        self.state = Mutex(State(entries: entries))
    }

    deinit { close(lock) }

    /// Where in a site's folder its builds keep their pages.
    public static let location = ".localgov/cache/build"

    /// The store in `root`'s `.localgov/cache/build/`, empty when there is none yet. `tool` names
    /// the program exactly (its version and build), since another build of it may render the
    /// same inputs differently. Nil while another build holds it, or where it cannot be made:
    /// that build then renders every page, as a build without a cache does.
    public static func inSite(_ root: URL, tool: String) -> (PageStore?, [Diagnostic]) {
        let folder = root.appendingPathComponent(location)
        let lock = (try? FileManager.default.createDirectory(at: folder.appendingPathComponent("pages"), withIntermediateDirectories: true))
            .map { open(folder.appendingPathComponent("lock").path, O_RDWR | O_CREAT, 0o644) } ?? -1
        guard lock >= 0 else { return (nil, [BuildCacheError.unavailable.diagnostic]) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            close(lock)
            return (nil, [BuildCacheError.busy.diagnostic])
        }
        let indexFile = folder.appendingPathComponent("index.json")
        guard let data = try? Data(contentsOf: indexFile) else {
            return (PageStore(folder: folder, tool: tool, lock: lock, entries: [:]), [])
        }
        let problem: BuildCacheError
        if let index = try? JSONDecoder().decode(Index.self, from: data) {
            if index.format == format && index.tool == tool {
                return (PageStore(folder: folder, tool: tool, lock: lock, entries: index.pages), [])
            }
            problem = .foreign(madeBy: index.tool, tool: tool)
        } else {
            problem = .unreadable
        }
        return (PageStore(folder: folder, tool: tool, lock: lock, entries: [:]), [problem.diagnostic])
    }

    /// The page at `path` made from inputs with this fingerprint, if an earlier build kept it intact.
    func page(_ path: String, fingerprint: Fingerprint) -> OutputFile? {
        let key = key(path, fingerprint)
        guard let entry = state.withLock({ $0.entries[key] }) else { return nil }
        let file = pagesFolder.appendingPathComponent(key)
        guard let bytes = try? Data(contentsOf: file), bytes.count == entry.size,
            Fingerprint.sha256(of: bytes).description == entry.sha256
        else {
            return nil
        }
        state.withLock { _ = $0.used.insert(key) }
        return OutputFile(path: path, content: .file(file), origin: entry.origin)
    }

    /// Keeps a page just rendered, and returns it to be linked from the store. A store that cannot
    /// be written only makes the next build slower: the page is then written from memory.
    func save(_ page: OutputFile, fingerprint: Fingerprint) -> OutputFile {
        guard case .bytes(let bytes) = page.content else { return page }
        let key = key(page.path, fingerprint)
        let target = pagesFolder.appendingPathComponent(key)
        do {
            try bytes.writeAtomically(to: target)
        } catch {
            return page
        }
        let entry = Entry(origin: page.origin, size: bytes.count, sha256: Fingerprint.sha256(of: bytes).description)
        state.withLock {
            $0.entries[key] = entry
            $0.used.insert(key)
        }
        return OutputFile(path: page.path, content: .file(target), origin: page.origin)
    }

    /// Writes the index of the pages this build used and removes every other file, so the store
    /// holds one site's pages and does not grow with each edit.
    public func commit() throws {
        let (index, used) = state.withLock { state in
            (Index(format: Self.format, tool: tool, pages: state.entries.filter { state.used.contains($0.key) }), state.used)
        }
        let fileManager = FileManager.default
        for name in try fileManager.contentsOfDirectory(atPath: pagesFolder.path) where !used.contains(name) {
            try? fileManager.removeItem(at: pagesFolder.appendingPathComponent(name))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try encoder.encode(index).writeAtomically(to: folder.appendingPathComponent("index.json"))
    }

    private var pagesFolder: URL { folder.appendingPathComponent("pages") }

    /// The tool is not in the key: an index another build of the tool wrote is not read at all.
    private func key(_ path: String, _ fingerprint: Fingerprint) -> String {
        var hasher = StableHasher()
        hasher.combine(path)
        hasher.combine(fingerprint)
        return hasher.finalize().description
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

    public var diagnostic: Diagnostic {
        let here = SourceLocation(file: PageStore.location)
        let index = SourceLocation(file: PageStore.location + "/index.json")
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
        case let .unsaved(reason):
            Diagnostic(
                .warning, code: "cache.write", "the build cache could not be saved (\(reason)); the next build renders every page",
                at: here)
        }
    }
}
