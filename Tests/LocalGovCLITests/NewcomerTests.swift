import Foundation
import Testing

@testable import LocalGovSite

/// What a council maintainer meets first: the version, a new site from `init`, the README's
/// walk-through run as written, and the formats CI systems read.
extension CLITests {
    /// A new, empty folder with a name that needs quoting.
    static func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-new-\(UUID().uuidString) é")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// 9 June 2016 at noon, UTC: the day the draft digital principles were posted.
    static let fixedEpoch = ["SOURCE_DATE_EPOCH": "1465473600"]

    @Test func versionNamesTheReleaseAndTheCommit() throws {
        let run = try Self.localgov(["--version"], in: Self.repository)
        #expect(run.status == 0)
        let line = run.stdout.trimmingCharacters(in: .newlines)
        #expect(line.wholeMatch(of: /localgov \d+\.\d+\.\d+ \(commit [0-9a-f]{12}\)/) != nil, "\(line)")
        let version = try String(contentsOf: Self.repository.appendingPathComponent("Sources/LocalGovCLI/Version.swift"), encoding: .utf8)
        let number = try #require(version.firstMatch(of: /number = "([^"]+)"/)).1
        #expect(line.hasPrefix("localgov \(number) "))
    }

    @Test func initMakesASiteThatBuildsAtOnceWithTheBuiltInTheme() throws {
        let folder = try Self.emptyFolder()
        let made = try Self.localgov(["init", "our site", "--title", "Harrowfield \"Digital\""], in: folder, environment: Self.fixedEpoch)
        #expect(made.status == 0, "\(made.stderr)")
        let site = folder.appendingPathComponent("our site")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("themes").path))
        let ignore = try String(contentsOf: site.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(ignore.contains("public/") && ignore.contains(".cache/"))
        let welcome = try String(contentsOf: site.appendingPathComponent("content/blog/welcome.md"), encoding: .utf8)
        #expect(welcome.contains("date: 2016-06-09"))

        let built = try Self.localgov(["build"], in: site, environment: Self.fixedEpoch)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.isEmpty, "a new site has nothing to warn about: \(built.stderr)")
        let output = site.appendingPathComponent("public")
        let home = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains("Harrowfield &quot;Digital&quot;") || home.contains("Harrowfield \"Digital\""))
        for page in ["blog/welcome/index.html", "about/index.html", "standard/index.html", "assets/style.css", "search/index.html", "sitemap.xml"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(page).path), "\(page)")
        }

        // A second init never overwrites: it names what is there and changes nothing.
        let before = try Self.snapshot(site)
        let again = try Self.localgov(["init"], in: site)
        #expect(again.status == 1)
        #expect(again.stderr.contains("site.toml") && again.stderr.contains("empty folder"))
        #expect(try Self.snapshot(site) == before)
    }

    @Test func newPostTakesTodayFromSourceDateEpoch() throws {
        let site = try Self.copySite("basic")
        let run = try Self.localgov(["new", "post", "Notes from the summit"], in: site, environment: Self.fixedEpoch)
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: site.appendingPathComponent("content/blog/notes-from-the-summit.md"), encoding: .utf8)
        #expect(text.contains("date: 2016-06-09\n"))
    }

    /// The several-errors fixture, whose text report is its expected.txt: the same diagnostics as
    /// GitHub annotations and as JSON, on standard output, with the same exit code.
    @Test func checkWritesAnnotationsForGitHubAndJSONForOtherTools() throws {
        let site = try Self.copySite("invalid/several-errors")
        let expected = try String(contentsOf: Self.tests.appendingPathComponent("Fixtures/sites/invalid/several-errors/expected.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix(" ") }
        // path:line:column: severity: message [code], each perhaps followed by an indented hint.
        let parsed = try expected.map { line in
            let match = try #require(line.wholeMatch(of: /([^:]+):(\d+):(\d+): (error|warning): (.*) \[([a-z.-]+)\]/), "\(line)")
            return (file: String(match.1), line: Int(match.2)!, column: Int(match.3)!, severity: String(match.4), message: String(match.5), code: String(match.6))
        }

        let github = try Self.localgov(["check", "--format", "github"], in: site)
        #expect(github.status == 1)
        #expect(github.stderr.isEmpty)
        let annotations = github.stdout.split(separator: "\n").map(String.init)
        #expect(annotations.count == parsed.count)
        for (annotation, item) in zip(annotations, parsed) {
            #expect(annotation.hasPrefix("::\(item.severity) file=\(item.file),line=\(item.line),col=\(item.column),title=\(item.code)::"), "\(annotation)")
            #expect(!annotation.dropFirst(2).contains("\n"))
        }

        let json = try Self.localgov(["check", "--format", "json"], in: site)
        #expect(json.status == 1)
        struct Report: Decodable {
            struct Item: Decodable { var severity, code, message: String; var file: String?; var line, column: Int? }
            var errors: Int
            var warnings: Int
            var diagnostics: [Item]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(json.stdout.utf8))
        #expect(report.errors == parsed.count && report.warnings == 0)
        #expect(report.diagnostics.map(\.file) == parsed.map { Optional($0.file) })
        #expect(report.diagnostics.map(\.line) == parsed.map { Optional($0.line) })
        #expect(report.diagnostics.map(\.column) == parsed.map { Optional($0.column) })
        #expect(report.diagnostics.map(\.code) == parsed.map { $0.code })
        #expect(zip(report.diagnostics, parsed).allSatisfy { $0.message.hasPrefix($1.message) || $1.message.hasPrefix($0.message) })

        let clean = try Self.localgov(["check", "--format", "github"], in: try Self.copySite("basic"))
        #expect(clean.status == 0 && !clean.stdout.contains("::error"))
    }

    /// Annotation messages and properties escape what would end them early.
    @Test func annotationsEscapeNewlinesColonsAndCommas() throws {
        let site = try Self.copySite("basic")
        try "---\ntitle: Broken\ndate: 2023-02-30\n---\nBody\n".write(
            to: site.appendingPathComponent("content/blog/a, b: c.md"), atomically: true, encoding: .utf8)
        let run = try Self.localgov(["check", "--format", "github"], in: site)
        #expect(run.status == 1)
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("::error ") }.map(String.init))
        #expect(line.hasPrefix("::error file=content/blog/a%2C b%3A c.md,line=3,col=7,"), "\(line)")
    }

    /// The README's "Your first site", command by command as written, in an empty folder, with
    /// the draft checked in `serve` and the post published by deleting `draft: true`.
    @Test func theReadmeWalkThroughWorksAsWritten() async throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.firstRange(of: "## Your first site").map { readme[$0.upperBound...] })
        let walk = section[..<(section.range(of: "\n## ")?.lowerBound ?? section.endIndex)]
        let commands = walk.matches(of: /```sh\n((?:.*\n)*?)```/).flatMap { $0.1.split(separator: "\n").map(String.init) }
        #expect(commands.count >= 5, "\(commands)")

        var folder = try Self.emptyFolder()
        var served = false
        var post: URL?
        for command in commands {
            let words = try Self.shellWords(command)
            switch (words.first, words.dropFirst().first) {
            case ("cd", let name?):
                folder = folder.appendingPathComponent(name)
            case ("localgov", "serve"):
                let server = try ServeProcess(site: folder, extra: Array(words.dropFirst(2)))
                let written = try #require(post, "the walk-through makes a post before serving")
                let page = try await Self.fetch(server.address + "blog/\(written.deletingPathExtension().lastPathComponent)/")
                #expect(page.status == 200)
                #expect(page.body.contains("class=\"draft-notice\""), "serve shows the new draft with its banner")
                #expect(try await Self.fetch(server.address + "blog/").body.contains(written.deletingPathExtension().lastPathComponent))
                #expect(server.stop() == 0)
                // "When it is ready, delete the line draft: true".
                let text = try String(contentsOf: written, encoding: .utf8)
                #expect(text.contains("draft: true\n"))
                try text.replacingOccurrences(of: "draft: true\n", with: "").write(to: written, atomically: true, encoding: .utf8)
                served = true
            case ("localgov", _):
                let run = try Self.localgov(Array(words.dropFirst()), in: folder, environment: Self.fixedEpoch)
                #expect(run.status == 0, "\(command): \(run.stderr)")
                if words.dropFirst().first == "new" {
                    let made = try #require(run.stdout.firstMatch(of: /content\/blog\/[a-z0-9-]+\.md/), "\(command) says which file it made: \(run.stdout)")
                    post = folder.appendingPathComponent(String(made.0))
                }
            default:
                Issue.record("the walk-through has a command the test cannot run: \(command)")
            }
        }
        #expect(served)
        let slug = try #require(post).deletingPathExtension().lastPathComponent
        let page = try String(contentsOf: folder.appendingPathComponent("public/blog/\(slug)/index.html"), encoding: .utf8)
        #expect(!page.contains("draft-notice"))
    }

    /// Every command of the README's table, with each option it shows, is one `localgov` accepts.
    @Test func everyCommandInTheReadmeTableExistsWithItsOptions() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `localgov ") }
        #expect(rows.count >= 8)
        for row in rows {
            let usage = try #require(row.firstMatch(of: /^\| `localgov ([^`]+)`/)).1
            let path = usage.split(separator: " ").prefix { $0.first!.isLowercase }.map(String.init)
            let help = try Self.localgov(path + ["--help"], in: Self.repository)
            #expect(help.status == 0, "localgov \(path.joined(separator: " ")) --help: \(help.stderr)")
            for option in usage.matches(of: /--[a-z][a-z-]*/) {
                #expect(help.stdout.contains(String(option.0)), "localgov \(path.joined(separator: " ")) has no \(option.0)")
            }
        }
    }

    /// Splits a README command line as a shell would: words, double-quoted strings, `#` comments.
    static func shellWords(_ line: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        var inWord = false
        for character in line {
            switch character {
            case "\"": quoted.toggle(); inWord = true
            case "#" where !quoted && !inWord: return words
            case " " where !quoted:
                if inWord { words.append(word) }
                word = ""
                inWord = false
            default: word.append(character); inWord = true
            }
        }
        try #require(!quoted, "unbalanced quotes in \(line)")
        if inWord { words.append(word) }
        return words
    }
}
