import ArgumentParser
import FeedFetch
import Foundation
import LocalGovSite

extension LocalGov {
    struct Feeds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with the feeds of LocalGov Digital Voice members.",
            subcommands: [Fetch.self, Inspect.self])
    }
}

extension LocalGov.Feeds {
    /// The only command that uses the network: `build` reads what this leaves in the cache.
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download members' feeds into the feed cache.",
            discussion: """
                Reads content/voice/members.toml and refreshes the cache named by [voice] cache in site.toml \
                (.cache/voice by default). Unchanged feeds cost a conditional request and no body. One feed \
                failing never stops the others; the table at the end says what happened to each.
                """)

        @OptionGroup var site: SiteOptions

        @Option(name: .customLong("member"), help: "Fetch only this member (their slug, as in /voice/members/<slug>/); repeat for several.")
        var members: [String] = []

        func run() async throws {
            let fileSystem = LocalFileSystem(root: site.root)
            let (config, configDiagnostics) = SiteConfigParser.load(from: fileSystem)
            let (loaded, memberDiagnostics) = MembersParser.load(from: fileSystem)
            let diagnostics = Diagnostics(configDiagnostics + memberDiagnostics)
            DiagnosticReporter.report(diagnostics)
            guard let config, !diagnostics.hasErrors else { throw ContentFailure() }
            guard let all = loaded else {
                throw CommandFailure(message: "there is no \(MembersParser.path); add the members whose feeds Voice shows")
            }
            let unknown = members.filter { slug in !all.contains { $0.slug == slug } }
            guard unknown.isEmpty else {
                throw CommandFailure(
                    message: "no member has the slug \(unknown.joined(separator: ", ")); the slugs are \(all.map(\.slug).joined(separator: ", "))",
                    exitCode: 2)
            }
            let selected = all.filter { $0.enabled && (members.isEmpty || members.contains($0.slug)) }

            let settings = FetchSettings(config.voice.fetch, userAgent: FetchSettings.userAgent(site: config))
            let store = FeedCacheStore(folder: URL(fileURLWithPath: config.voice.cache, relativeTo: site.root).standardizedFileURL)
            let started = ContinuousClock.now
            let reports = try await FeedFetcher.withFetcher(settings) { await $0.fetchAll(selected, into: store) }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            print(FetchTable.render(reports))
            print(FetchTable.summary(reports, seconds: seconds))
        }
    }

    /// Answers "why is my blog not showing?": what the site would make of one feed.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse one feed, saved or on the web, and print what the site would show of it.",
            discussion: """
                For each entry: id, title, link, published and updated dates (ISO 8601, UTC), author, \
                and the summary and content HTML after sanitising. Exits with 1 if the feed cannot be read.
                """)

        @Argument(help: "A feed file, or a feed's http(s) address: RSS, Atom or JSON Feed.")
        var feed: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let (data, url) = try await load()
            let parsed: ParsedFeed
            do {
                parsed = try FeedParser.parse(data: data, feedURL: url, now: Date())
            } catch {
                var diagnostics = Diagnostics()
                diagnostics.append(error)
                DiagnosticReporter.report(diagnostics)
                throw ContentFailure()
            }
            print(json ? Self.json(parsed) : Self.text(parsed))
        }

        private func load() async throws -> (Data, URL) {
            let lowered = feed.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
                let url = URL(fileURLWithPath: feed)
                do {
                    return (try Data(contentsOf: url), url)
                } catch {
                    throw CommandFailure(message: "cannot read \(feed): \(error.localizedDescription)")
                }
            }
            let settings = FetchSettings(SiteConfig.Voice.Fetch(), userAgent: "LocalGovSite/1.0 (feeds inspect)")
            do {
                let (body, final) = try await FeedFetcher.withFetcher(settings) { try await $0.get(feed) }
                return (body, URL(string: final) ?? URL(string: feed)!)
            } catch {
                throw CommandFailure(message: "cannot fetch \(feed): \(error)")
            }
        }

        static func iso(_ date: Date?) -> String? {
            date.map { Format.rfc3339($0) }
        }

        static func text(_ feed: ParsedFeed) -> String {
            var lines = [
                "\(feed.title) (\(feed.dialect)), \(English.count(feed.entries.count, "entry", plural: "entries"))",
            ]
            if let home = feed.homeLink { lines.append("home: \(home)") }
            lines += feed.repairs.map { "warning: repaired to read it: \($0)" }
            for entry in feed.entries {
                lines += [
                    "", "id: \(entry.id)", "title: \(entry.title)", "link: \(entry.link ?? "none")",
                    "published: \(iso(entry.published) ?? "none")", "updated: \(iso(entry.updated) ?? "none")",
                    "author: \(entry.author ?? "none")",
                    "categories: \(entry.categories.isEmpty ? "none" : entry.categories.joined(separator: ", "))", "summary: \(entry.summaryHTML)", "content: \(entry.contentHTML)",
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
                "title": feed.title, "format": feed.dialect.description, "home": value(feed.homeLink), "repairs": feed.repairs,
                "entries": feed.entries.map { entry -> [String: Any] in
                    [
                        "id": entry.id, "title": entry.title, "link": value(entry.link), "categories": entry.categories, "published": value(iso(entry.published)),
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

/// The per-feed status table and summary `feeds fetch` prints.
enum FetchTable {
    static func render(_ reports: [FetchReport]) -> String {
        let header = ["Member", "Result", "HTTP", "Bytes", "Time", "Detail"]
        let rows = reports.map { report -> [String] in
            [
                report.member.slug, report.outcome.label, report.status.map(String.init) ?? "-", String(report.bytes),
                String(format: "%.2f s", report.seconds), detail(report),
            ]
        }
        let widths = header.indices.dropLast().map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = cells.dropLast().enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            return (padded + [cells.last!]).joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    static func detail(_ report: FetchReport) -> String {
        var parts: [String] = []
        switch report.outcome {
        case .updated(let entries): parts.append(English.count(entries, "entry", plural: "entries"))
        case .failed(let message): parts.append(message)
        case .gone: parts.append("the feed is gone (410); update or disable this member in members.toml")
        case .deferred(let until): parts.append("the server asked for no requests before \(Format.rfc3339(until))")
        case .notModified: break
        }
        if let moved = report.movedTo { parts.append("moved permanently to \(moved): update members.toml") }
        parts += report.notes
        return parts.joined(separator: "; ")
    }

    static func summary(_ reports: [FetchReport], seconds: Double) -> String {
        func count(_ label: String) -> Int { reports.count { $0.outcome.label == label } }
        let bytes = reports.reduce(0) { $0 + $1.bytes }
        return "\(English.count(reports.count, "feed")) in \(String(format: "%.2f", seconds)) s: \(count("ok")) ok, "
            + "\(count("not modified")) not modified, \(count("failed")) failed, \(count("gone")) gone, "
            + "\(count("deferred")) deferred; \(bytes) bytes downloaded."
    }
}
