import Foundation
import Synchronization

/// "Now", injected: it decides which posts are in the future, and tests fix it.
public protocol BuildClock: Sendable {
    var now: Date { get }
}

/// The computer's clock, unless `SOURCE_DATE_EPOCH` (the reproducible-builds convention) names
/// the moment to build as: then drafts, future posts and new files' dates follow it.
public struct SystemClock: BuildClock {
    public init() {}
    public var now: Date {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int(text) {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date()
    }
}

public struct FixedClock: BuildClock {
    public let now: Date
    public init(_ now: Date) { self.now = now }
}

public struct BuildOptions: Sendable {
    public var selection: ContentSelection
    /// Replaces `base_url` from site.toml, e.g. for a preview deployment.
    public var baseURL: String?

    public init(selection: ContentSelection = ContentSelection(), baseURL: String? = nil) {
        self.selection = selection
        self.baseURL = baseURL
    }
}

/// How long each stage of a build took, in order, for `build --timings`.
public final class BuildTimings: Sendable {
    private let clock = ContinuousClock()
    private let state: Mutex<(last: ContinuousClock.Instant, phases: [(String, Duration)])>

    public init() { state = Mutex((clock.now, [])) }

    /// Ends the phase running since the previous call.
    public func finish(_ phase: String) {
        let now = clock.now
        state.withLock { state in
            state.phases.append((phase, now - state.last))
            state.last = now
        }
    }

    public var phases: [(phase: String, duration: Duration)] { state.withLock { $0.phases } }
}

public struct BuildResult: Sendable {
    public var timings = BuildTimings()
    public var diagnostics: Diagnostics
    public var site: Site?
    public var theme: Theme?
    /// Empty unless the whole build succeeded: a partial site is never offered for writing.
    public var outputs: [OutputFile]

    public var succeeded: Bool { !diagnostics.hasErrors && site != nil }
}

public enum BuildOptionError: DiagnosticConvertible {
    case badBaseURL(String)

    public var diagnostic: Diagnostic {
        switch self {
        case .badBaseURL(let text):
            Diagnostic(
                .error, code: "options.base-url",
                "--base-url \"\(text)\" is not an absolute web address; write it as https://example.org/", at: nil)
        }
    }
}

/// The pipeline from configuration to output files, without writing them: `build` writes
/// the result, `check` only reports it.
public enum SiteBuild {
    /// `cache` carries work from one build to the next in the same process (`serve`); the result
    /// is the same with or without it.
    public static func run(
        fileSystem: some SiteFileSystem, options: BuildOptions = BuildOptions(), clock: some BuildClock = SystemClock(),
        cache: BuildCache? = nil, images: (any ImageStore)? = nil
    ) -> BuildResult {
        var diagnostics = Diagnostics()
        let timings = BuildTimings()

        var (config, configDiagnostics) = SiteConfigParser.load(from: fileSystem)
        diagnostics.append(contentsOf: configDiagnostics)
        if let override = options.baseURL {
            if let normalised = SiteConfig.normalisedBaseURL(override) {
                config?.baseURL = normalised
            } else {
                diagnostics.append(BuildOptionError.badBaseURL(override))
            }
        }

        // Content is checked even when the configuration is broken, with default settings,
        // so one run lists every problem.
        let settings = config ?? SiteConfig(title: "", baseURL: "http://localhost/")
        let (files, assets, reread, loadDiagnostics) = ContentLoader.load(from: fileSystem, limits: settings.limits, cache: cache)
        diagnostics.append(contentsOf: loadDiagnostics)
        timings.finish("read content")

        let (types, typeDiagnostics) = ContentTypes.load(config: settings, from: fileSystem)
        diagnostics.append(contentsOf: typeDiagnostics)
        let parsing = BuildCache.ParseSettings(types: types, markdown: markdownOptions(settings), timeZone: settings.timeZone)
        @Sendable func parseOne(_ file: ContentFile) -> ParseResult? {
            guard let kind = ContentKind(path: file.path, types: types) else { return nil }
            let parseText = { @Sendable (text: SourceFile) in parse(text, kind: kind, parsing) }
            guard let cache else {
                guard case .read(let text, _) = file else { preconditionFailure("only a build store leaves a file unread") }
                return parseText(text)
            }
            let maxBytes = settings.limits.maxFileBytes
            let read = { @Sendable in
                Result { () throws(LoadError) in try ContentLoader.readText(file.path, from: fileSystem, maxBytes: maxBytes) }
            }
            return cache.parse(file, kind: kind, parsing, reading: read, parseText)
        }
        // Each file's result, nil for a file in no section. `serve` takes the last build's for
        // every file it did not read again, while the files and the settings are the same.
        let paths = files.map(\.path)
        let parsed: [ParseResult?]
        if let reread, var kept = cache?.lastParses(of: paths, parsing) {
            for index in paths.indices where reread.contains(paths[index]) { kept[index] = parseOne(files[index]) }
            parsed = kept
        } else {
            parsed = parallelMap(files) { parseOne($0) }
            cache?.keepParses(Set(paths.indices.filter { parsed[$0] != nil }.map { paths[$0] }))
        }
        cache?.keepLastParses(of: paths, parsing, parsed)
        // One pass sorts out what each file gave: every other look at a result copied all of it.
        var documents: [ParsedDocument] = []
        var principleSets: [PrincipleSet] = []
        var listed: (path: String, members: [Member])?
        let sections = types.all.map { "content/\($0.folder)/" }.sorted().joined(separator: ", ")
        for index in parsed.indices where parsed[index] == nil {
            diagnostics.append(
                Diagnostic(
                    .warning, code: "content.unused",
                    "this file is not in a section the site publishes (\(sections) or content/_index.md); it was skipped, or declare a type for its folder in site.toml",
                    at: SourceLocation(file: paths[index])))
        }
        for index in parsed.indices {
            guard let result = parsed[index] else { continue }
            diagnostics.append(contentsOf: result.1)
            switch result.0 {
            case .document(let document): documents.append(document)
            case .principleSet(let set): principleSets.append(set)
            case .members(let members): if listed == nil { listed = (paths[index], members) }
            case nil: break
            }
        }
        timings.finish("parse")

        let (theme, themeDiagnostics) =
            cache?.theme(named: settings.theme, from: fileSystem) { Theme.load(named: settings.theme, from: $0) }
            ?? Theme.load(named: settings.theme, from: fileSystem)
        diagnostics.append(contentsOf: themeDiagnostics)

        timings.finish("theme")
        guard let config else { return BuildResult(timings: timings, diagnostics: diagnostics, site: nil, outputs: []) }
        var voice: VoiceFeedSet?
        if let (path, members) = listed, members.count > config.limits.maxMembers {
            diagnostics.append(
                MembersError.tooMany(count: members.count, limit: config.limits.maxMembers, at: SourceLocation(file: path)))
        } else if let (_, members) = listed {
            let (feeds, feedDiagnostics) = VoiceFeeds.load(
                members: members, config: config.voice, fileSystem: fileSystem, now: clock.now)
            diagnostics.append(contentsOf: feedDiagnostics)
            voice = VoiceFeedSet(members: members, feeds: feeds)
        }
        var (site, modelDiagnostics) = SiteModel.make(
            config: config, types: types, documents: documents, principleSets: principleSets, voice: voice,
            selection: options.selection, now: clock.now)
        diagnostics.append(contentsOf: modelDiagnostics)
        timings.finish("model")
        guard var theme else {
            diagnostics.append(contentsOf: ContentChecks.run(site))
            return BuildResult(timings: timings, diagnostics: diagnostics, site: site, outputs: [])
        }
        diagnostics.append(contentsOf: theme.missingTemplates(for: site.collections.map(\.type), themeName: config.theme))
        let search = SiteRenderer.searchIndex(of: site, theme: theme, cache: cache)
        let media = ImageStage.run(
            site: &site, assets: assets, documents: files.map(\.path), staticFiles: theme.assets, fileSystem: fileSystem,
            store: images)
        theme.assets = media.otherStatic
        diagnostics.append(contentsOf: media.diagnostics)
        timings.finish("images")
        diagnostics.append(contentsOf: ContentChecks.run(site, cache: cache))
        timings.finish("content checks")

        // Rendering is pure, so it runs even after content errors: links can only be checked
        // against the files a build would write, and one run should list every problem.
        let (outputs, renderDiagnostics) = SiteRenderer(site: site, theme: theme, cache: cache, published: media.files)
            .render(timings: timings, search: search)
        diagnostics.append(contentsOf: renderDiagnostics)
        diagnostics.append(contentsOf: ContentChecks.runLinks(site, outputs: outputs, cache: cache))
        diagnostics.append(contentsOf: cache?.lostBodies() ?? [])
        timings.finish("link checks")
        return BuildResult(
            timings: timings, diagnostics: diagnostics, site: site, theme: theme, outputs: diagnostics.hasErrors ? [] : outputs)
    }

    static func markdownOptions(_ config: SiteConfig) -> MarkdownOptions {
        MarkdownOptions(
            unsafeHTML: config.markdown.unsafeHTML, smartPunctuation: config.markdown.smartPunctuation,
            reservedIDs: reservedIDs)
    }

    /// Ids the default layout uses, which headings in content must not take.
    public static let reservedIDs: Set<String> = ["main-content", "site-navigation", "toc-heading", "author-notes-heading", "point-changes"]

    /// `indirect`: a document is hundreds of bytes inline, and every look at a list of results
    /// (the build keeps one per content file) copied each whole.
    indirect enum ParsedContent: Sendable, Codable {
        case document(ParsedDocument)
        case principleSet(PrincipleSet)
        case members([Member])
    }

    typealias ParseResult = (ParsedContent?, [Diagnostic])

    /// A content file's parse by its kind: what the build cache keeps.
    static func parse(_ file: SourceFile, kind: ContentKind, _ settings: BuildCache.ParseSettings) -> ParseResult {
        let (markdown, timeZone) = (settings.markdown, settings.timeZone)
        switch kind {
        case .principleSet:
            let (set, found) = PrincipleSetParser.parse(file, markdown: markdown, timeZone: timeZone)
            return (set.map(ParsedContent.principleSet), found)
        case .voiceMembers:
            let (members, found) = MembersParser.parse(file)
            return (.members(members), found)
        default:
            let (document, found) = DocumentParser.parse(file, kind: kind, timeZone: timeZone, markdown: markdown)
            return (document.map(ParsedContent.document), found)
        }
    }
}
