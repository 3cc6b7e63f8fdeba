import Foundation
import Mustache
import Testing

@testable import LocalGovSite

/// `CompiledTemplate` renders what swift-mustache's own renderer renders: random templates
/// (sections, inverted sections, dotted and anchored names, partials on lines of their own and
/// indented, layouts with blocks, comments) over random contexts, rendered both ways.
@Suite struct CompiledTemplateTests {
    typealias Generator = ListingOrderTests.SeededGenerator

    struct Maker {
        var random: Generator
        static let names = ["a", "b", "list", "obj", "obj.a", "obj.list", ".", ".a", "missing", "flag", "n", "words.next", "words"]
        static let sectionNames = ["a", "b", "list", "obj", "obj.list", "missing", "flag", "n", "words", "empty"]
        static let texts = ["x", " ", "\n", "  ", "<p>", "é & ", "\t"]

        mutating func pick<T>(_ options: [T]) -> T { options.randomElement(using: &random)! }
        mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

        /// A line of its own around `tag`, indented or not, or the tag inline.
        mutating func placed(_ tag: String) -> String {
            chance(50) ? "\n" + pick(["", "  ", "\t"]) + tag + "\n" : tag
        }

        mutating func body(depth: Int, partials: [String], blocks: [String]) -> String {
            var text = ""
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                switch Int.random(in: 0..<9, using: &random) {
                case 0, 1: text += pick(Self.texts)
                case 2: text += "{{\(pick(Self.names))}}"
                case 3: text += pick(["{{{\(pick(Self.names))}}}", "{{&\(pick(Self.names))}}"])
                case 4...5 where depth > 0:
                    let name = pick(Self.sectionNames)
                    let sigil = chance(60) ? "#" : "^"
                    let inner = body(depth: depth - 1, partials: partials, blocks: blocks)
                    text += placed("{{\(sigil)\(name)}}") + inner + placed("{{/\(name)}}")
                case 6 where !partials.isEmpty: text += placed("{{> \(pick(partials))}}")
                case 7 where !blocks.isEmpty && depth > 0:
                    let name = pick(blocks)
                    text += placed("{{$\(name)}}") + body(depth: depth - 1, partials: partials, blocks: []) + placed("{{/\(name)}}")
                case 8: text += placed("{{! a note }}")
                default: text += pick(Self.texts)
                }
            }
            return text
        }

        /// `parent`'s blocks overridden (some of them). With `nested`, `b0`'s override shows
        /// the block `b1` (a block showing itself would never end, in either renderer).
        mutating func inheriting(_ parent: String, nested: Bool) -> String {
            let gap = chance(50) ? "\n" : ""
            var overrides = ""
            for block in ["b0", "b1"] where chance(60) {
                let blocks = nested && block == "b0" ? ["b1"] : []
                overrides += "{{$\(block)}}" + gap + body(depth: 2, partials: ["p2"], blocks: blocks) + gap + "{{/\(block)}}" + gap
            }
            return "{{<\(parent)}}" + gap + overrides + "{{/\(parent)}}" + gap
        }

        /// `main` may use `p1`, `p2` and a layout; `p1` may use `p2`; `layout` has blocks and
        /// may itself fill in `base`'s, so blocks are passed down two levels.
        mutating func templates() -> [String: String] {
            var templates: [String: String] = [:]
            templates["p2"] = body(depth: 2, partials: [], blocks: [])
            templates["p1"] = body(depth: 2, partials: ["p2"], blocks: [])
            templates["base"] = body(depth: 2, partials: ["p2"], blocks: ["b0", "b1"])
            var layout = body(depth: 2, partials: ["p2"], blocks: ["b0", "b1"])
            if chance(50) { layout += inheriting("base", nested: true) }
            templates["layout"] = layout
            var main = body(depth: 3, partials: ["p1", "p2"], blocks: [])
            if chance(60) { main += inheriting(pick(["layout", "base"]), nested: false) + body(depth: 1, partials: [], blocks: []) }
            templates["main"] = main
            return templates
        }

        mutating func value(depth: Int) -> Any {
            switch Int.random(in: 0..<(depth > 0 ? 12 : 7), using: &random) {
            case 0: pick(["x", "", "<b>&'\"", "two\nlines", "é"])
            case 1: chance(50)
            case 2: pick([0, 7, -3])
            case 3: ["next": "Next & last", "previous": "<Previous>"] as [String: String]
            case 4: [] as [Any]
            case 5: pick([["one", "two"], [""]]) as [String]
            case 6: "y"
            case 7, 8: object(depth: depth - 1)
            default: (0..<Int.random(in: 0...3, using: &random)).map { _ in object(depth: depth - 1) } as [[String: Any]]
            }
        }

        mutating func object(depth: Int) -> [String: Any] {
            var object: [String: Any] = [:]
            for key in ["a", "b", "list", "obj", "flag", "n", "words", "empty"] where chance(55) {
                object[key] = value(depth: depth)
            }
            return object
        }
    }

    @Test func rendersAsSwiftMustacheDoes() throws {
        var compiledCount = 0
        for seed: UInt64 in 1...3000 {
            var maker = Maker(random: Generator(state: seed))
            let texts = maker.templates()
            var library = MustacheLibrary()
            var parsed = true
            for (name, text) in texts {
                guard let template = try? MustacheTemplate(string: HTMLEscaping.pragma + text) else {
                    parsed = false
                    break
                }
                library.register(template, named: name)
            }
            guard parsed else { continue }
            let set = TemplateSet(library: library, names: texts.keys)
            try #require(set.isCompiled, "seed \(seed): \(texts)")
            let context = maker.object(depth: 3)
            let expected = library.render(context, withTemplate: "main")
            #expect(set.render(context, withTemplate: "main") == expected, "seed \(seed)")
            guard let compiled = set.renderCompiled(context, withTemplate: "main") else { continue }
            compiledCount += 1
            #expect(compiled == expected, "seed \(seed): \(texts) with \(context)")
            // Pieces made once for many pages come as `TemplateValue`s inside the context; the
            // library gets them made plain again. (Only where no list or dictionary is printed:
            // Swift's description of a dictionary follows its storage, which a copy changes.)
            let made = context.mapValues { value -> Any in TemplateValue(value) ?? value }
            #expect(set.render(made, withTemplate: "main") == expected, "seed \(seed), made")
            #expect(library.render(TemplateValue.plain(made), withTemplate: "main") == expected, "seed \(seed), made plain")
        }
        // Pages whose variables name a list or an object go to the library; most must not.
        #expect(compiledCount > 1500, "only \(compiledCount) of 3,000 rendered by the compiled templates")
    }

    /// The theme's templates are all within the compiler, so no page of a site pays for the
    /// library's renderer.
    @Test func theDefaultThemeCompiles() throws {
        var site = MemoryFileSystem([:])
        try site.addDefaultTheme()
        let (theme, diagnostics) = Theme.load(named: Theme.defaultName, from: site)
        #expect(diagnostics.isEmpty)
        #expect(try #require(theme).templates.isCompiled)
    }

    /// A transform is the library's alone: a theme with one is rendered by it, whole.
    @Test func aTransformLeavesTheThemeToTheLibrary() throws {
        var library = MustacheLibrary()
        library.register(try MustacheTemplate(string: HTMLEscaping.pragma + "{{uppercased(a)}}{{> p}}"), named: "main")
        library.register(try MustacheTemplate(string: HTMLEscaping.pragma + "[{{a}}]"), named: "p")
        let set = TemplateSet(library: library, names: ["main", "p"])
        #expect(!set.isCompiled)
        #expect(set.render(["a": "é & b"], withTemplate: "main") == "É &amp; B[é &amp; b]")
    }
}
