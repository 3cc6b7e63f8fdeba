import ArgumentParser
import Foundation
import LocalGovSite

extension LocalGov {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a new piece of content.", subcommands: [Post.self])

        struct Post: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create content/blog/<slug>.md with today's date, as a draft.")

            @OptionGroup var site: SiteOptions

            @Argument(help: "The post's title.")
            var title: String

            @Option(name: .customLong("author"), help: "An author's name (repeat for several).")
            var authors: [String] = []

            func run() throws {
                let slug = Slug.make(title)
                guard !slug.isEmpty else {
                    throw CommandFailure(message: "the title \"\(title)\" has no letters or digits to make an address from", exitCode: 2)
                }
                let root = site.root
                let fileSystem = LocalFileSystem(root: root)
                var zone = TimeZone(identifier: "Europe/London")!
                if let data = try? fileSystem.read(SiteConfigParser.fileName), let text = String(data: data, encoding: .utf8),
                    let config = SiteConfigParser.parse(text).0
                {
                    zone = config.timeZone
                }
                let relative = "content/blog/\(slug).md"
                let file = root.appendingPathComponent(relative)
                guard !FileManager.default.fileExists(atPath: file.path) else {
                    throw CommandFailure(message: "\(relative) already exists; choose another title or edit that file")
                }
                let text = PostScaffold.text(title: title, authors: authors, date: SystemClock().now, timeZone: zone)
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8)) else {
                    throw CommandFailure(message: "could not create \(relative)")
                }
                print("Created \(relative). It is a draft: remove `draft: true` when it is ready to publish.")
            }
        }
    }
}
