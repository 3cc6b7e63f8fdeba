import Foundation

extension Data {
    /// Written beside `target` and renamed into place, so a build stopped halfway leaves no half
    /// file: a reader finds the old file or the new one.
    func writeAtomically(to target: URL) throws {
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString)")
        do {
            try write(to: partial)
            // rename(2) replaces the target in one step; Foundation's replaceItemAt fails on
            // Linux when there is no target yet.
            guard rename(partial.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}

extension Data {
    /// The whole file at `path`: one open, one fstat and the reads it takes. `Data(contentsOf:)`
    /// made a URL of each path and cost about 20 µs a file, most of a warm build's reading of
    /// 10,000 content files and as many cached parses. The errors are Foundation's own.
    init(readingFileAt path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.readError(errno, path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.readError(errno, path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Self.readError(EISDIR, path) }
        var data = Data(count: Swift.max(Int(info.st_size), 0))
        var filled = 0
        while true {
            // A file that grew since fstat is read to its end all the same.
            if filled == data.count { data.count += Swift.max(4096, data.count / 2) }
            let got = data.withUnsafeMutableBytes { raw in read(descriptor, raw.baseAddress! + filled, raw.count - filled) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw Self.readError(errno, path) }
            if got == 0 { break }
            filled += got
        }
        data.count = filled
        self = data
    }

    private static func readError(_ number: Int32, _ path: String) -> CocoaError {
        let code: CocoaError.Code =
            switch number {
            case ENOENT, ENOTDIR: .fileReadNoSuchFile
            case EACCES, EPERM: .fileReadNoPermission
            default: .fileReadUnknown
            }
        let underlying = POSIXError(POSIXErrorCode(rawValue: number) ?? .EIO)
        return CocoaError(code, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: underlying])
    }
}
