import Foundation

/// The file system as the pipeline sees it: paths relative to the site root, `/`-separated.
/// Tests replace it to reorder listings or to build a site that never touches disk.
public protocol SiteFileSystem: Sendable {
    func fileExists(_ path: String) -> Bool
    func read(_ path: String) throws -> Data
    /// Every regular file below `folder`, as paths relative to the site root, in any order.
    func files(under folder: String) throws -> [String]
}

public struct LocalFileSystem: SiteFileSystem {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    private func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    public func fileExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(path).path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func read(_ path: String) throws -> Data {
        try Data(contentsOf: url(path))
    }

    public func files(under folder: String) throws -> [String] {
        let base = url(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var result: [String] = []
        for case let relative as String in enumerator {
            let full = base.appendingPathComponent(relative)
            let values = try? full.resourceValues(forKeys: [.isRegularFileKey])
            guard values?.isRegularFile == true else { continue }
            result.append(folder + "/" + relative)
        }
        return result
    }
}
