import Foundation

/// The default theme as the binary carries it, seen at `themes/default/` by a site that has no
/// such folder of its own; every other path is the site's.
struct BuiltInThemeFileSystem<Site: SiteFileSystem>: SiteFileSystem {
    static var folder: String { BuiltInTheme.folder }
    static var files: [String: Data] { BuiltInTheme.files }

    let site: Site

    private func isBuiltIn(_ path: String) -> Bool { path.hasPrefix(Self.folder + "/") }

    func fileExists(_ path: String) -> Bool {
        isBuiltIn(path) ? Self.files[path] != nil : site.fileExists(path)
    }

    func read(_ path: String) throws -> Data {
        guard isBuiltIn(path) else { return try site.read(path) }
        guard let data = Self.files[path] else { throw CocoaError(.fileNoSuchFile) }
        return data
    }

    func files(under folder: String) throws -> [String] {
        guard folder == Self.folder || isBuiltIn(folder) else { return try site.files(under: folder) }
        return Self.files.keys.filter { $0.hasPrefix(folder + "/") }
    }

    func size(of path: String) -> Int? {
        isBuiltIn(path) ? Self.files[path]?.count : site.size(of: path)
    }
}

enum BuiltInTheme {
    static let folder = "themes/\(Theme.defaultName)"

    /// The theme's files by their path in a site, decoded once.
    static let files: [String: Data] = Dictionary(
        uniqueKeysWithValues: BuiltIn.themeFiles.compactMap { path, encoded in
            Data(base64Encoded: encoded).map { ("\(folder)/\(path)", $0) }
        })
}
