import ArgumentParser
import Foundation
import LocalGovSite

extension LocalGov {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a new piece of content.", subcommands: [Post.self, Item.self])

        struct Item: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create content/<folder>/<slug>.md for a declared type (events, groups, or a site's own), as a draft.")

            @OptionGroup var site: SiteOptions

            @Argument(help: "The type's name, as types.toml or site.toml declares it: events, groups, ...")
            var type: String

            @Argument(help: "The item's title (or name).")
            var title: String

            func run() throws {
                let (config, types) = New.settings(of: site.root)
                guard let declared = types.named(type), declared.model == .collection else {
                    let names = types.collections.map(\.name).joined(separator: ", ")
                    throw CommandFailure(
                        message: "there is no type \"\(type)\" to make items of; the site's types are: \(names) (blog posts: localgov new post)",
                        exitCode: 2)
                }
                let text = ItemScaffold.text(title: title, type: declared, date: SystemClock().now, timeZone: config.timeZone)
                try New.create("content/\(declared.folder)", title: title, text: text, in: site.root)
            }
        }

        /// The site's settings and types as far as they can be read; a broken site.toml leaves
        /// the defaults (the build will say what is wrong with it).
        static func settings(of root: URL) -> (SiteConfig, ContentTypes) {
            let fileSystem = LocalFileSystem(root: root)
            let config = (try? fileSystem.read(SiteConfigParser.fileName)).flatMap { String(data: $0, encoding: .utf8) }
                .flatMap { SiteConfigParser.parse($0).0 } ?? SiteConfig(title: "", baseURL: "http://localhost/")
            return (config, ContentTypes.load(config: config, from: fileSystem).0)
        }

        /// Writes a new content file named from its title, never over one that exists.
        static func create(_ folder: String, title: String, text: String, in root: URL) throws {
            let slug = Slug.make(title)
            guard !slug.isEmpty else {
                throw CommandFailure(message: "the title \"\(title)\" has no letters or digits to make an address from", exitCode: 2)
            }
            let relative = "\(folder)/\(slug).md"
            let file = root.appendingPathComponent(relative)
            guard !FileManager.default.fileExists(atPath: file.path) else {
                throw CommandFailure(message: "\(relative) already exists; choose another title or edit that file")
            }
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8)) else {
                throw CommandFailure(message: "could not create \(relative)")
            }
            print("Created \(relative). It is a draft: remove `draft: true` when it is ready to publish.")
        }

        struct Post: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create content/blog/<slug>.md with today's date, as a draft.")

            @OptionGroup var site: SiteOptions

            @Argument(help: "The post's title.")
            var title: String

            @Option(name: .customLong("author"), help: "An author's name (repeat for several).")
            var authors: [String] = []

            func run() throws {
                let (config, types) = New.settings(of: site.root)
                let text = PostScaffold.text(title: title, authors: authors, date: SystemClock().now, timeZone: config.timeZone)
                try New.create("content/\(types.first(.posts)?.folder ?? "blog")", title: title, text: text, in: site.root)
            }
        }
    }
}
