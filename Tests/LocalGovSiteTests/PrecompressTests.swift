import Foundation
import Testing

@testable import LocalGovSite

@Suite struct PrecompressTests {
    /// Text that compresses well, as pages do, of about `bytes` bytes.
    static func text(_ bytes: Int, _ line: String = "<p>Councils share what they learn, in the open. Môn, £5, “quotes”.</p>\n") -> Data {
        Data(String(repeating: line, count: bytes / line.utf8.count + 1).utf8)
    }

    /// Bytes that gzip cannot make smaller, the same every run.
    static func noise(_ count: Int) -> Data {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return Data((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    static let site: [OutputFile] = [
        OutputFile(path: "index.html", bytes: text(4000), origin: "the home page"),
        OutputFile(path: "blog/feed.xml", bytes: text(1024), origin: "the blog feed"),
        OutputFile(path: "search/t-0123abcd.json", bytes: text(3000, "[\"council\",1,2,3],"), origin: "the search index"),
        OutputFile(path: "voice/members.opml", bytes: text(2000), origin: "Voice"),
        OutputFile(path: "assets/Logo.SVG", bytes: text(2000, "<path d=\"M0 0h10v10z\"/>"), origin: "static/"),
        OutputFile(path: "robots.txt", bytes: Data("User-agent: *\nAllow: /\n".utf8), origin: "robots"),
        OutputFile(path: "assets/photo.png", bytes: text(5000), origin: "static/"),
        OutputFile(path: "CNAME", bytes: text(2000), origin: "static/"),
        OutputFile(path: "a.b/README", bytes: text(2000), origin: "static/"),
        OutputFile(path: "random.txt", bytes: noise(4000), origin: "static/"),
        OutputFile(path: "own.css", bytes: text(2000), origin: "static/"),
        OutputFile(path: "own.css.gz", bytes: Data("the site's own".utf8), origin: "static/"),
    ]

    @Test func textFilesOfAtLeastOneKibibyteGetATwinAndNothingElseDoes() throws {
        let twins = try Precompress.gzipped(Self.site)
        // Not: robots.txt (too small), the PNG and the extensionless files (not text), random.txt
        // (gzip makes it bigger), own.css (the site has its own twin).
        #expect(twins.map(\.path) == [
            "index.html.gz", "blog/feed.xml.gz", "search/t-0123abcd.json.gz", "voice/members.opml.gz", "assets/Logo.SVG.gz",
        ])
        #expect(twins.allSatisfy { $0.origin.hasPrefix("--precompress of ") })
        #expect(try Precompress.gzipped([OutputFile(path: "x.html", bytes: Self.text(1023).prefix(1023), origin: "")]).isEmpty)
    }

    /// GNU gzip, not the library that wrote them, reads the twins back.
    @Test func twinsGunzipToTheOriginalBytes() throws {
        let originals = Dictionary(uniqueKeysWithValues: Self.site.map { ($0.path, $0.bytes) })
        for twin in try Precompress.gzipped(Self.site) {
            #expect(twin.bytes.count < originals[String(twin.path.dropLast(3))]!.count / 4)
            #expect(try Self.gunzip(twin.bytes) == originals[String(twin.path.dropLast(3))], "\(twin.path)")
        }
    }

    @Test func twinsAreTheSameBytesEveryTimeWithNoNameOrTimeInTheHeader() throws {
        let first = try Precompress.gzipped(Self.site)
        #expect(try Precompress.gzipped(Self.site) == first)
        #expect(try Precompress.gzipped(Self.site.reversed()) == Array(first.reversed()))
        for twin in first {
            let header = [UInt8](twin.bytes.prefix(10))
            #expect(header[0...2] == [0x1F, 0x8B, 8], "gzip magic and deflate")
            #expect(header[3] == 0, "no file name, comment, extra field or header CRC")
            #expect(header[4...7] == [0, 0, 0, 0], "no modification time")
        }
    }

    @Test func extensionsAreTheLastDotOfTheFileName() {
        #expect(Precompress.fileExtension("blog/feed.xml") == "xml")
        #expect(Precompress.fileExtension("search/d-0.abc123.json") == "json")
        #expect(Precompress.fileExtension("site.webmanifest") == "webmanifest")
        #expect(Precompress.fileExtension("CNAME") == nil)
        #expect(Precompress.fileExtension("a.b/README") == nil)
        #expect(Precompress.fileExtension(".well-known/security") == nil)
        #expect(Precompress.fileExtension("x/.htaccess") == nil)
    }

    static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Twins here are a few kilobytes, well inside a pipe's buffer, so writing first cannot block.
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gzip -dc failed")
        return result
    }
}
