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
        /// The build alone.
        public var duration: Duration
        /// From the first change seen to the reload event sent; nil for the first build.
        public var sinceChange: Duration?
        /// Whether open tabs were told to reload (nothing they show may have changed).
        public var reloaded: Bool
        public var tabs: Int
    }

    let settings: Settings
    let live = LiveSite()
    let cache = BuildCache()

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// Serves until `stop` is called (the CLI calls it on Ctrl-C), then returns.
    public func run(
        listening: @escaping @Sendable (String) -> Void, report: @escaping @Sendable (BuildReport) -> Void,
        stop: StopSignal
    ) async throws {
        report(rebuild(after: nil))
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
                for await change in SiteWatcher.changes(in: settings.root, mode: settings.watch) {
                    report(rebuild(after: change))
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
    func rebuild(after change: ContinuousClock.Instant?) -> BuildReport {
        let started = ContinuousClock.now
        let result = SiteBuild.run(
            fileSystem: LocalFileSystem(root: settings.root), options: settings.options, clock: SystemClock(), cache: cache)
        let built = ContinuousClock.now
        let basePath = result.site?.config.basePath
        let errors = result.diagnostics.items.filter { $0.severity == .error }
        let changed = live.update(
            files: result.succeeded ? result.outputs : nil, errors: result.succeeded ? [] : errors, basePath: basePath)
        let tabs = changed ? live.announce() : live.tabCount
        return BuildReport(
            diagnostics: result.diagnostics, succeeded: result.succeeded, files: result.outputs.count,
            counters: cache.takeCounters(), duration: built - started, sinceChange: change.map { ContinuousClock.now - $0 },
            reloaded: changed, tabs: tabs)
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

/// The site being served and the tabs listening for reloads, shared by requests and rebuilds.
final class LiveSite: Sendable {
    private let site = Mutex(ServedSite())
    private let tabs = Mutex<[UUID: AsyncStream<Int>.Continuation]>([:])

    var basePath: String { site.withLock { $0.basePath } }
    var tabCount: Int { tabs.withLock { $0.count } }

    /// Takes a build's result; true if what a tab shows may have changed. A failed build keeps
    /// the last good files.
    func update(files: [OutputFile]?, errors: [Diagnostic], basePath: String?) -> Bool {
        let served = files.map { Dictionary($0.map { ($0.path, $0.bytes) }, uniquingKeysWith: { first, _ in first }) }
        return site.withLock { site in
            var next = site
            if let served { next.files = served }
            next.errors = errors
            if let basePath { next.basePath = basePath }
            guard next.files != site.files || next.errors != site.errors || next.basePath != site.basePath else { return false }
            next.version += 1
            site = next
            return true
        }
    }

    /// Sends the new version to every tab; returns how many there are.
    func announce() -> Int {
        let version = site.withLock { $0.version }
        return tabs.withLock { tabs in
            for tab in tabs.values { tab.yield(version) }
            return tabs.count
        }
    }

    func closeAll() {
        tabs.withLock { tabs in
            for tab in tabs.values { tab.finish() }
            tabs = [:]
        }
    }

    func respond(to request: Request) -> Response {
        let path = request.uri.path
        switch path {
        case ServePages.eventsPath:
            return events()
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

    /// Server-sent events: the current version at once, then each new one.
    private func events() -> Response {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.yield(site.withLock { $0.version })
        tabs.withLock { $0[id] = continuation }
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
