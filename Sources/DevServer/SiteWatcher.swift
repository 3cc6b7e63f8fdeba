import Foundation
import LocalGovSite
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Tells `serve` that the site's sources changed: `site.toml` and everything under `content/`,
/// `themes/`, `templates/`, `static/` and `strings/`. On Linux it asks the kernel (inotify);
/// elsewhere, or when asked to, it compares file times and sizes a few times a second.
public enum SiteWatcher {
    public static let watchedFolders = ["content", "themes", "templates", "static", "strings"]
    public static let watchedFiles = ["site.toml"]

    public enum Mode: Sendable {
        case automatic
        case polling(interval: Duration)
    }

    /// One burst of events (an editor's save is several).
    public struct Change: Sendable {
        /// When its first event came.
        public var since: ContinuousClock.Instant
        /// The files it named, relative to the site's folder; nil when the watcher cannot tell
        /// (the kernel's event queue overflowed).
        public var paths: Set<String>?
    }

    /// Yields each burst once `quiet` has passed without another event. A burst that comes
    /// while the last one is still being handled is dropped, as the rebuild already waiting
    /// covers it; every path it named is kept in `ledger` for that rebuild.
    public static func changes(
        in root: URL, mode: Mode, quiet: Duration = .milliseconds(15), ledger: ChangeLedger = ChangeLedger()
    ) -> AsyncStream<Change> {
        let events = EventLog()
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let record: @Sendable (String?) -> Void = { path in
            ledger.record(path)
            events.record(path)
            wake.yield()
        }
        let stop: @Sendable () -> Void
        switch mode {
        case .automatic:
            if let watcher = Inotify(root: root, report: record) {
                stop = watcher.stop
            } else {
                stop = Poller.start(root: root, interval: .milliseconds(250), report: record)
            }
        case .polling(let interval):
            stop = Poller.start(root: root, interval: interval, report: record)
        }
        let (bursts, continuation) = AsyncStream<Change>.makeStream(bufferingPolicy: .bufferingOldest(1))
        let task = Task {
            for await _ in wakeups {
                while let last = events.latest(), ContinuousClock.now - last < quiet {
                    try? await Task.sleep(until: last + quiet)
                }
                if let change = events.take() { continuation.yield(change) }
                if Task.isCancelled { break }
            }
        }
        continuation.onTermination = { _ in
            task.cancel()
            wake.finish()
            stop()
        }
        return bursts
    }
}

/// Every path the watcher named since a rebuild last took them, whichever burst it came in:
/// what `serve` needs to read again. Nothing is known until the watcher has run through one
/// rebuild, so the first after it starts reads everything, as does one after the kernel's
/// queue overflowed.
public final class ChangeLedger: Sendable {
    private let paths = Mutex<Set<String>?>(nil)

    public init() {}

    func record(_ path: String?) {
        paths.withLock { paths in
            if let path { paths?.insert(path) } else { paths = nil }
        }
    }

    /// The paths named since the last call (nil when that cannot be told), and starts again.
    public func take() -> Set<String>? {
        paths.withLock { paths in
            defer { paths = [] }
            return paths
        }
    }
}

/// Events not yet turned into a rebuild: when the first and the latest came, and what they named.
private final class EventLog: Sendable {
    private let state = Mutex<(burst: SiteWatcher.Change?, latest: ContinuousClock.Instant?)>((nil, nil))

    /// An event after `take` starts the next burst; the build that follows reads the files
    /// afresh, so an event racing with it costs at most one more build.
    func record(_ path: String?) {
        let now = ContinuousClock.now
        state.withLock { state in
            var burst = state.burst ?? SiteWatcher.Change(since: now, paths: [])
            if let path { burst.paths?.insert(path) } else { burst.paths = nil }
            state = (burst, now)
        }
    }

    func latest() -> ContinuousClock.Instant? { state.withLock { $0.latest } }

    func take() -> SiteWatcher.Change? {
        state.withLock { state in
            defer { state = (nil, nil) }
            return state.burst
        }
    }
}

#if os(Linux)
/// inotify on every watched folder (and each new folder inside one), read on its own thread.
private final class Inotify: @unchecked Sendable {
    private let descriptor: Int32
    private let root: URL
    private let report: @Sendable (String?) -> Void
    private var folders: [Int32: String] = [:]
    private let lock = NSLock()
    private var stopped = false

    private static let folderEvents = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB)

    init?(root: URL, report: @escaping @Sendable (String?) -> Void) {
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.root = root
        self.report = report
        // The site's folder itself, for site.toml and for watched folders created later.
        guard add(root.path) else {
            close(descriptor)
            return nil
        }
        for folder in SiteWatcher.watchedFolders { addTree(root.appendingPathComponent(folder).path) }
        let thread = Thread { [self] in readEvents() }
        thread.name = "localgov-watch"
        thread.start()
    }

    @discardableResult
    private func add(_ path: String) -> Bool {
        let watch = inotify_add_watch(descriptor, path, Self.folderEvents)
        guard watch >= 0 else { return false }
        lock.withLock { folders[watch] = path }
        return true
    }

    private func addTree(_ path: String) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return }
        add(path)
        for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            addTree(path + "/" + child)
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        // Closing the descriptor ends the blocking read on the watcher's thread.
        close(descriptor)
    }

    private func readEvents() {
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, size)
            if count <= 0 {
                if count < 0, errno == EINTR { continue }
                return
            }
            var offset = 0
            var named: [String?] = []
            while offset < count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size)
                let name = event.len > 0 ? String(cString: nameStart.assumingMemoryBound(to: CChar.self)) : ""
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    named.append(nil)
                    continue
                }
                let folder = lock.withLock { folders[event.wd] }
                guard let folder else { continue }
                let relative = String((folder + "/" + name).dropFirst(root.path.count + 1))
                if folder == root.path {
                    // At the top only site.toml and the watched folders matter.
                    if SiteWatcher.watchedFiles.contains(name) { named.append(relative) }
                    if SiteWatcher.watchedFolders.contains(name) {
                        if event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { addTree(folder + "/" + name) }
                        named.append(relative)
                    }
                    continue
                }
                if event.mask & UInt32(IN_ISDIR) != 0, event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    addTree(folder + "/" + name)
                }
                // Editors' swap and backup files are not the site's.
                if name.hasSuffix(".swp") || name.hasSuffix("~") || name.hasPrefix(".#") { continue }
                named.append(relative)
            }
            if lock.withLock({ stopped }) { return }
            for path in named { report(path) }
        }
    }
}
#else
private final class Inotify: Sendable {
    init?(root: URL, report: @escaping @Sendable (String?) -> Void) { nil }
    func stop() {}
}
#endif

/// Compares every watched file's modification time and size, every `interval`.
private enum Poller {
    static func start(root: URL, interval: Duration, report: @escaping @Sendable (String?) -> Void) -> @Sendable () -> Void {
        let task = Task.detached {
            var previous = snapshot(root)
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let current = snapshot(root)
                for path in Set(current.keys).union(previous.keys) where current[path] != previous[path] { report(path) }
                previous = current
            }
        }
        return { task.cancel() }
    }

    static func snapshot(_ root: URL) -> [String: FileVersion] {
        let files = LocalGovSite.LocalFileSystem(root: root)
        return (SiteWatcher.watchedFiles + SiteWatcher.watchedFolders).reduce(into: [:]) { versions, name in
            versions.merge(files.versions(under: name)) { first, _ in first }
        }
    }
}
