import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// `localgov serve` as a user runs it: a real process on a free loopback port, real HTTP, real
/// file edits seen through inotify (and through polling), and the reload events a tab receives.
extension CLITests {
    /// A running `localgov serve`, its output collected as it comes.
    final class ServeProcess: @unchecked Sendable {
        /// What the process printed so far; the pipe's handler adds to it on another thread.
        final class Output: @unchecked Sendable {
            private let lock = NSLock()
            private var text = ""
            func add(_ more: String) { lock.withLock { text += more } }
            var value: String { lock.withLock { text } }
        }

        let process = Process()
        private let output = Output()
        let address: String

        init(site: URL, extra: [String] = []) throws {
            process.executableURL = CLITests.binary
            process.arguments = ["serve", "--port", "0"] + extra
            process.currentDirectoryURL = site
            process.environment = CLITests.environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            let output = self.output
            pipe.fileHandleForReading.readabilityHandler = { handle in
                output.add(String(decoding: handle.availableData, as: UTF8.self))
            }
            try process.run()
            let line = try Self.waitFor(timeout: 60) {
                output.value.split(separator: "\n").first { $0.hasPrefix("Serving the site at ") }
            }
            address = String(line.dropFirst("Serving the site at ".count).prefix { $0 != " " })
        }

        var log: String { output.value }

        /// Full builds finished so far, good or not.
        var builds: Int {
            log.split(separator: "\n").count { $0.hasPrefix("Built ") || $0.hasPrefix("The site has errors") }
        }

        /// Waits for the build after `count` to finish.
        func waitForBuild(after count: Int) throws {
            _ = try Self.waitFor(timeout: 60) { builds > count ? true : nil }
        }

        static func waitFor<T>(timeout: TimeInterval, _ check: () -> T?) throws -> T {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let value = check() { return value }
                Thread.sleep(forTimeInterval: 0.02)
            }
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "timed out"])
        }

        func stop() -> Int32 {
            process.interrupt()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    struct Fetched {
        var status: UInt
        var type: String
        var location: String
        var body: String
    }

    /// A client that reports redirects rather than following them.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    static func fetch(_ url: String) async throws -> Fetched {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 10_000_000)
        return Fetched(
            status: response.status.code, type: response.headers.first(name: "content-type") ?? "",
            location: response.headers.first(name: "location") ?? "", body: String(buffer: body))
    }

    /// The versions announced on `/__localgov/events`, as a tab's EventSource receives them.
    final class ReloadEvents: @unchecked Sendable {
        private var iterator: HTTPClientResponse.Body.AsyncIterator
        private var pending = ""

        /// A tab showing `page`, or one that hears of every build.
        init(_ address: String, page: String? = nil) async throws {
            let query = page.map { "?page=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: address + "__localgov/events" + query), timeout: .seconds(120))
            #expect(response.headers.first(name: "content-type") == "text/event-stream")
            iterator = response.body.makeAsyncIterator()
        }

        /// The next event's data, or nil if the stream ended.
        func next() async throws -> String? {
            while true {
                if let end = pending.range(of: "\n\n") {
                    let event = pending[..<end.lowerBound]
                    pending.removeSubrange(..<end.upperBound)
                    #expect(event.hasPrefix("event: build\n"))
                    return event.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
                }
                guard let buffer = try await iterator.next() else { return nil }
                pending += String(buffer: buffer)
            }
        }
    }

    @Test func serveRebuildsOnEditAndTellsTabsToReload() async throws {
        let site = try Self.copySite("basic")
        let server = try ServeProcess(site: site)
        let address = server.address
        #expect(address.hasPrefix("http://127.0.0.1:"))

        let home = try await Self.fetch(address)
        #expect(home.status == 200 && home.type == "text/html; charset=utf-8")
        #expect(home.body.contains("<script src=\"/__localgov/reload.js\"></script>\n</body>"))
        #expect(try await Self.fetch(address + "__localgov/reload.js").body.contains("/__localgov/events?page="))
        #expect(try await Self.fetch(address + "assets/style.css").type == "text/css; charset=utf-8")
        #expect(try await Self.fetch(address + "blog/feed.xml").type == "application/xml; charset=utf-8")
        let folder = try await Self.fetch(address + "blog")
        #expect(folder.status == 301 && folder.location == "/blog/")
        let missing = try await Self.fetch(address + "no-such-page/")
        #expect(missing.status == 404 && missing.body.contains("<h1>Page not found</h1>"))
        for escape in ["%2e%2e/site.toml", "blog/%2e%2e/%2e%2e/site.toml", "..%2fsite.toml"] {
            #expect(try await Self.fetch(address + escape).status == 403, "\(escape)")
        }

        // Two tabs: one on the post being edited, one on a page the edit does not touch.
        let postTab = try await ReloadEvents(address, page: "/blog/first-steps/")
        let aboutTab = try await ReloadEvents(address, page: "/about/")
        let connected = try await postTab.next()
        let first = try #require(connected.flatMap { Int($0) })
        #expect(try await aboutTab.next() == String(first))

        // An edit: the post's page is previewed at once (its tab reloads), then the full
        // rebuild updates the rest; its page of the post is the preview's, so no second reload.
        let post = site.appendingPathComponent("content/blog/first-steps.md")
        let original = try String(contentsOf: post, encoding: .utf8)
        var builds = server.builds
        let written = ContinuousClock.now
        try (original + "\nA sentence added while serving.\n").write(to: post, atomically: false, encoding: .utf8)
        #expect(try await postTab.next() == String(first + 1))
        print("serve: reload event \(ContinuousClock.now - written) after the write")
        #expect(try await Self.fetch(address + "blog/first-steps/").body.contains("A sentence added while serving."))
        try server.waitForBuild(after: builds)
        #expect(server.log.contains("Previewed blog/first-steps/index.html; reload sent to 1 tab "))
        #expect(server.log.contains("reused); reload sent to 0 tabs "))

        // An error: every tab hears of it, and every page shows it with its place until it is
        // fixed; the last good page is one link away. The about tab hears of nothing before it.
        builds = server.builds
        try (original + "\n![](missing.png)\n").write(to: post, atomically: false, encoding: .utf8)
        try server.waitForBuild(after: builds)
        #expect(try await postTab.next() == String(first + 3))
        #expect(try await aboutTab.next() == String(first + 3))
        let broken = try await Self.fetch(address + "blog/first-steps/")
        #expect(broken.status == 500)
        #expect(broken.body.contains("<h1>The site has 2 errors</h1>"))
        #expect(broken.body.contains("<code>content/blog/first-steps.md:"))
        #expect(broken.body.contains("<a href=\"/blog/first-steps/?last-good\">"))
        let lastGood = try await Self.fetch(address + "blog/first-steps/?last-good")
        #expect(lastGood.status == 200 && lastGood.body.contains("A sentence added while serving."))
        #expect(server.log.contains("content/blog/first-steps.md:"))

        builds = server.builds
        try original.write(to: post, atomically: true, encoding: .utf8)
        try server.waitForBuild(after: builds)
        _ = try await postTab.next()
        let fixed = try await Self.fetch(address + "blog/first-steps/")
        #expect(fixed.status == 200 && !fixed.body.contains("A sentence added while serving."))

        // A post moved in with its folder: the watcher names the folder alone, and the rebuild
        // lists it to find the post.
        let outside = site.appendingPathComponent("elsewhere/moved-in")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try original.replacingOccurrences(of: "First steps", with: "Moved in").write(
            to: outside.appendingPathComponent("index.md"), atomically: true, encoding: .utf8)
        builds = server.builds
        try FileManager.default.moveItem(at: outside, to: site.appendingPathComponent("content/blog/moved-in"))
        try server.waitForBuild(after: builds)
        #expect(try await Self.fetch(address + "blog/moved-in/").body.contains("Moved in with open data"))

        #expect(server.stop() == 0)
        #expect(server.log.hasSuffix("Stopped.\n"))

        // What `serve` adds never reaches `build`'s output.
        let output = site.appendingPathComponent("public")
        #expect(try Self.localgov(["build"], in: site).status == 0)
        for (path, bytes) in try Self.snapshot(output) {
            #expect(!String(decoding: bytes, as: UTF8.self).contains("__localgov"), "\(path)")
        }
    }

    @Test func serveNoticesChangesByPollingToo() async throws {
        let site = try Self.copySite("basic")
        let server = try ServeProcess(site: site, extra: ["--poll"])
        let events = try await ReloadEvents(server.address)
        let first = try #require(try await events.next())
        // site.toml without base_url: an error, shown until it is back.
        let config = site.appendingPathComponent("site.toml")
        let original = try Data(contentsOf: config)
        try Data("title = \"Changed\"\n".utf8).write(to: config)
        let second = try #require(try await events.next())
        #expect(second != first)
        let broken = try await Self.fetch(server.address)
        #expect(broken.status == 500 && broken.body.contains("<code>site.toml:1:1</code>"))
        try original.write(to: config)
        _ = try await events.next()
        #expect(try await Self.fetch(server.address).status == 200)
        #expect(server.stop() == 0)
    }
}
