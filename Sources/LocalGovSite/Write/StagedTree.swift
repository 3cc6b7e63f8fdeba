import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An earlier site taken as the starting point of a new one: what the new site does not have is
/// removed, and a file it has is kept only when it already holds the new bytes.
enum StagedTree {
    /// What stays of the tree: its folders, and its files with the identity each has, for
    /// `holds` (nil where the tree's device could not be told).
    struct Present {
        var folders: Set<String> = []
        var files: [String: OutputFile.FileIdentity?] = [:]
    }

    /// Removes every folder not in `folders`, every file not in `files`, and anything that is
    /// neither (a link, a socket); returns what stays, each file to be checked by `holds`.
    /// The folders of each depth are listed on every core: a post is a folder of its own, and
    /// listing 10,000 of them one by one was half of writing a site that barely changed.
    static func prune(_ root: String, folders: Set<String>, files: Set<String>) throws(WriteError) -> Present {
        var present = Present()
        var info = stat()
        let device = stat(root, &info) == 0 ? UInt64(info.st_dev) : nil
        var level = [""]
        while !level.isEmpty {
            let listed = parallelMap(level) { folder in
                let path = folder.isEmpty ? root : root + "/" + folder
                return Result { () throws(WriteError) in try entries(of: path) }
            }
            var next: [String] = []
            for (folder, found) in zip(level, listed) {
                let path = folder.isEmpty ? root : root + "/" + folder
                for entry in try found.get() {
                    let name = entry.name
                    let relative = folder.isEmpty ? name : folder + "/" + name
                    let full = path + "/" + name
                    switch entry.kind {
                    case .folder where folders.contains(relative):
                        next.append(relative)
                        present.folders.insert(relative)
                    case .file where files.contains(relative):
                        // Kept even without a device: the file is still there, to be compared by `holds`.
                        present.files.updateValue(device.map { OutputFile.FileIdentity(device: $0, inode: entry.inode) }, forKey: relative)
                    case .folder:
                        do { try FileManager.default.removeItem(atPath: full) } catch {
                            throw .io(path: full, reason: error.localizedDescription)
                        }
                    case .file, .other:
                        guard unlink(full) == 0 else { throw .io(path: full, reason: String(cString: strerror(errno))) }
                    }
                }
            }
            level = next
        }
        return present
    }

    /// Whether the file at `target` already has `content`: the very file, for one linked from a
    /// cache (whose files never change in place), or the same bytes. `present` is the identity
    /// pruning found at `target`: a file whose identity its keeper told is then known without a look.
    static func holds(_ content: OutputFile.Content, at target: String, present: OutputFile.FileIdentity?) -> Bool {
        switch content {
        case .file(_, let identity?) where present != nil:
            return identity == present
        case .file(let source, _):
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

    private struct Entry {
        var name: String
        var kind: Kind
        var inode: UInt64
    }

    private static func entries(of path: String) throws(WriteError) -> [Entry] {
        guard let stream = opendir(path) else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { closedir(stream) }
        var found: [Entry] = []
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
            found.append(
                Entry(
                    name: name, kind: type == Int32(DT_DIR) ? .folder : type == Int32(DT_REG) ? .file : .other,
                    inode: UInt64(entry.pointee.d_ino)))
        }
        return found
    }
}
