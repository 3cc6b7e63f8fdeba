import ArgumentParser
import Foundation
import LocalGovSite

extension LocalGov {
    struct Feeds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with the feeds of LocalGov Digital Voice members.",
            subcommands: [Inspect.self])
    }
}

extension LocalGov.Feeds {
    /// Answers "why is my blog not showing?": what the site would make of one feed.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse one saved feed and print what the site would show of it.",
            discussion: """
                For each entry: id, title, link, published and updated dates (ISO 8601, UTC), author, \
                and the summary and content HTML after sanitising. Exits with 1 if the feed cannot be read.
                """)

        @Argument(help: "A feed file: RSS, Atom or JSON Feed.")
        var file: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let url = URL(fileURLWithPath: file)
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw CommandFailure(message: "cannot read \(file): \(error.localizedDescription)")
            }
            let feed: ParsedFeed
            do {
                feed = try FeedParser.parse(data: data, feedURL: url, now: Date())
            } catch {
                var diagnostics = Diagnostics()
                diagnostics.append(error)
                DiagnosticReporter.report(diagnostics)
                throw ContentFailure()
            }
            print(json ? Self.json(feed) : Self.text(feed))
        }

        static func iso(_ date: Date?) -> String? {
            date.map { Format.rfc3339($0) }
        }

        static func text(_ feed: ParsedFeed) -> String {
            var lines = [
                "\(feed.title) (\(feed.dialect)), \(English.count(feed.entries.count, "entry", plural: "entries"))",
            ]
            if let home = feed.homeLink { lines.append("home: \(home)") }
            for entry in feed.entries {
                lines += [
                    "", "id: \(entry.id)", "title: \(entry.title)", "link: \(entry.link)",
                    "published: \(iso(entry.published) ?? "none")", "updated: \(iso(entry.updated) ?? "none")",
                    "author: \(entry.author ?? "none")", "summary: \(entry.summaryHTML)", "content: \(entry.contentHTML)",
                ]
                if !entry.imagesWithoutAlt.isEmpty {
                    lines.append("warning: images without alt text: \(entry.imagesWithoutAlt.joined(separator: ", "))")
                }
            }
            return lines.joined(separator: "\n")
        }

        static func json(_ feed: ParsedFeed) -> String {
            func value(_ text: String?) -> Any { text ?? NSNull() }
            let object: [String: Any] = [
                "title": feed.title, "format": feed.dialect.description, "home": value(feed.homeLink),
                "entries": feed.entries.map { entry -> [String: Any] in
                    [
                        "id": entry.id, "title": entry.title, "link": entry.link, "published": value(iso(entry.published)),
                        "updated": value(iso(entry.updated)), "author": value(entry.author), "summary_html": entry.summaryHTML,
                        "content_html": entry.contentHTML, "images_without_alt": entry.imagesWithoutAlt,
                    ]
                },
            ]
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }
}
