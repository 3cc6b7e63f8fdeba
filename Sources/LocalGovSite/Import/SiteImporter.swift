import Foundation

/// What an import will do to the site's files, decided before any is touched: a file is
/// written where there is none, left alone where it already says the same, and otherwise kept
/// as the site has it (someone may have edited it since the last import) unless forced.
public struct ImportPlan: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case written, unchanged, kept, replaced

        /// Whether the file is to be written.
        public var writes: Bool { self == .written || self == .replaced }
    }

    public struct File: Sendable, Hashable {
        /// Relative to the site's folder.
        public var path: String
        public var contents: Data
        public var outcome: Outcome
    }

    public struct Copy: Sendable, Hashable {
        /// Relative to the uploads folder.
        public var source: String
        /// Relative to the site's folder.
        public var path: String
        public var outcome: Outcome
    }

    public var files: [File] = []
    public var copies: [Copy] = []
    /// Whether the site had no `site.toml`, so that one is made from the export.
    public var createsSiteConfig = false

    public func count(_ outcome: Outcome) -> Int {
        files.count { $0.outcome == outcome } + copies.count { $0.outcome == outcome }
    }
}

public enum SiteImporter {
    /// - Parameters:
    ///   - site: the site's folder as it is now.
    ///   - uploads: the local copy of the old site's uploads, if there is one.
    public static func plan(
        _ result: ImportResult, site: some SiteFileSystem, uploads: (any SiteFileSystem)?, force: Bool
    ) -> ImportPlan {
        var plan = ImportPlan()
        func outcome(_ path: String, _ contents: Data?) -> ImportPlan.Outcome {
            guard site.fileExists(path), let existing = try? site.read(path) else { return .written }
            if existing == contents { return .unchanged }
            return force ? .replaced : .kept
        }
        if !site.fileExists(SiteConfigParser.fileName) {
            plan.createsSiteConfig = true
            plan.files.append(.init(path: SiteConfigParser.fileName, contents: Data(result.site.siteConfig.utf8), outcome: .written))
        }
        for document in result.documents {
            let contents = Data(document.text.utf8)
            plan.files.append(.init(path: document.path, contents: contents, outcome: outcome(document.path, contents)))
        }
        if let uploads {
            for source in result.uploadsToCopy {
                let path = ImportResult.staticPath(ofUpload: source)
                plan.copies.append(.init(source: source, path: path, outcome: outcome(path, try? uploads.read(source))))
            }
        }
        return plan
    }
}
