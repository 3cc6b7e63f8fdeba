import ArgumentParser
import Foundation
import LocalGovSite

extension LocalGov {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new site: site.toml, an example post, page and point, and a .gitignore.",
            discussion: "The site builds at once with the built-in theme. Nothing that exists is overwritten.")

        @Argument(help: "The folder to create the site in (made if missing).")
        var folder: String = "."

        @Option(help: "The site's title.")
        var title: String = "Our digital team"

        func run() throws {
            let root = URL(fileURLWithPath: folder, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL
            let files = SiteScaffold.files(
                title: title, date: SystemClock().now, timeZone: TimeZone(identifier: "Europe/London")!)
            let existing = files.map(\.path).filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
            guard existing.isEmpty else {
                throw CommandFailure(
                    message: "\(root.path) already has \(existing.joined(separator: ", ")); init makes a new site, so choose an empty folder")
            }
            for (path, text) in files {
                let file = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file, options: .withoutOverwriting)
            }
            let shown = folder == "." ? "" : " in \(folder)"
            print("Created a new site\(shown): \(files.map(\.path).joined(separator: ", ")).")
            print("Next: \(folder == "." ? "" : "cd \(folder) && ")localgov serve, then open http://127.0.0.1:8000/")
        }
    }
}
