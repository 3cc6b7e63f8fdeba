import Foundation
import Testing

@testable import LocalGovSite

/// Random sequences of edits of every kind, each followed by a build with a cache (`serve`'s in
/// memory, or `build`'s on disk) and a clean build: after every step the two must give the same
/// files, byte for byte.
@Suite struct RandomEditTests {
    typealias Generator = ListingOrderTests.SeededGenerator

    /// One kind of edit, applied to the site in memory; nil when it has nothing to act on yet.
    struct Edit: Sendable {
        var name: String
        var apply: @Sendable (inout MemoryFileSystem, inout Generator, Int) -> String?
    }

    static func text(_ site: MemoryFileSystem, _ path: String) -> String { String(decoding: site.files[path]!, as: UTF8.self) }

    /// A markdown document whose path starts with `prefix`.
    static func pick(_ site: MemoryFileSystem, under prefix: String, _ generator: inout Generator) -> String? {
        let paths = site.files.keys.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".md") && !$0.hasSuffix("_index.md") }
        return paths.sorted().randomElement(using: &generator)
    }

    /// The line that sets `key` (in front matter, or in a TOML file), replaced by one that sets it
    /// to `value`, written as the file is (YAML or TOML).
    static func setting(_ key: String, to value: String, in text: String) -> String {
        let toml = text.hasPrefix("+++") || !text.hasPrefix("---")
        var lines = text.components(separatedBy: "\n")
        let line = toml ? "\(key) = \(value)" : "\(key): \(value)"
        if let index = lines.firstIndex(where: { $0.hasPrefix(key + " =") || $0.hasPrefix(key + ":") }) {
            lines[index] = line
        } else {
            lines.insert(line, at: 1)
        }
        return lines.joined(separator: "\n")
    }

    /// A paragraph added at the end of a document under `prefix`.
    static func paragraph(_ name: String, under prefix: String) -> Edit {
        Edit(name: name) { site, g, step in
            guard let path = pick(site, under: prefix, &g) else { return nil }
            site.files[path] = Data((text(site, path) + "\n\nA paragraph added at step \(step).\n").utf8)
            return path
        }
    }

    /// `key` set to a value made from the step, in a document under `prefix` (or in the file `prefix`).
    static func setting(_ name: String, _ key: String, under prefix: String, _ value: @escaping @Sendable (Int, inout Generator) -> String) -> Edit {
        Edit(name: name) { site, g, step in
            guard let path = site.files[prefix] != nil ? prefix : pick(site, under: prefix, &g) else { return nil }
            let written = value(step, &g)
            site.files[path] = Data(setting(key, to: written, in: text(site, path)).utf8)
            return path
        }
    }

    static let edits: [Edit] = [
        paragraph("a paragraph added to a post", under: "content/blog/"),
        setting("a post's title", "title", under: "content/blog/") { step, _ in "\"Retitled at step \(step)\"" },
        setting("a post's date", "date", under: "content/blog/") { _, g in
            "2024-\(Format.pad(Int.random(in: 1...12, using: &g)))-\(Format.pad(Int.random(in: 1...28, using: &g)))"
        },
        Edit(name: "a new post") { site, g, step in
            let tag = ["agile", "open-data", "a new tag \(step % 3)"].randomElement(using: &g)!
            let path = "content/blog/added-\(step).md"
            site.files[path] = Data(
                "---\ntitle: \"Added at step \(step)\"\ndate: 2025-0\(step % 9 + 1)-1\(step % 9)\nauthors: [\"Priya Shah\"]\ntags: [\"\(tag)\"]\n---\nA post added at step \(step).\n"
                    .utf8)
            return path
        },
        Edit(name: "an added post deleted") { site, g, _ in
            guard let path = pick(site, under: "content/blog/added-", &g) else { return nil }
            site.files[path] = nil
            return path
        },
        Edit(name: "an added post renamed") { site, g, step in
            guard let path = pick(site, under: "content/blog/added-", &g) else { return nil }
            site.files["content/blog/renamed-\(step).md"] = site.files.removeValue(forKey: path)
            return path
        },
        setting("an added post made a draft", "draft", under: "content/blog/added-") { _, _ in "true" },
        paragraph("a page's text", under: "content/pages/"),
        setting("a point of the Standard", "summary", under: "content/standard/") { step, _ in "\"Summarised again at step \(step).\"" },
        Edit(name: "the principles") { site, _, step in
            let path = "content/principles/digital-principles.toml"
            site.files[path] = Data((text(site, path) + "\n# step \(step)\n").utf8)
            return path
        },
        setting("an event's status", "status", under: "content/events/") { _, g in
            ["scheduled", "cancelled", "moved-online"].randomElement(using: &g)!
        },
        setting("a group's summary", "summary", under: "content/groups/") { step, _ in "\"A group, as of step \(step).\"" },
        Edit(name: "a template") { site, g, step in
            let path = "themes/default/templates/" + ["post", "post-item", "page", "list", "footer", "event-item", "group"].randomElement(using: &g)! + ".mustache"
            site.files[path] = Data((text(site, path) + "<!-- step \(step) -->\n").utf8)
            return path
        },
        setting("site.toml", "description", under: "site.toml") { step, _ in "\"Described at step \(step).\"" },
        setting("a word of the theme", "next", under: "themes/default/strings/en.toml") { step, _ in "\"Next (\(step))\"" },
    ]

    /// Where the incremental build's cache lives: in memory across rebuilds (`serve`), or on
    /// disk, opened afresh for every build as each `localgov build` does.
    enum CacheKind: Sendable, CustomTestStringConvertible {
        case memory, disk
        var testDescription: String { self == .memory ? "in memory" : "on disk" }
    }

    @Test(arguments: [(UInt64(11), CacheKind.memory), (23, .memory), (37, .disk)])
    func everyStepOfARandomSequenceGivesTheCleanBuildsBytes(seed: UInt64, kind: CacheKind) throws {
        let builds = IncrementalBuildTests()
        var site = try builds.sampleSite()
        var generator = Generator(state: seed)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("random-edits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let memory = BuildCache()
        func build(_ step: String) throws -> BuildCache.Counters {
            let cache = kind == .memory ? memory : BuildCache(store: BuildStore.inSite(root, tool: "tests").0)
            let counters = try builds.expectSameAsClean(
                site, cache: cache, step, writtenTo: kind == .disk ? root.appendingPathComponent("public") : nil)
            try cache.store?.commit()
            return counters
        }
        _ = try build("first build")
        #expect(try build("no change").rendered == 0)
        var done: Set<String> = []
        var step = 0
        while step < 14 {
            let edit = Self.edits.randomElement(using: &generator)!
            guard let path = edit.apply(&site, &generator, step) else { continue }
            step += 1
            done.insert(edit.name)
            _ = try build("seed \(seed), step \(step): \(edit.name) (\(path))")
        }
        #expect(done.count >= 8, "the sequence tried only \(done.sorted())")
    }
}
