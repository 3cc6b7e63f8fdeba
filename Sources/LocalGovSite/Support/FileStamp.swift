import Foundation

/// A file's inode and modification time: while a file still has both, it is known unchanged
/// without reading it (as git and make tell).
struct FileStamp: Equatable {
    var inode: UInt64
    var modified: Int64

    init(inode: UInt64, modified: Int64) {
        self.inode = inode
        self.modified = modified
    }

    init(_ info: stat) {
        inode = UInt64(info.st_ino)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// Nil where the file cannot be examined, or has another length.
    init?(_ path: String, size: Int) { self.init(in: AT_FDCWD, path, size: size) }

    /// The file `name` in the open `folder`; nil where it cannot be examined, or has another length.
    init?(in folder: Int32, _ name: String, size: Int) {
        var info = stat()
        guard fstatat(folder, name, &info, 0) == 0, Int(info.st_size) == size else { return nil }
        self.init(info)
    }
}
