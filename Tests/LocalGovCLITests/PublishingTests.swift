import Foundation
import Testing

@testable import LocalGovSite

/// Publishing: `build --precompress`, and the built site served by a real nginx with deploy/nginx.conf.
extension CLITests {
    /// The repository's sample site built with --precompress, once for the publishing checks.
    static let precompressedSample: Result<(folder: URL, run: Run), Error> = Result {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-precompressed-\(UUID().uuidString)")
        let run = try localgov(["build", "--precompress", "--site", repository.path, "--output", output.path], in: repository)
        guard run.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: run.stderr]) }
        return (output, run)
    }

    @Test func buildPrecompressAddsGzipTwinsAndChangesNothingElse() throws {
        let (site, run) = try Self.precompressedSample.get()
        // snapshot's keys start with "./".
        let files = Dictionary(uniqueKeysWithValues: try Self.snapshot(site).map { (String($0.key.dropFirst(2)), $0.value) })
        let twins = files.keys.filter { $0.hasSuffix(".gz") }
        #expect(run.stdout.contains(" files, \(twins.count) gzipped) into "), "\(run.stdout)")

        let gunzip = try Self.localgov(
            ["gzip", "-dc", site.appendingPathComponent("index.html.gz").path], in: site, executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(gunzip.status == 0, "\(gunzip.stderr)")
        #expect(Data(gunzip.stdout.utf8) == files["index.html"])
        #expect((files["robots.txt"]?.count ?? .max) < Precompress.minimumBytes)
        #expect(files["robots.txt.gz"] == nil, "small files get no twin")
        #expect(twins.allSatisfy { files[String($0.dropLast(3))] != nil })

        // Without the twins, the site is the one a plain build writes; with them, the same every build.
        let plain = try Self.snapshot(try Self.sample.get())
        #expect(plain.count > 100)
        #expect(files.filter { !$0.key.hasSuffix(".gz") }.count == plain.count)
        #expect(plain.allSatisfy { files[String($0.key.dropFirst(2))] == $0.value })
        let again = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-precompressed-\(UUID().uuidString)")
        #expect(try Self.localgov(["build", "--precompress", "--site", Self.repository.path, "--output", again.path], in: Self.repository).status == 0)
        #expect(try Self.snapshot(again) == (try Self.snapshot(site)))
    }

    /// Tests/Scripts/check_nginx.py starts Debian's nginx with the shipped server block on a
    /// loopback port and checks pages, types, gzip_static, the 404 page, cache lifetimes,
    /// traversal, headers and the Content-Security-Policy (in Chromium too). CI installs nginx,
    /// so a missing nginx fails here (the script exits 2) rather than skipping.
    @Test func nginxServesTheBuiltSiteWithTheShippedConfig() throws {
        let python = try Self.testPython()
        let (site, _) = try Self.precompressedSample.get()
        let run = try Self.localgov(
            [Self.tests.appendingPathComponent("Scripts/check_nginx.py").path, site.path], in: site, executable: python)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains(" failures=0"))
    }
}
