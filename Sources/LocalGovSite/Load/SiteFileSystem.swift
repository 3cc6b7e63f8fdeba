import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The file system as the pipeline sees it: paths relative to the site root, `/`-separated.
/// Tests replace it to reorder listings or to build a site that never touches disk.
public protocol SiteFileSystem: Sendable {
    func fileExists(_ path: String) -> Bool
    func read(_ path: String) throws -> Data
    /// Every regular file below `folder`, as paths relative to the site root, in any order.
    func files(under folder: String) throws -> [String]
    /// The file's size in bytes without reading it, where the file system can tell.
    func size(of path: String) -> Int?
    /// What the file looks like without reading it, where the file system can vouch that the
    /// same version means the same bytes: `serve` then reuses the last build's reading of it.
    func version(of path: String) -> FileVersion?
}

extension SiteFileSystem {
    public func size(of path: String) -> Int? { nil }
    public func version(of path: String) -> FileVersion? { nil }
}

/// A file's modification and status-change times and size, as a stat tells them: enough to see
/// which file an edit touched, as make and git tell.
public struct FileVersion: Sendable, Hashable {
    var modified: timespec
    var changed: timespec
    var size: Int

    public init(modified: timespec, changed: timespec, size: Int) {
        self.modified = modified
        self.changed = changed
        self.size = size
    }

    init(_ info: stat) { self.init(modified: info.st_mtim, changed: info.st_ctim, size: Int(info.st_size)) }

    public static func == (a: FileVersion, b: FileVersion) -> Bool {
        (a.modified.tv_sec, a.modified.tv_nsec, a.changed.tv_sec, a.changed.tv_nsec, a.size)
            == (b.modified.tv_sec, b.modified.tv_nsec, b.changed.tv_sec, b.changed.tv_nsec, b.size)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(modified.tv_sec)
        hasher.combine(modified.tv_nsec)
        hasher.combine(size)
    }
}

/// As five numbers: the build cache's notes keep the versions of the files they vouch for.
extension PackedValues {
    mutating func append(_ version: FileVersion) {
        for number in [version.modified.tv_sec, version.modified.tv_nsec, version.changed.tv_sec, version.changed.tv_nsec] {
            append(Int(number))
        }
        append(version.size)
    }
}

extension PackedValues.Reader {
    mutating func version() throws -> FileVersion {
        func time() throws -> timespec { timespec(tv_sec: try number(), tv_nsec: try number()) }
        return FileVersion(modified: try time(), changed: try time(), size: try number())
    }
}

public struct LocalFileSystem: SiteFileSystem {
    public let root: URL
    private let rootPath: String

    public init(root: URL) {
        self.root = root.standardizedFileURL
        rootPath = self.root.path.hasSuffix("/") ? self.root.path : self.root.path + "/"
    }

    /// Joined as text: making a URL for each of 10,000 files was a sixth of reading them.
    private func fullPath(_ path: String) -> String { rootPath + path }

    public func fileExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: fullPath(path), isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func size(of path: String) -> Int? {
        var info = stat()
        return stat(fullPath(path), &info) == 0 ? Int(info.st_size) : nil
    }

    /// A symbolic link is read only when it leads to a file inside the site's folder: content
    /// must not pull in what the site's owners did not put there.
    public func read(_ path: String) throws -> Data {
        let full = fullPath(path)
        var info = stat()
        if lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            guard let target = Self.resolved(full) else { throw LinkError.broken }
            var targetInfo = stat()
            if stat(target, &targetInfo) == 0, (targetInfo.st_mode & S_IFMT) == S_IFDIR { throw LinkError.toFolder }
            let inside = Self.resolved(root.path).map { target.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") } ?? false
            if !inside { throw LinkError.outside(target: target) }
        }
        return try Data(readingFileAt: full)
    }

    public enum LinkError: LocalizedError {
        case broken
        case toFolder
        case outside(target: String)

        public var errorDescription: String? {
            switch self {
            case .broken: "it is a symbolic link to nothing; remove it or point it at a file"
            case .toFolder: "it is a symbolic link to a folder, which the build does not follow; move the folder here instead"
            case .outside(let target): "it is a symbolic link to \(target), outside the site's folder; links out of the site are refused, so copy the file in instead"
            }
        }
    }

    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    public func files(under folder: String) throws -> [String] {
        var result: [String] = []
        walk(fullPath(folder), relative: folder) { relative, _ in result.append(relative) }
        return result
    }

    /// Nil for a file changed in the last two seconds: a file system's clock moves in steps
    /// (a few milliseconds on Linux, two seconds on FAT), and a second save within the same step
    /// would keep the version of the first. Such a file is read afresh until the step is past.
    public func version(of path: String) -> FileVersion? {
        var info = stat()
        guard stat(fullPath(path), &info) == 0 else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let settled = now.tv_sec - 2
        guard info.st_mtim.tv_sec < settled, info.st_ctim.tv_sec < settled else { return nil }
        return FileVersion(info)
    }

    /// Every regular file below `folder` (or the file `folder` itself) with its version, by path
    /// relative to the site root; a missing folder gives none.
    public func versions(under folder: String) -> [String: FileVersion] {
        var result: [String: FileVersion] = [:]
        func add(_ relative: String, _ full: String) {
            var info = stat()
            guard stat(full, &info) == 0 else { return }
            result[relative] = FileVersion(info)
        }
        if fileExists(folder) {
            add(folder, fullPath(folder))
        } else {
            walk(fullPath(folder), relative: folder, visit: add)
        }
        return result
    }

    /// readdir's file types, so a folder of 10,000 posts is listed without a stat for each one.
    /// A symbolic link is listed as a file, whatever it leads to, and not walked into, so a
    /// link loop cannot send the walk round for ever; `read` decides whether it may be read.
    private func walk(_ path: String, relative: String, visit: (_ relative: String, _ full: String) -> Void) {
        guard let folder = opendir(path) else { return }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let full = path + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFREG: type = Int32(DT_REG)
                case S_IFDIR: type = Int32(DT_DIR)
                case S_IFLNK: type = Int32(DT_LNK)
                default: type = -1
                }
            }
            if type == Int32(DT_LNK) { type = Int32(DT_REG) }
            if type == Int32(DT_DIR) {
                walk(full, relative: relative + "/" + name, visit: visit)
            } else if type == Int32(DT_REG) {
                visit(relative + "/" + name, full)
            }
        }
    }
}
