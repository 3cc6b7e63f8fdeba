import Foundation

/// Reads each enabled member's feed from the cache `feeds fetch` keeps (or from the committed
/// snapshot) and parses it. The build never touches the network, and one member's broken
/// feed is a warning: it must not stop the site being published.
public enum VoiceFeeds {
    public static func load(
        members: [Member], config: SiteConfig.Voice, fileSystem: some SiteFileSystem, now: Date
    ) -> ([String: (ParsedFeed?, FeedHealth)], [Diagnostic]) {
        let snapshots = snapshotFiles(in: config.snapshot, fileSystem: fileSystem)
        let results = parallelMap(members.filter(\.enabled)) { member -> (String, ParsedFeed?, FeedHealth, [Diagnostic]) in
            let (parsed, health, diagnostics) = load(
                member, cache: config.cache, snapshot: snapshots[member.slug], fileSystem: fileSystem, now: now)
            return (member.slug, parsed, health, diagnostics)
        }
        var feeds: [String: (ParsedFeed?, FeedHealth)] = [:]
        var diagnostics: [Diagnostic] = []
        for (slug, parsed, health, found) in results {
            feeds[slug] = (parsed, health)
            diagnostics += found
        }
        return (feeds, diagnostics)
    }

    private static func load(
        _ member: Member, cache: String, snapshot: String?, fileSystem: some SiteFileSystem, now: Date
    ) -> (ParsedFeed?, FeedHealth, [Diagnostic]) {
        let recordPath = cache + "/" + FeedCacheLayout.record(member.slug)
        let bodyPath = cache + "/" + FeedCacheLayout.body(member.slug)
        let record = (try? fileSystem.read(recordPath)).flatMap(FeedCacheRecord.decode).flatMap { $0.feed == member.feed ? $0 : nil }

        if let record, record.gone {
            return (nil, FeedHealth(source: .cache, record: record, parseError: nil), [VoiceError.gone(member).diagnostic])
        }
        let source: (path: String, data: Data, kind: FeedHealth.Source, fetched: Date)?
        if let record, let fetched = record.fetchedAt, let data = try? fileSystem.read(bodyPath) {
            source = (bodyPath, data, .cache, fetched)
        } else if let snapshot, let data = try? fileSystem.read(snapshot) {
            source = (snapshot, data, .snapshot, now)
        } else {
            source = nil
        }
        guard let source else {
            return (nil, FeedHealth(source: .none, record: record, parseError: nil), [VoiceError.notFetched(member, cache: cache).diagnostic])
        }
        // Diagnostics name the file that was read; the member's feed address is in the message.
        let url = URL(string: member.feed) ?? URL(fileURLWithPath: source.path)
        do {
            let parsed = try FeedParser.parse(data: source.data, feedURL: url, now: source.fetched, firstSeen: record?.firstSeen ?? [:])
            var diagnostics: [Diagnostic] = []
            let missing = parsed.entries.reduce(0) { $0 + $1.imagesWithoutAlt.count }
            if missing > 0 { diagnostics.append(VoiceError.imagesWithoutAlt(member, count: missing, file: source.path).diagnostic) }
            if !parsed.repairs.isEmpty {
                diagnostics.append(VoiceError.repaired(member, file: source.path, repairs: parsed.repairs).diagnostic)
            }
            return (parsed, FeedHealth(source: source.kind, record: record, parseError: nil, repairs: parsed.repairs), diagnostics)
        } catch {
            let message = error.diagnostic.message
            return (
                nil, FeedHealth(source: source.kind, record: record, parseError: message),
                [VoiceError.unreadable(member, file: source.path, message: message).diagnostic]
            )
        }
    }

    /// Snapshot files by member slug: `<slug>.xml`, `<slug>.json` and so on.
    private static func snapshotFiles(in folder: String, fileSystem: some SiteFileSystem) -> [String: String] {
        guard !folder.isEmpty, let paths = try? fileSystem.files(under: folder) else { return [:] }
        var result: [String: String] = [:]
        for path in paths.sorted() {
            // Some file systems hand names back decomposed (NFD); slugs are composed (NFC).
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.precomposedStringWithCanonicalMapping
            if result[name] == nil { result[name] = path }
        }
        return result
    }
}

public enum VoiceError: DiagnosticConvertible {
    case notFetched(Member, cache: String)
    case gone(Member)
    case unreadable(Member, file: String, message: String)
    case imagesWithoutAlt(Member, count: Int, file: String)
    case repaired(Member, file: String, repairs: [String])

    public var diagnostic: Diagnostic {
        switch self {
        case let .notFetched(member, cache):
            Diagnostic(
                .warning, code: "voice.not-fetched",
                "\(member.name)'s feed is not in the feed cache (\(cache)/), so their posts are not shown",
                at: member.location, hint: "run `localgov feeds fetch` to download members' feeds")
        case let .gone(member):
            Diagnostic(
                .warning, code: "voice.gone",
                "\(member.name)'s feed \(member.feed) answered 410 Gone, so their posts are not shown",
                at: member.location, hint: "update feed in members.toml if the blog has moved, or set enabled = false")
        case let .unreadable(member, file, message):
            Diagnostic(
                .warning, code: "voice.unreadable", "\(member.name)'s feed (\(file)) cannot be read: \(message)",
                at: member.location, hint: "`localgov feeds inspect \(file)` shows what the site makes of it")
        case let .repaired(member, file, repairs):
            Diagnostic(
                .warning, code: "voice.repaired",
                "\(member.name)'s feed is not well-formed and was repaired to read it: \(repairs.joined(separator: "; "))",
                at: member.location, hint: "the member can fix their feed; `localgov feeds inspect \(file)` shows what was read")
        case let .imagesWithoutAlt(member, count, file):
            Diagnostic(
                .warning, code: "voice.image-alt",
                "\(member.name)'s feed has \(English.count(count, "image")) without alt text; \(count == 1 ? "it is" : "they are") shown as decorative (alt=\"\")",
                at: member.location, hint: "`localgov feeds inspect \(file)` lists them")
        }
    }
}
