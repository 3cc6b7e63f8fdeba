import ArgumentParser
import Foundation
import LocalGovSite

extension LocalGov {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Bring a blog's posts and pages in from WordPress or Blogger.",
            subcommands: [WordPress.self, Blogger.self])
    }
}

extension LocalGov.Import {
    struct WordPress: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wordpress",
            abstract: "Import a WordPress export (WXR) into content/blog/ and content/pages/.",
            discussion: """
                Export with Tools → Export → All content in WordPress. Posts of every state but the bin's \
                are imported (drafts, pending and private ones as drafts); published pages are imported. \
                Existing files that differ are kept unless --force is given. The table at the end says \
                what was done, and the lines before it what to look at.
                """)

        @OptionGroup var site: SiteOptions

        @Argument(help: "The export file WordPress made.")
        var export: String

        @Option(help: "A copy of the old site's wp-content/uploads folder: the files posts use are copied into static/uploads/.")
        var uploads: String?

        @Flag(help: "Replace content files that differ from what the import would write.")
        var force = false

        func run() throws {
            let data = try ImportRun.read(export)
            var isFolder: ObjCBool = false
            if let uploads, !FileManager.default.fileExists(atPath: uploads, isDirectory: &isFolder) || !isFolder.boolValue {
                // A mistyped folder would otherwise leave every upload on the old site without a word.
                throw CommandFailure(message: "there is no folder \(uploads) for --uploads; give the copy of wp-content/uploads", exitCode: 2)
            }
            let uploadsFolder = uploads.map { LocalFileSystem(root: URL(fileURLWithPath: $0).standardizedFileURL) }
            let parsed = try ImportRun.parse { () throws(ImportError) in try WXRReader.read(data, file: export) }
            let result = WordPressImport.convert(parsed, uploads: uploadsFolder.map { folder in { folder.fileExists($0) } })
            try ImportRun.apply(result, to: site.root, uploads: uploadsFolder, force: force)
        }
    }

    struct Blogger: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blogger",
            abstract: "Import a Blogger export into content/blog/ and content/pages/.",
            discussion: """
                Reads both Blogger's own backup (Settings → Back up content) and Google Takeout's export. \
                Live and draft posts are imported, and live pages; comments, settings and the template are \
                counted and skipped. Existing files that differ are kept unless --force is given.
                """)

        @OptionGroup var site: SiteOptions

        @Argument(help: "The export file Blogger or Google Takeout made.")
        var export: String

        @Flag(help: "Replace content files that differ from what the import would write.")
        var force = false

        func run() throws {
            let data = try ImportRun.read(export)
            let parsed = try ImportRun.parse { () throws(ImportError) in try BloggerReader.read(data, file: export) }
            let result = BloggerImport.convert(parsed, now: SystemClock().now)
            try ImportRun.apply(result, to: site.root, uploads: nil, force: force)
        }
    }
}

/// What both import commands do around their converter: read the export, report a broken
/// one, then write what the plan says and print the report.
enum ImportRun {
    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(message: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func parse<T>(_ read: () throws(ImportError) -> T) throws -> T {
        do {
            return try read()
        } catch {
            var diagnostics = Diagnostics()
            diagnostics.append(error)
            DiagnosticReporter.report(diagnostics)
            throw ContentFailure()
        }
    }

    static func apply(_ result: ImportResult, to root: URL, uploads: LocalFileSystem?, force: Bool) throws {
        let plan = SiteImporter.plan(result, site: LocalFileSystem(root: root), uploads: uploads, force: force)
        for file in plan.files where file.outcome.writes {
            try write(file.contents, to: root.appendingPathComponent(file.path), shown: file.path)
        }
        if let uploads {
            for copy in plan.copies where copy.outcome.writes {
                let contents: Data
                do {
                    contents = try uploads.read(copy.source)
                } catch {
                    throw CommandFailure(message: "cannot read \(copy.source) in the uploads folder: \(error.localizedDescription)")
                }
                try write(contents, to: root.appendingPathComponent(copy.path), shown: copy.path)
            }
        }
        for line in ImportReport.notes(result, plan: plan) { print(line) }
        print(ImportReport.table(result, plan: plan, hasUploads: uploads != nil))
    }

    private static func write(_ contents: Data, to file: URL, shown path: String) throws {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file, options: .atomic)
        } catch {
            throw CommandFailure(message: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
