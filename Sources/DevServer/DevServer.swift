import Foundation
import Hummingbird
import Logging
import LocalGovSite
import Synchronization

/// `localgov serve`: builds the site into memory, serves it on loopback, rebuilds what changed
/// when a source changes, and tells open tabs to reload.
public struct DevServer: Sendable {
    public struct Settings: Sendable {
        public var root: URL
        public var host: String
        /// 0 asks the system for a free port; `listening` reports the one it gave.
        public var port: Int
        public var options: BuildOptions
        public var watch: SiteWatcher.Mode

        public init(root: URL, host: String, port: Int, options: BuildOptions, watch: SiteWatcher.Mode) {
            self.root = root
            self.host = host
            self.port = port
            self.options = options
            self.watch = watch
        }
    }

    /// One build, as the terminal shows it.
    public struct BuildReport: Sendable {
        public var diagnostics: Diagnostics
        public var succeeded: Bool
        public var files: Int
        public var counters: BuildCache.Counters
        public var timings: BuildTimings
        /// The build alone.
        public var duration: Duration
        /// From the first change seen to the reload event sent; nil for the first build.
        public var sinceChange: Duration?
        /// Whether open tabs were told to reload (nothing they show may have changed).
        public var reloaded: Bool
        public var tabs: Int
    }

    /// The edited page alone, shown before the full rebuild that follows (see `PagePreview`).
    public struct PreviewReport: Sendable {
        public var path: String
        /// From the first change seen to the reload event sent.
        public var sinceChange: Duration
        public var tabs: Int
    }

    public enum Report: Sendable {
        case built(BuildReport)
        case previewed(PreviewReport)
    }

    let settings: Settings
    let live = LiveSite()
    let cache = BuildCache()
    let lastGood = LastGoodBuild()
    let ledger = ChangeLedger()

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// Serves until `stop` is called (the CLI calls it on Ctrl-C), then returns.
    public func run(
        listening: @escaping @Sendable (String) -> Void, report: @escaping @Sendable (Report) -> Void,
        stop: StopSignal
    ) async throws {
        report(.built(rebuild(after: nil)))
        let live = self.live
        let application = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in live.respond(to: request) },
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
                listening("http://\(host):\(port)\(live.basePath)")
            },
            logger: .init(label: "localgov-serve", factory: { _ in SwiftLogNoOpLogHandler() }))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            group.addTask {
                for await change in SiteWatcher.changes(in: settings.root, mode: settings.watch, ledger: ledger) {
                    if let preview = preview(after: change) { report(.previewed(preview)) }
                    report(.built(rebuild(after: change)))
                }
            }
            group.addTask { await stop.wait() }
            // The first to end is the stop, or the server failing (its port taken, say).
            defer {
                live.closeAll()
                group.cancelAll()
            }
            try await group.next()
        }
    }

    /// Builds with the cache, keeps the new site if it built and its errors if not, and tells
    /// the tabs when what they show may have changed.
    func rebuild(after change: SiteWatcher.Change?) -> BuildReport {
        let started = ContinuousClock.now
        // The first build, before the watcher runs, knows nothing of what changed.
        cache.noteChanges(change == nil ? nil : ledger.take())
        let result = SiteBuild.run(
            fileSystem: LocalGovSite.LocalFileSystem(root: settings.root), options: settings.options, clock: SystemClock(),
            cache: cache, images: DiskImageStore.inSite(settings.root))
        let built = ContinuousClock.now
        lastGood.keep(result)
        let errors = result.diagnostics.items.filter { $0.severity == .error }
        let changed = live.update(
            files: result.succeeded ? result.outputs : nil, errors: result.succeeded ? [] : errors,
            basePath: result.site?.config.basePath)
        let tabs = changed.isEmpty ? 0 : live.announce(changed)
        return BuildReport(
            diagnostics: result.diagnostics, succeeded: result.succeeded, files: result.outputs.count,
            counters: cache.takeCounters(), timings: result.timings, duration: built - started,
            sinceChange: change.map { ContinuousClock.now - $0.since }, reloaded: !changed.isEmpty, tabs: tabs)
    }

    /// When a change touched one content file alone and it is a post or a page, its own page is
    /// rendered against the last good site and sent to the tabs showing it.
    func preview(after change: SiteWatcher.Change) -> PreviewReport? {
        let fileSystem = LocalGovSite.LocalFileSystem(root: settings.root)
        // An editor that saves by renaming names a temporary file too, gone by now.
        guard let paths = change.paths, paths.allSatisfy({ $0.hasPrefix(ContentLoader.contentFolder + "/") }),
            case let existing = paths.filter(fileSystem.fileExists), existing.count == 1, let path = existing.first,
            !live.hasErrors, let file = try? ContentLoader.readText(path, from: fileSystem),
            let page = lastGood.preview({ site, theme in PagePreview.render(file, in: &site, theme: theme) })
        else { return nil }
        let changed = live.patch(page)
        let tabs = changed.isEmpty ? 0 : live.announce(changed)
        return PreviewReport(path: page.path, sinceChange: ContinuousClock.now - change.since, tabs: tabs)
    }
}

/// The site and theme of the last build that succeeded, which an edit is previewed against.
final class LastGoodBuild: Sendable {
    private let current = Mutex<(site: Site, theme: Theme)?>(nil)

    /// `render` is lent the site itself, which it must leave as it found it: a copy of a large
    /// site to put one post in cost more than rendering the post's page.
    func preview(_ render: (inout Site, Theme) -> OutputFile?) -> OutputFile? {
        current.withLock { current in
            guard let theme = current?.theme else { return nil }
            return render(&current!.site, theme)
        }
    }

    /// The site it replaces is let go on another thread: freeing all of a large site took
    /// longer than most of a rebuild's stages, and nothing waits for it.
    func keep(_ result: BuildResult) {
        guard result.succeeded, let site = result.site, let theme = result.theme else { return }
        let replaced = current.withLock { current in
            defer { current = (site, theme) }
            return current
        }
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(replaced) {} }
    }
}

/// Ends `serve`: `wait` returns once `stop` has been called.
public final class StopSignal: Sendable {
    private let state = Mutex<(stopped: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    public func stop() {
        let waiters = state.withLock { state in
            state.stopped = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.stopped { state.waiters.append(continuation) }
                return state.stopped
            }
            if done { continuation.resume() }
        }
    }
}

/// Which served files a build changed: a tab reloads only when the page it shows is one of them.
struct SiteChange: Sendable {
    var files: Set<String> = []
    /// The errors or the base path changed: every page looks different.
    var everything = false

    var isEmpty: Bool { files.isEmpty && !everything }
}

/// The site being served and the tabs listening for reloads, shared by requests and rebuilds.
final class LiveSite: Sendable {
    private let site = Mutex(ServedSite())
    /// Each open tab with the file it shows (nil for a page the site does not have).
    private let tabs = Mutex<[UUID: (file: String?, events: AsyncStream<Int>.Continuation)]>([:])

    var basePath: String { site.withLock { $0.basePath } }
    var hasErrors: Bool { site.withLock { !$0.errors.isEmpty } }

    /// Takes a build's result. A failed build keeps the last good files. The files are put in
    /// place one by one: most builds change a few of thousands, and making the whole table
    /// again on every build showed. A build's paths are unique (the renderer leaves out a second
    /// file at a path), so any other path the table holds is gone.
    func update(files: [OutputFile]?, errors: [Diagnostic], basePath: String?) -> SiteChange {
        site.withLock { site in
            var change = SiteChange(everything: errors != site.errors || (basePath ?? site.basePath) != site.basePath)
            site.errors = errors
            if let basePath { site.basePath = basePath }
            if let files {
                for file in files where site.files[file.path] != file.content {
                    site.files[file.path] = file.content
                    change.files.insert(file.path)
                }
                if site.files.count != files.count {
                    let paths = Set(files.map(\.path))
                    for path in site.files.keys.filter({ !paths.contains($0) }) {
                        site.files[path] = nil
                        change.files.insert(path)
                    }
                }
            }
            if !change.isEmpty { site.version += 1 }
            return change
        }
    }

    /// Puts one freshly rendered file in place of the served one.
    func patch(_ file: OutputFile) -> SiteChange {
        site.withLock { site in
            guard site.files[file.path] != file.content else { return SiteChange() }
            site.files[file.path] = file.content
            site.version += 1
            return SiteChange(files: [file.path])
        }
    }

    /// Sends the new version to every tab whose page changed; returns how many were told.
    func announce(_ change: SiteChange) -> Int {
        let version = site.withLock { $0.version }
        return tabs.withLock { tabs in
            var told = 0
            for tab in tabs.values where change.everything || tab.file.map(change.files.contains) ?? true {
                tab.events.yield(version)
                told += 1
            }
            return told
        }
    }

    func closeAll() {
        tabs.withLock { tabs in
            for tab in tabs.values { tab.events.finish() }
            tabs = [:]
        }
    }

    func respond(to request: Request) -> Response {
        let path = request.uri.path
        switch path {
        case ServePages.eventsPath:
            return events(page: request.uri.queryParameters["page"].map(String.init))
        case ServePages.scriptPath:
            return Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: ServePages.reloadScript)))
        default:
            break
        }
        let served = site.withLock { $0 }
        let wantsLastGood = request.uri.queryParameters["last-good"] != nil
        switch served.answer(path) {
        case .file(_, let bytes, let contentType):
            if contentType.hasPrefix("text/html"), !served.errors.isEmpty, !wantsLastGood {
                return page(ServePages.errorPage(served.errors, lastGood: path + "?last-good"), status: .internalServerError)
            }
            let body = contentType.hasPrefix("text/html") ? ServePages.withReloadScript(bytes) : bytes
            return Response(
                status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .redirect(let target):
            return Response(status: .movedPermanently, headers: [.location: target])
        case .notFound(let bytes):
            if !served.errors.isEmpty {
                return page(ServePages.errorPage(served.errors, lastGood: nil), status: .internalServerError)
            }
            return page(ServePages.withReloadScript(bytes), status: .notFound)
        case .refused(let reason):
            return Response(
                status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Refused: \(reason).\n")))
        }
    }

    private func page(_ html: Data, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: html)))
    }

    /// Server-sent events: the current version at once, then each new one that changed `page`
    /// (the tab's address; without it, every new version).
    private func events(page: String?) -> Response {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (version, file) = site.withLock { site -> (Int, String?) in
            guard let page, case .file(let path, _, _) = site.answer(page) else { return (site.version, nil) }
            return (site.version, path)
        }
        continuation.yield(version)
        tabs.withLock { $0[id] = (file, continuation) }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { [self] writer in
                defer { _ = tabs.withLock { $0.removeValue(forKey: id) } }
                for await version in stream {
                    try await writer.write(ByteBuffer(string: "event: build\ndata: \(version)\n\n"))
                }
                try await writer.finish(nil)
            })
    }
}
