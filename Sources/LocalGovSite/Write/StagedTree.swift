import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An earlier site taken as the starting point of a new one: what the new site does not have is
/// removed, and a file it has is kept only when it already holds the new bytes.
enum StagedTree {
    /// Removes every folder not in `folders`, every file not in `files`, and anything that is
    /// neither (a link, a socket); returns the folders and files that stay, each file to be
    /// checked by `holds`.
    static func prune(_ root: String, folders: Set<String>, files: Set<String>) throws(WriteError) -> (
        folders: Set<String>, files: Set<String>
    ) {
        var present: (folders: Set<String>, files: Set<String>) = ([], [])
        var pending = [""]
        while let folder = pending.popLast() {
            let path = folder.isEmpty ? root : root + "/" + folder
            for (name, kind) in try entries(of: path) {
                let relative = folder.isEmpty ? name : folder + "/" + name
                let full = path + "/" + name
                switch kind {
                case .folder where folders.contains(relative):
                    pending.append(relative)
                    present.folders.insert(relative)
                case .file where files.contains(relative): present.files.insert(relative)
                case .folder:
                    do { try FileManager.default.removeItem(atPath: full) } catch {
                        throw .io(path: full, reason: error.localizedDescription)
                    }
                case .file, .other:
                    guard unlink(full) == 0 else { throw .io(path: full, reason: String(cString: strerror(errno))) }
                }
            }
        }
        return present
    }

    /// Whether the file at `target` already has `content`: the very file, for one linked from a
    /// cache (whose files never change in place), or the same bytes.
    static func holds(_ content: OutputFile.Content, at target: String) -> Bool {
        switch content {
        case .file(let source):
            var old = stat()
            var new = stat()
            return lstat(target, &old) == 0 && stat(source, &new) == 0 && old.st_dev == new.st_dev
                && old.st_ino == new.st_ino
        case .bytes(let data):
            var old = stat()
            guard lstat(target, &old) == 0, Int(old.st_size) == data.count else { return false }
            return (try? Data(readingFileAt: target)) == data
        }
    }

    private enum Kind { case folder, file, other }

    private static func entries(of path: String) throws(WriteError) -> [(String, Kind)] {
        guard let stream = opendir(path) else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { closedir(stream) }
        var found: [(String, Kind)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            var type = Int32(entry.pointee.d_type)
            // Some file systems leave the type out of the listing.
            if type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path + "/" + name, &info) == 0 else { throw .io(path: path + "/" + name, reason: String(cString: strerror(errno))) }
                type = (info.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : -1
            }
            found.append((name, type == Int32(DT_DIR) ? .folder : type == Int32(DT_REG) ? .file : .other))
        }
        return found
    }
}
