import Foundation
import Synchronization
import Testing

@testable import LocalGovSite

/// Paths of the repository and its fixture sites, found from this file so tests run from any folder.
enum Paths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let repository = tests.deletingLastPathComponent()
    static let sites = tests.appendingPathComponent("Fixtures/sites")

    static func site(_ name: String) -> URL { sites.appendingPathComponent(name) }
}

/// A site held in memory, for tests that need a file system with exactly these files.
struct MemoryFileSystem: SiteFileSystem {
    var files: [String: Data]
    /// Lets a test hand listings over in another order than path order.
    var reorder: @Sendable ([String]) -> [String] = { $0 }
    /// Where a test that counts reads has them noted.
    var reads: ReadLog?

    init(_ texts: [String: String]) {
        files = texts.mapValues { Data($0.utf8) }
    }

    func fileExists(_ path: String) -> Bool { files[path] != nil }

    func read(_ path: String) throws -> Data {
        reads?.note(path)
        guard let data = files[path] else { throw CocoaError(.fileNoSuchFile) }
        return data
    }

    func files(under folder: String) throws -> [String] {
        reorder(files.keys.filter { $0.hasPrefix(folder + "/") })
    }

    /// A digest of the whole file as its version, so that a cache reusing a file by version
    /// (as `serve` does) meets every edit the tests make, however small.
    func version(of path: String) -> FileVersion? {
        guard let data = files[path] else { return nil }
        var hasher = Hasher()
        data.withUnsafeBytes { hasher.combine(bytes: $0) }
        let digest = timespec(tv_sec: hasher.finalize(), tv_nsec: 0)
        return FileVersion(modified: digest, changed: digest, size: data.count)
    }

    /// Adds the repository's default theme, so in-memory sites render like real ones.
    mutating func addDefaultTheme() throws {
        let theme = LocalFileSystem(root: Paths.repository)
        for path in try theme.files(under: "themes/default") { files[path] = try theme.read(path) }
    }
}

/// The paths a `MemoryFileSystem` was asked to read.
final class ReadLog: Sendable {
    private let read = Mutex<Set<String>>([])

    func note(_ path: String) { read.withLock { _ = $0.insert(path) } }

    var paths: Set<String> { read.withLock { $0 } }
}

/// A fixed "now" for every test: 22 November 2026, midday UTC.
let testClock = FixedClock(Date(timeIntervalSince1970: 1_795_348_800))

func location(_ diagnostic: Diagnostic) -> String {
    diagnostic.location.map(\.description) ?? "-"
}

/// A small site in memory with the default theme: `site.toml` with a title and base URL (plus
/// `extraConfig`), and `texts` by path.
func buildInMemory(_ texts: [String: String], extraConfig: String = "") throws -> BuildResult {
    let config = "title = \"T\"\nbase_url = \"https://t.example/\"\n\(extraConfig)"
    var site = MemoryFileSystem(["site.toml": config].merging(texts) { $1 })
    try site.addDefaultTheme()
    return SiteBuild.run(fileSystem: site, clock: testClock)
}

extension BuildResult {
    /// Each error as the terminal shows it.
    var errorLines: [String] { diagnostics.items.filter { $0.severity == .error }.map(\.description) }
}
