import Foundation

/// What `localgov --version` prints; the packages take their version from it.
enum Version {
    static let number = "0.17.0"

    /// `localgov 0.17.0 (commit 1a2b3c4d5e6f)`: the commit is read from the checkout it was built from.
    static var description: String {
        "localgov \(number) (commit \(BuiltIn.commit.map { String($0.prefix(12)) } ?? "unknown"))"
    }

    /// This very program: its version, commit, and the size and time of its executable, so that
    /// a build cache made by any other build of it, even from uncommitted changes, is not reused.
    static var identity: String {
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
        let attributes = (try? FileManager.default.attributesOfItem(atPath: executable)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(description) [\(size) bytes, \(String(format: "%.6f", modified))]"
    }
}
