import Foundation
import Synchronization

/// The errno of a failed write of all of `bytes`, nil when they were all written.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
    var done = 0
    while done < bytes.count {
        let wrote = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
        if wrote < 0, errno == EINTR { continue }
        guard wrote > 0 else { return wrote < 0 ? errno : EIO }
        done += wrote
    }
    return nil
}

/// Names a build's partial files apart, in this process and from another one writing beside it.
private let partialFiles = Atomic<Int>(0)

extension Data {
    /// Written beside `target` and renamed into place, so a build stopped halfway leaves no half
    /// file: a reader finds the old file or the new one.
    func writeAtomically(to target: URL) throws { try writeAtomically(toPath: target.path) }

    /// The same, by path, with one `open`, the writes and a `rename`: the build cache writes tens
    /// of thousands of files a cold build, and making URLs and temporary names for each through
    /// Foundation was a third of that. Returns the stamp of the file now at `target`.
    @discardableResult
    func writeAtomically(toPath target: String) throws -> FileStamp {
        let nameStart = target.utf8.lastIndex(of: UInt8(ascii: "/")).map { target.utf8.index(after: $0) } ?? target.startIndex
        let number = partialFiles.add(1, ordering: .relaxed).newValue
        let partial = "\(target[..<nameStart]).\(target[nameStart...]).\(getpid())-\(number)"
        let stamp = try writeNewFile(atPath: partial, reportedAs: target)
        // rename(2) replaces the target in one step, and keeps the inode and time.
        guard rename(partial, target) == 0 else {
            let failure = errno
            unlink(partial)
            throw Self.fileError(failure, target, writing: true)
        }
        return stamp
    }

    /// Writes a file that must not exist yet, removing what was written if it fails. Errors name
    /// `reported`, the file the caller means to make. Returns the new file's stamp, taken from
    /// the open file, which spares the build cache a `stat` of each page it keeps.
    @discardableResult
    func writeNewFile(atPath path: String, reportedAs reported: String? = nil) throws -> FileStamp {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw Self.fileError(errno, reported ?? path, writing: true) }
        var failure = withUnsafeBytes { writeAll($0, to: descriptor) }
        var info = stat()
        if failure == nil, fstat(descriptor, &info) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if let failure {
            unlink(path)
            throw Self.fileError(failure, reported ?? path, writing: true)
        }
        return FileStamp(info)
    }
}

extension Data {
    /// The whole file at `path`: one open, the reads it takes, and an fstat before and after.
    /// `Data(contentsOf:)` made a URL of each path and cost about 20 µs a file, most of a warm
    /// build's reading of 10,000 content files and as many cached parses. The errors are
    /// Foundation's own.
    init(readingFileAt path: String) throws { self = try Self.readingWithStamp(at: path).data }

    /// The bytes of the file at `path` (in the open `folder`, where one is given) from `offset`,
    /// at most `limit` of them (all to its end where there is no limit), and its stamp once they
    /// were read: a keeper of files that still finds the stamp it recorded knows them for the
    /// bytes it wrote, undigested.
    static func readingWithStamp(
        at path: String, in folder: Int32 = AT_FDCWD, from offset: Int = 0, limit: Int? = nil
    ) throws -> (data: Data, stamp: FileStamp) {
        let descriptor = openat(folder, path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.fileError(errno, path, writing: false) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.fileError(errno, path, writing: false) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Self.fileError(EISDIR, path, writing: false) }
        // A byte more than the file has: the read that finds the end then needs no more room,
        // where growing the buffer by a page copied every file read, 140 MB of kept parses a build.
        let (left, limit) = (Swift.max(Int(info.st_size) - offset, 0), limit ?? Int.max)
        var data = Data(count: Swift.min(limit, left + 1))
        var filled = 0
        while filled < limit {
            // A file that grew since fstat is read to its end all the same.
            if filled == data.count { data.count += Swift.max(4096, data.count / 2) }
            let got = data.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + filled, Swift.min(raw.count, limit) - filled, off_t(offset + filled))
            }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw Self.fileError(errno, path, writing: false) }
            if got == 0 { break }
            filled += got
        }
        data.count = filled
        guard fstat(descriptor, &info) == 0 else { throw Self.fileError(errno, path, writing: false) }
        return (data, FileStamp(info))
    }

    /// Foundation's own error for a failed read or write, with the POSIX error beneath.
    private static func fileError(_ number: Int32, _ path: String, writing: Bool) -> CocoaError {
        let code: CocoaError.Code =
            switch (number, writing) {
            case (ENOENT, false), (ENOTDIR, false): .fileReadNoSuchFile
            case (EACCES, false), (EPERM, false): .fileReadNoPermission
            case (_, false): .fileReadUnknown
            case (ENOENT, true), (ENOTDIR, true): .fileNoSuchFile
            case (EACCES, true), (EPERM, true): .fileWriteNoPermission
            case (ENOSPC, true), (EDQUOT, true): .fileWriteOutOfSpace
            case (EROFS, true): .fileWriteVolumeReadOnly
            case (_, true): .fileWriteUnknown
            }
        let underlying = POSIXError(POSIXErrorCode(rawValue: number) ?? .EIO)
        return CocoaError(code, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: underlying])
    }
}
