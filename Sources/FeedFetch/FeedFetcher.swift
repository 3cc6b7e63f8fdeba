import AsyncHTTPClient
import Foundation
import LocalGovSite
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// Limits for one run of `feeds fetch`: a member's server is not ours, so nothing it does may
/// hold up the run for long, fill the disk or loop forever.
public struct FetchSettings: Sendable {
    public var concurrency: Int
    public var connectTimeout: Int
    /// Seconds for the whole exchange, redirects and body included.
    public var timeout: Int
    public var maxBytes: Int
    public var maxRedirects: Int
    public var userAgent: String

    public init(_ fetch: SiteConfig.Voice.Fetch, userAgent: String) {
        concurrency = fetch.concurrency
        connectTimeout = fetch.connectTimeout
        timeout = fetch.timeout
        maxBytes = fetch.maxBytes
        maxRedirects = fetch.maxRedirects
        self.userAgent = userAgent
    }

    /// Names the generator and the site, with a link, so a member's server logs say who is asking.
    public static func userAgent(site: SiteConfig) -> String {
        "LocalGovSite/1.0 (+\(site.baseURL); feed reader for \(site.title))"
    }
}

public enum FetchOutcome: Sendable, Hashable {
    /// A new body was downloaded, read as a feed and cached.
    case updated(entries: Int)
    /// 304: the cached body is still current.
    case notModified
    case failed(String)
    /// 410, now or on an earlier run.
    case gone
    /// Not asked this time: the server asked us to wait.
    case deferred(until: Date)

    public var label: String {
        switch self {
        case .updated: "ok"
        case .notModified: "not modified"
        case .failed: "failed"
        case .gone: "gone"
        case .deferred: "deferred"
        }
    }
}

/// What happened to one member's feed, for the status table.
public struct FetchReport: Sendable {
    public var member: Member
    public var outcome: FetchOutcome
    /// The last HTTP status received, if any.
    public var status: Int?
    /// Body bytes received (after decompression).
    public var bytes: Int
    public var seconds: Double
    /// Where a permanent redirect pointed, for `members.toml`.
    public var movedTo: String?
    public var notes: [String]
}

/// Downloads members' feeds into the feed cache. Each feed is fetched independently: one that
/// fails, stalls or misbehaves is reported and the rest carry on.
public struct FeedFetcher: Sendable {
    let client: HTTPClient
    let settings: FetchSettings
    let now: @Sendable () -> Date

    /// Runs `body` with a fetcher whose HTTP client is shut down afterwards, however `body` ends.
    public static func withFetcher<T: Sendable>(
        _ settings: FetchSettings, now: @escaping @Sendable () -> Date = { Date() },
        _ body: (FeedFetcher) async throws -> T
    ) async throws -> T {
        let client = makeClient(settings)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(FeedFetcher(client: client, settings: settings, now: now)))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        return try result.get()
    }

    /// A client configured for `settings`: our own redirect handling (to report permanent
    /// moves and spot loops) and gzip, with a decompression cap so a small body cannot expand
    /// past the size limit.
    static func makeClient(_ settings: FetchSettings) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(settings.connectTimeout)), read: .seconds(Int64(settings.timeout))),
            decompression: .enabled(limit: .size(settings.maxBytes)))
        configuration.httpVersion = .automatic
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Every member's feed, at most `concurrency` at a time; reports come back in member order.
    public func fetchAll(_ members: [Member], into store: FeedCacheStore) async -> [FetchReport] {
        await withTaskGroup(of: (Int, FetchReport).self) { group in
            var reports: [FetchReport?] = Array(repeating: nil, count: members.count)
            var next = 0
            func startNext() {
                guard next < members.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await fetch(members[index], into: store)) }
            }
            for _ in 0..<min(settings.concurrency, members.count) { startNext() }
            while let (index, report) = await group.next() {
                reports[index] = report
                startNext()
            }
            return reports.compactMap { $0 }
        }
    }

    public func fetch(_ member: Member, into store: FeedCacheStore) async -> FetchReport {
        let started = ContinuousClock.now
        let time = now()
        var record = store.record(for: member).flatMap { $0.feed == member.feed ? $0 : nil } ?? FeedCacheRecord(feed: member.feed)
        var report = FetchReport(member: member, outcome: .gone, status: nil, bytes: 0, seconds: 0, movedTo: nil, notes: [])
        func done(_ outcome: FetchOutcome) -> FetchReport {
            report.outcome = outcome
            report.seconds = (ContinuousClock.now - started) / .seconds(1)
            return report
        }
        /// Records what the request found, failures included, and writes it to the cache.
        func finish(_ outcome: FetchOutcome, body: Data? = nil) -> FetchReport {
            if case .failed(let message) = outcome { record.lastError = message }
            return done(persist(record, body: body, for: member, in: store, then: outcome))
        }
        if record.gone { return done(.gone) }
        if let wait = record.retryAfter, wait > time { return done(.deferred(until: wait)) }

        record.lastAttempt = time
        let conditional = store.body(for: member) != nil ? record : nil
        let download: Download
        do {
            download = try await withTimeout(seconds: settings.timeout) {
                try await self.download(member.feed, conditional: conditional)
            }
        } catch {
            return finish(.failed(FetchError.describe(error, settings: settings)))
        }
        report.status = download.status
        report.bytes = download.body.count
        report.movedTo = download.movedTo
        record.movedTo = download.movedTo

        switch download.status {
        case 200:
            let feed: ParsedFeed
            do {
                let feedURL = URL(string: download.url) ?? URL(string: member.feed)!
                feed = try FeedParser.parse(data: download.body, feedURL: feedURL, now: time, firstSeen: record.firstSeen)
            } catch {
                // The last good body stays in the cache, with the validators that describe it,
                // so the next run asks for the feed again.
                return finish(.failed("the response is not a feed the site can read: \(error.diagnostic.message)"))
            }
            record.firstSeen = Dictionary(
                feed.entries.compactMap { entry in entry.firstSeen.map { (entry.id, $0) } }, uniquingKeysWith: { a, _ in a })
            record.etag = download.headers.first(name: "etag")
            record.lastModified = download.headers.first(name: "last-modified")
            record.confirm(at: time)
            if let type = download.headers.first(name: "content-type"), !Self.isFeedType(type) {
                report.notes.append("served as \(type)")
            }
            return finish(.updated(entries: feed.entries.count), body: download.body)
        case 304:
            record.confirm(at: time)
            return finish(.notModified)
        case 410:
            record.gone = true
            record.lastError = "410 Gone: the feed has been removed"
            return finish(.gone)
        case 429, 503:
            let wait = download.headers.first(name: "retry-after").flatMap { RetryAfter.parse($0, now: time) }
            record.retryAfter = wait
            return finish(.failed(Self.statusLine(download.status) + (wait.map { "; asked to wait until \(Format.rfc3339($0))" } ?? "")))
        default:
            return finish(.failed(Self.statusLine(download.status)))
        }
    }

    /// `404 Not Found`
    static func statusLine(_ status: Int) -> String {
        "\(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)"
    }

    /// Content types a feed is served with; anything else is noted, though the body decides.
    static func isFeedType(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return ["application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
            "application/feed+json", "application/json"].contains(type)
    }

    /// One feed, unconditionally and without the cache, for `feeds inspect URL`: the body of a
    /// 200 and the address it came from after redirects.
    public func get(_ url: String) async throws -> (body: Data, url: String) {
        let download: Download
        do {
            download = try await withTimeout(seconds: settings.timeout) { try await self.download(url, conditional: nil) }
        } catch {
            throw FetchFailure(message: FetchError.describe(error, settings: settings))
        }
        guard download.status == 200 else {
            throw FetchFailure(message: Self.statusLine(download.status))
        }
        return (download.body, download.url)
    }

    /// Writes the record (and body); a cache that cannot be written is this feed's failure.
    private func persist(
        _ record: FeedCacheRecord, body: Data?, for member: Member, in store: FeedCacheStore, then outcome: FetchOutcome
    ) -> FetchOutcome {
        do {
            try store.save(record, body: body, for: member)
            return outcome
        } catch {
            return .failed("cannot write the feed cache: \(error.localizedDescription)")
        }
    }

    struct Download: Sendable {
        var url: String
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var movedTo: String?
    }

    /// One GET, following up to `maxRedirects` redirects. The body is read only for a 200, and
    /// reading stops as soon as it passes the size cap.
    private func download(_ feed: String, conditional record: FeedCacheRecord?) async throws -> Download {
        var url = feed
        var visited: Set<String> = [feed]
        var allPermanent = true
        var movedTo: String?
        for _ in 0...settings.maxRedirects {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "User-Agent", value: settings.userAgent)
            request.headers.add(
                name: "Accept",
                value: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
            request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
            if let etag = record?.etag { request.headers.add(name: "If-None-Match", value: etag) }
            if let modified = record?.lastModified { request.headers.add(name: "If-Modified-Since", value: modified) }

            let response = try await client.execute(request, timeout: .seconds(Int64(settings.timeout)))
            let status = Int(response.status.code)
            guard [301, 302, 303, 307, 308].contains(status) else {
                let body = status == 200 ? try await read(response) : Data()
                return Download(url: url, status: status, headers: response.headers, body: body, movedTo: movedTo)
            }
            guard let location = response.headers.first(name: "location"),
                let next = URL(string: location, relativeTo: URL(string: url))?.absoluteURL,
                let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https"
            else { throw FetchError.badRedirect(status: status) }
            allPermanent = allPermanent && (status == 301 || status == 308)
            movedTo = allPermanent ? next.absoluteString : nil
            url = next.absoluteString
            guard visited.insert(url).inserted else { throw FetchError.redirectLoop(url) }
        }
        throw FetchError.tooManyRedirects(settings.maxRedirects)
    }

    private func read(_ response: HTTPClientResponse) async throws -> Data {
        if let declared = response.headers.first(name: "content-length").flatMap(Int.init), declared > settings.maxBytes {
            throw FetchError.tooLarge(settings.maxBytes)
        }
        var body = Data()
        for try await buffer in response.body {
            guard body.count + buffer.readableBytes <= settings.maxBytes else { throw FetchError.tooLarge(settings.maxBytes) }
            body.append(contentsOf: buffer.readableBytesView)
        }
        return body
    }

    /// The client's own deadline covers only the response head; this one covers the body too,
    /// so a server that trickles a byte a second cannot hold a fetch open.
    private func withTimeout<T: Sendable>(seconds: Int, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw FetchError.timedOut(seconds) }
            return value
        }
    }
}

/// Why `get` failed, in words for the terminal.
public struct FetchFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

enum FetchError: Error {
    case timedOut(Int)
    case tooLarge(Int)
    case tooManyRedirects(Int)
    case redirectLoop(String)
    case badRedirect(status: Int)

    /// A message a maintainer can act on, for the status table and the status page.
    static func describe(_ error: any Error, settings: FetchSettings) -> String {
        switch error {
        case FetchError.timedOut(let seconds): return "no complete response within \(seconds) s"
        case FetchError.tooLarge(let limit): return "the feed is larger than the \(megabytes(limit)) limit"
        case FetchError.tooManyRedirects(let limit): return "more than \(limit) redirects"
        case FetchError.redirectLoop(let url): return "the redirects go round in a loop (back to \(url))"
        case FetchError.badRedirect(let status): return "a \(status) redirect without a usable http(s) Location"
        case let error as NIOHTTPDecompression.DecompressionError:
            if case .limit = error { return "the feed is larger than the \(megabytes(settings.maxBytes)) limit once decompressed" }
            return "the compressed body is corrupt"
        case let error as IOError:
            return "could not connect: \(String(cString: strerror(error.errnoCode)).lowercased())"
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout: return "could not connect within \(settings.connectTimeout) s"
            case .deadlineExceeded, .readTimeout: return "no complete response within \(settings.timeout) s"
            case .remoteConnectionClosed: return "the server closed the connection before the response was complete"
            default: return "\(error)"
            }
        default:
            return "\(error)"
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes % 1_000_000 == 0 ? "\(bytes / 1_000_000) MB" : "\(bytes) byte"
    }
}

/// `Retry-After`: seconds, or an HTTP date.
enum RetryAfter {
    static func parse(_ value: String, now: Date) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text), seconds >= 0 { return now.addingTimeInterval(TimeInterval(seconds)) }
        return FeedDate.parse(text).flatMap { $0 > now ? $0 : nil }
    }
}

extension FeedCacheRecord {
    /// The server answered with the feed, or said the cached one is current.
    fileprivate mutating func confirm(at time: Date) {
        fetchedAt = time
        lastSuccess = time
        lastError = nil
        retryAfter = nil
    }
}
