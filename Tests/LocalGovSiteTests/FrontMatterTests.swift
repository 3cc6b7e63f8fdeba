import Foundation
import Testing

@testable import LocalGovSite

@Suite struct FrontMatterTests {
    @Test func splitsYAMLAndCountsLinesInTheWholeFile() throws {
        let split = try FrontMatter.split("---\ntitle: A\ndate: 2020-01-01\n---\n\nBody\n", file: "x.md")
        #expect(split.syntax == .yaml)
        #expect(split.fields == "title: A\ndate: 2020-01-01")
        #expect(split.bodyStartLine == 5)
        let fields = try FrontMatter.read(split, file: "x.md")
        #expect(fields.value.field("date")?.node.location == SourceLocation(file: "x.md", line: 3, column: 7))
    }

    @Test func splitsTOML() throws {
        let split = try FrontMatter.split("+++\ntitle = \"A\"\ntags = [\"x\"]\n+++\nBody", file: "x.md")
        #expect(split.syntax == .toml)
        let fields = try FrontMatter.read(split, file: "x.md")
        #expect(fields.value.field("tags")?.node.location == SourceLocation(file: "x.md", line: 3, column: 8))
        #expect(fields.value.field("title")?.node.value == .string("A"))
    }

    @Test func emptyFrontMatterAndNoBody() throws {
        let empty = try FrontMatter.split("---\n---\nBody", file: "x.md")
        #expect(empty.fields == "")
        #expect(empty.body == "Body")
        #expect(empty.bodyStartLine == 3)
        let noBody = try FrontMatter.split("+++\ntitle = \"A\"\n+++", file: "x.md")
        #expect(noBody.fields == "title = \"A\"")
        #expect(noBody.body == "")
    }

    @Test func missingAndUnclosedFrontMatter() {
        #expect(throws: FrontMatterError.self) { try FrontMatter.split("Just text", file: "x.md") }
        do {
            _ = try FrontMatter.split("---\ntitle: A\n\nBody", file: "x.md")
            Issue.record("an unclosed block was accepted")
        } catch {
            #expect(error.diagnostic.description.contains("x.md:1:1: error: front matter opened with `---` is never closed"))
        }
    }

    @Test func yamlSyntaxErrorPointsIntoTheFile() {
        do {
            _ = try YAMLReader.read("title: A\ntags: [a, b\n", file: "x.md", lineOffset: 1)
            Issue.record("invalid YAML was accepted")
        } catch {
            #expect(error.diagnostic.code == "yaml.syntax")
            #expect(error.diagnostic.location?.line == 4)
        }
    }

    @Test func anInvisibleControlCharacterGetsItsOwnHint() {
        do {
            _ = try YAMLReader.read("title: Bell\u{7}\n", file: "x.md", lineOffset: 1)
            Issue.record("a control character was accepted")
        } catch {
            #expect(error.diagnostic.hint?.hasPrefix("delete the invisible character") == true, "\(error.diagnostic)")
        }
    }

    @Test func yamlScalarsKeepTheirTypes() throws {
        let node = try YAMLReader.read("a: 3\nb: true\nc: 2017-02-15\nd: text\ne: [x, y]\nf: ~", file: "x.md")
        #expect(node.value.field("a")?.node.value == .integer(3))
        #expect(node.value.field("b")?.node.value == .bool(true))
        #expect(node.value.field("c")?.node.value == .datetime("2017-02-15"))
        #expect(node.value.field("d")?.node.value == .string("text"))
        #expect(node.value.field("f")?.node.value == .null)
        guard case .list(let items)? = node.value.field("e")?.node.value else {
            Issue.record("e is not a list")
            return
        }
        #expect(items.map(\.value) == [.string("x"), .string("y")])
    }
}
