import AsyncHTTPClient
import Foundation

/// `Tests/Scripts/feed_server.py` on a loopback port: a real HTTP server that misbehaves on
/// demand, and logs what it was asked.
public final class FeedServer: @unchecked Sendable {
    let process = Process()
    /// Held open for the server's life: it exits when its standard input closes.
    let input = Pipe()
    public let port: Int
    public let feeds: URL

    public init(feeds: URL, extra: [String] = []) throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        self.feeds = feeds
        let python = ProcessInfo.processInfo.environment["LOCALGOV_TEST_PYTHON"] ?? "/usr/bin/python3"
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [tests.appendingPathComponent("Scripts/feed_server.py").path, "--port", "0", "--feeds", feeds.path] + extra
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "feed server said \(text)"])
        }
        self.port = port
    }

    deinit { process.terminate() }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    public struct LoggedRequest: Decodable, Sendable {
        public var path: String
        public var headers: [String: String]
        public var status: Int
        public var bytes: Int
    }

    public func log() async throws -> [LoggedRequest] {
        struct Log: Decodable { var requests: [LoggedRequest] }
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url("/_log")), timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 10_000_000)
        return try JSONDecoder().decode(Log.self, from: Data(body.readableBytesView)).requests
    }
}

