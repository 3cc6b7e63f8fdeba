import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

public enum WriteError: DiagnosticConvertible {
    case io(path: String, reason: String)
    case interrupted

    public var diagnostic: Diagnostic {
        switch self {
        case let .io(path, reason):
            Diagnostic(
                .error, code: "output.write", "could not write \(path): \(reason); the previous site was left as it was",
                at: nil)
        case .interrupted:
            Diagnostic(.error, code: "output.interrupted", "stopped before the new site was in place; the previous site was left as it was", at: nil)
        }
    }
}

/// Ctrl-C during a build. Until the writer has a staging folder there is nothing on disk to
/// tidy and the process may stop at once; after that, the signal only asks the writer to stop,
/// and it removes its staging folder before the process ends.
public final class Interruption: Sendable {
    private let state = Mutex<(requested: Bool, staging: URL?)>((false, nil))

    public init() {}

    /// From the signal handler: true when nothing is being written and the process can end now.
    public func request() -> Bool {
        state.withLock { state in
            state.requested = true
            return state.staging == nil
        }
    }

    var isRequested: Bool { state.withLock { $0.requested } }

    /// False when the build was already asked to stop, so no staging folder is made.
    func begin(_ staging: URL) -> Bool {
        state.withLock { state in
            guard !state.requested else { return false }
            state.staging = staging
            return true
        }
    }

    func end() { state.withLock { $0.staging = nil } }
}

/// Writes the site beside the output folder and swaps it in only once every file is written,
/// so readers and a failed build never see half a site. Two builds writing to the same folder at
/// once each swap in a whole site; the last to finish wins.
public enum OutputWriter {
    /// `spare`, when given, is where the site this build replaces is kept afterwards; the next
    /// build brings that copy up to date instead of writing every file afresh (most are unchanged),
    /// and skips deleting the old site, which at 10,000 posts costs as much as writing the new.
    public static func write(
        _ files: [OutputFile], to output: URL, spare: URL? = nil, interruption: Interruption = Interruption()
    ) throws(WriteError) {
        let fileManager = FileManager.default
        let output = output.standardizedFileURL
        let parent = output.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).localgov-\(UUID().uuidString)")
        guard interruption.begin(staging) else { throw .interrupted }
        defer { interruption.end() }
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            // Taking the spare is one rename, so it is never half taken; where it is missing or on
            // another file system the site is written from nothing.
            let reused = spare.map { rename($0.path, staging.path) == 0 } ?? false
            if !reused { try fileManager.createDirectory(at: staging, withIntermediateDirectories: false) }
            // Every folder with every folder above it: a post is a folder of its own.
            var folders: Set<String> = []
            for file in files {
                var folder = PathText.parent(file.path)
                while !folder.isEmpty, folders.insert(folder).inserted { folder = PathText.parent(folder) }
            }
            let present = try { () throws -> StagedTree.Present in
                guard reused else { return StagedTree.Present() }
                do {
                    return try StagedTree.prune(staging.path, folders: folders, files: Set(files.map(\.path)))
                } catch {
                    // A spare that cannot be tidied only costs the saving: the site is written from nothing.
                    try fileManager.removeItem(at: staging)
                    try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
                    return StagedTree.Present()
                }
            }()
            // Paths are joined as text: a URL for each of 20,000 files, and its `path`, cost more
            // than the system calls made with them.
            let stagingPath = staging.path + "/"
            // Parents first, one mkdir(2) each: FileManager's checks of each parent cost more than the mkdir.
            for folder in folders.subtracting(present.folders).sorted() {
                let path = stagingPath + folder
                guard mkdir(path, 0o777) == 0 || errno == EEXIST else {
                    throw WriteError.io(path: path, reason: String(cString: strerror(errno)))
                }
            }
            // Files on every core: the kernel's copying is most of the time, and it runs in parallel.
            let written = parallelMap(files) { file in
                Result { () throws in
                    if interruption.isRequested { throw WriteError.interrupted }
                    let target = stagingPath + file.path
                    if let identity = present.files[file.path] {
                        if StagedTree.holds(file.content, at: target, present: identity) { return }
                        // Never written through: the old file may be a link to a page in the build cache.
                        guard unlink(target) == 0 else {
                            throw WriteError.io(path: target, reason: String(cString: strerror(errno)))
                        }
                    }
                    switch file.content {
                    case .bytes(let data): try data.write(to: URL(fileURLWithPath: target, isDirectory: false))
                    // A hard link where the cache is on the same file system: no bytes move.
                    case .file(let source, _):
                        if link(source, target) != 0 { try fileManager.copyItem(atPath: source, toPath: target) }
                    }
                }
            }
            for result in written { try result.get() }
            if interruption.isRequested { throw WriteError.interrupted }
            try swap(staging, into: output, keepingOldAt: spare)
        } catch let error as WriteError {
            try? fileManager.removeItem(at: staging)
            throw error
        } catch {
            try? fileManager.removeItem(at: staging)
            throw .io(path: output.path, reason: error.localizedDescription)
        }
    }

    /// Exchanges the two folders in one step where the kernel can (Linux `renameat2`), else
    /// moves the old site aside first; either way the old site is put away only afterwards.
    private static func swap(_ staging: URL, into output: URL, keepingOldAt spare: URL?) throws {
        let fileManager = FileManager.default
        func putAway(_ old: URL) {
            if let spare, rename(old.path, spare.path) == 0 { return }
            try? fileManager.removeItem(at: old)
        }
        if exchange(staging.path, output.path) {
            putAway(staging)
            return
        }
        // No site yet: a plain rename, which fails rather than replace a site another build
        // has just put there; then that one is exchanged like any other.
        if !fileManager.fileExists(atPath: output.path) {
            if rename(staging.path, output.path) == 0 { return }
            if exchange(staging.path, output.path) {
                putAway(staging)
                return
            }
        }
        let retired = staging.deletingLastPathComponent()
            .appendingPathComponent(staging.lastPathComponent + "-old")
        try fileManager.moveItem(at: output, to: retired)
        do {
            try fileManager.moveItem(at: staging, to: output)
        } catch {
            try? fileManager.moveItem(at: retired, to: output)
            throw error
        }
        putAway(retired)
    }

    private static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        // glibc has renameat2 since 2.28, but Swift's Glibc module does not declare it.
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }
}
