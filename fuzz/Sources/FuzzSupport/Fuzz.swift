import Foundation
import LocalGovSite

/// What every fuzz target shares: the fixed inputs of a build that are not the file under test,
/// and the checks that turn a broken promise into a crash libFuzzer records.
public enum Fuzz {
    /// "Now" for every target, so a run is reproducible: 1 June 2024, midday UTC.
    public static let now = Date(timeIntervalSince1970: 1_717_243_200)

    /// libFuzzer's input as bytes we own: the buffer is only valid during the call.
    public static func data(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
        guard let bytes else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    /// Stops the run with `message` when a promise the code makes does not hold: libFuzzer
    /// saves the input that broke it, as it does for a crash.
    public static func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard !condition else { return }
        fatalError("fuzz invariant broken: \(message())")
    }

}

/// The lines of a file, to check that what is said about it points into it, so editors and CI
/// can jump there: a line that exists, and a column no further than one past the end of that line.
/// Columns are checked against the line's UTF-8 length, the largest way of counting them.
public struct FileLines {
    let path: String
    let widths: [Int]

    public init(_ file: SourceFile) {
        path = file.path
        widths = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(\.utf8.count)
    }

    public func expectInside(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            if let location = diagnostic.location { expectInside(location, "\(diagnostic)") }
        }
    }

    public func expectInside(_ location: SourceLocation, _ what: @autoclosure () -> String) {
        Fuzz.expect(location.file == path, "\(what()) names another file than \(path)")
        Fuzz.expect(widths.indices.contains(location.line - 1), "\(what()) is outside the file's \(widths.count) lines")
        let width = widths[location.line - 1]
        Fuzz.expect((1...width + 1).contains(location.column), "\(what()) is past the end of its line, \(width) bytes long")
    }
}

/// A site whose only file is the fuzzer's input, so it is read the way the build reads content
/// (UTF-8 checked, byte-order mark and carriage returns removed).
public struct OneFileSystem: SiteFileSystem {
    public let path: String
    public let data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }

    public func fileExists(_ path: String) -> Bool { path == self.path }

    public func read(_ path: String) throws -> Data {
        guard path == self.path else { throw CocoaError(.fileNoSuchFile) }
        return data
    }

    public func files(under folder: String) throws -> [String] {
        path.hasPrefix(folder + "/") ? [path] : []
    }

    /// The input as a content file at `path`, or nil when the build would refuse it as not UTF-8.
    public static func sourceFile(_ data: Data, at path: String) -> SourceFile? {
        try? ContentLoader.readText(path, from: OneFileSystem(path: path, data: data))
    }
}
