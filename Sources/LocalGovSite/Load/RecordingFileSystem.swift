import Foundation
import Synchronization

/// What a stage read from the site's files: each folder it listed with what was there, each file
/// it read or looked for with its version. While every one of them would read the same, what the
/// stage made from them still holds, as a make rule's output holds while its inputs do.
final class ReadRecord: Sendable {
    private struct Reads {
        var listings: [String: [String]?] = [:]
        var versions: [String: FileVersion?] = [:]
        var exists: [String: Bool] = [:]
    }

    private let reads = Mutex(Reads())

    fileprivate func listed(_ folder: String, _ files: [String]?) { reads.withLock { $0.listings[folder] = files?.sorted() } }
    fileprivate func read(_ path: String, version: FileVersion?) { reads.withLock { $0.versions[path] = version } }
    fileprivate func looked(for path: String, found: Bool) { reads.withLock { $0.exists[path] = found } }

    /// Whether `fileSystem` would give every recorded read the same answer. A file whose version
    /// the file system cannot vouch for (nil) might differ, so it never holds.
    func holds(in fileSystem: some SiteFileSystem) -> Bool {
        let reads = reads.withLock { $0 }
        return reads.listings.allSatisfy { folder, files in (try? fileSystem.files(under: folder))?.sorted() == files }
            && reads.versions.allSatisfy { path, version in version != nil && fileSystem.version(of: path) == version }
            && reads.exists.allSatisfy { path, found in fileSystem.fileExists(path) == found }
    }
}

/// The site's files, with every read noted in a `ReadRecord`.
struct RecordingFileSystem<Base: SiteFileSystem>: SiteFileSystem {
    let base: Base
    let record: ReadRecord

    func fileExists(_ path: String) -> Bool {
        let found = base.fileExists(path)
        record.looked(for: path, found: found)
        return found
    }

    /// The version is taken before the bytes: a save in between leaves a version that no longer
    /// holds, rather than new bytes under an old version.
    func read(_ path: String) throws -> Data {
        record.read(path, version: base.version(of: path))
        return try base.read(path)
    }

    func files(under folder: String) throws -> [String] {
        do {
            let files = try base.files(under: folder)
            record.listed(folder, files)
            return files
        } catch {
            record.listed(folder, nil)
            throw error
        }
    }

    func size(of path: String) -> Int? {
        record.read(path, version: base.version(of: path))
        return base.size(of: path)
    }

    func version(of path: String) -> FileVersion? {
        let version = base.version(of: path)
        record.read(path, version: version)
        return version
    }
}
