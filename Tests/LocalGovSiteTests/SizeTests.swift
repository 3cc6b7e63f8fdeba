import Foundation
import Testing

@testable import LocalGovSite

/// Big inputs: what is merely big builds, in time that grows with the input; what passes a limit
/// in site.toml's `[limits]` is an error naming the file, the limit and how to raise it, and
/// the rest of the site is still checked.
@Suite struct SizeTests {
    func build(limits: String = "", _ texts: [String: String]) throws -> BuildResult {
        try buildInMemory(texts, extraConfig: limits)
    }

    func post(_ title: String, body: String) -> String {
        "---\ntitle: \(title)\ndate: 2024-05-01\n---\n\n\(body)\n"
    }

    func errors(_ result: BuildResult) -> [String] { result.errorLines }

    @Test func aFileOverTheSizeLimitIsAnErrorAndTheRestIsStillChecked() throws {
        let result = try build(
            limits: "[limits]\nmax_file_bytes = 1000\n",
            [
                "content/blog/long.md": post("Long", body: String(repeating: "Words about council services. ", count: 100)),
                "content/blog/short.md": post("Short", body: "![](chart.png)"),
            ])
        #expect(errors(result).first?.hasPrefix("content/blog/long.md:1:1: error: this file is 3,039 bytes, more than the 1,000") == true, "\(errors(result))")
        #expect(errors(result).contains { $0.hasPrefix("content/blog/short.md:") }, "the other post was not checked")
        #expect(result.outputs.isEmpty)
    }

    @Test func tooManyFilesIsOneError() throws {
        var texts: [String: String] = [:]
        for index in 0..<5 { texts["content/blog/p\(index).md"] = post("P\(index)", body: "Text.") }
        let found = errors(try build(limits: "[limits]\nmax_files = 3\n", texts))
        #expect(found == ["content:1:1: error: content/ holds 5 content files, more than limits.max_files (3); none were read. Remove files that are not content, or raise the limit in site.toml [load.too-many]"])
    }

    @Test func tooManyMembersIsAnErrorAtTheMembersFile() throws {
        let members = (1...3).map { "[[members]]\nname = \"Member \($0)\"\nurl = \"https://m\($0).example/\"\nfeed = \"https://m\($0).example/feed\"\n" }
        let found = errors(try build(limits: "[limits]\nmax_members = 2\n", ["content/voice/members.toml": members.joined(separator: "\n")]))
        #expect(found == ["content/voice/members.toml:1:1: error: this file lists 3 members, more than limits.max_members (2); Voice was not built. Raise the limit in site.toml if the network really is this big [members.too-many]"])
    }

    @Test func limitsOutOfRangeAreConfigErrors() throws {
        let found = errors(try build(limits: "[limits]\nmax_file_bytes = 10\n", [:]))
        #expect(found.count == 1 && found.first?.hasPrefix("site.toml:4:18: error:") == true, "\(found)")
    }

    /// 100,000 headings of one name: each gets its own id, in one pass (this took minutes when
    /// every id counted up from 1 and every heading had its own rewrite pattern).
    @Test func aPostWithAHundredThousandHeadingsBuilds() throws {
        let body = String(repeating: "## Background\n\nText.\n\n", count: 100_000)
        let result = try build(["content/blog/headings.md": post("Headings", body: body)])
        #expect(result.succeeded, "\(errors(result).prefix(3))")
        let page = try #require(result.outputs.first { $0.path == "blog/headings/index.html" })
        let html = String(decoding: page.bytes, as: UTF8.self)
        #expect(html.contains("<h2 id=\"background\">Background</h2>"))
        #expect(html.contains("<h2 id=\"background-99999\">Background</h2>"))
        #expect(!html.contains("localgov-heading"))
        #expect(html.components(separatedBy: "<h2 id=\"background").count == 100_001)
    }

    @Test func fiveThousandMembersBuild() throws {
        let members = (1...5000).map { "[[members]]\nname = \"Member \($0)\"\nurl = \"https://m\($0).example/\"\nfeed = \"https://m\($0).example/feed\"\n" }
        let result = try build(["content/voice/members.toml": members.joined(separator: "\n")])
        #expect(result.succeeded, "\(errors(result).prefix(3))")
        #expect(result.outputs.contains { $0.path == "voice/members/member-5000/index.html" })
    }
}
