import Foundation
import Testing

@testable import LocalGovSite

/// Inputs the fuzzers in fuzz/ found (scripts/fuzz), each kept here once fixed so it stays fixed.
@Suite struct FuzzRegressionTests {
    // MARK: TOML table headers without a key (site-config target)

    /// toml++ asserted, aborting the process, on a header whose `[` is followed by neither a key
    /// nor `]`: found as `[?[menu]]` in site.toml, also `[` alone on a line. Now a syntax error.
    @Test(arguments: [
        ("[?[menu]]\nname = \"Blog\"\n", 1, 2),
        ("title = \"x\"\n[\n", 2, 2),
        ("title = \"x\"\n\t[[\nname = 1\n", 2, 4),
        ("[ #comment]\n", 1, 3),
        ("[[ ?]]\n", 1, 4),
        // After strings whose quotes and brackets must not be taken for a header's.
        ("a = \"\"\"x\"\"\"\"\n[\n", 2, 2),
        ("a = '''[\n]'''\n[\n", 3, 2),
        ("a = \"]\\\"[\"\n[?]\n", 2, 2),
        // After arrays and inline tables that span lines.
        ("a = [\n  [1],\n]\n[\n", 4, 2),
        ("a = { b = [\n1] }\n[?]\n", 3, 2),
    ])
    func tableHeaderWithoutKey(toml: String, line: Int, column: Int) {
        let (config, diagnostics) = SiteConfigParser.parse(toml)
        #expect(config == nil)
        #expect(diagnostics.map(\.code) == ["toml.syntax"])
        #expect(diagnostics.first?.location == SourceLocation(file: "site.toml", line: line, column: column))
    }

    /// A byte-order mark is skipped by toml++, so a header can follow one; content files lose
    /// their first mark when read, a second stays.
    @Test func tableHeaderWithoutKeyAfterByteOrderMark() {
        #expect(throws: TOMLReadError.self) { try TOMLReader.read("\u{FEFF}[\n", file: "x.toml") }
    }

    /// What looks like a header but is not one is left to TOMLKit: inside multi-line strings and
    /// arrays, in comments. Each of these is valid TOML.
    @Test(arguments: [
        "a = \"\"\"\n[?\n\"\"\"\n",
        "a = '''\n[\n'''\n",
        "a = [\n[1], [\n2]]\n",
        "# [\nb = 1 # [?\n",
        "a = \"\\\"[\"\n[b]\n",
    ])
    func bracketsThatAreNotHeaders(toml: String) throws {
        _ = try TOMLReader.read(toml, file: "x.toml")
    }

    /// TOML front matter goes through the same reader, with the line counted in the whole file.
    @Test func tableHeaderWithoutKeyInFrontMatter() {
        let file = SourceFile(path: "content/blog/x.md", text: "+++\ntitle = \"x\"\n[?]\n+++\nBody\n")
        let (document, diagnostics) = DocumentParser.parse(
            file, kind: .post, timeZone: TimeZone(identifier: "UTC")!, markdown: MarkdownOptions())
        #expect(document == nil)
        #expect(diagnostics.first?.location == SourceLocation(file: file.path, line: 3, column: 2))
    }

    // MARK: TOML errors at the end of the input (members target)

    /// toml++ placed an error at the end of the input a column past the end of the last line
    /// (found in members.toml with an unclosed `'''` string); it is moved to the end of the line.
    @Test func syntaxErrorAtTheEndIsInsideTheFile() {
        let text = "[[members]]\nname = '''Same Feed\norganisation = \"Typo Council\"\n"
        let (members, diagnostics) = MembersParser.parse(SourceFile(path: MembersParser.path, text: text))
        #expect(members.isEmpty)
        #expect(diagnostics.map(\.location) == [SourceLocation(file: MembersParser.path, line: 3, column: 30)])
    }

    // MARK: A caption between two tables (document target)

    /// A `Table:` paragraph between two tables was taken as the caption of both, and so removed
    /// from cmark's tree and freed twice: a crash, or a corrupted heap. It is the first table's.
    @Test func captionBetweenTwoTablesIsTheFirstOnes() {
        let markdown = """
            ## Budgets

            | Year | Spent |
            |------|-------|
            | 2024 | 10    |

            Table: Spending by year

            | Team | People |
            |------|--------|
            | Web  | 4      |
            """
        let html = Markdown.render(markdown, startingAt: SourceLocation(file: "x.md"), options: MarkdownOptions()).html
        #expect(html.components(separatedBy: "<caption>Spending by year</caption>").count == 2)
        #expect(html.components(separatedBy: "<caption>Budgets</caption>").count == 2)
        #expect(!html.contains("Table:"))
    }

    // MARK: Columns after NULs and other characters of more than one byte (document target)

    /// cmark gives columns in bytes, with each NUL counted as the three of U+FFFD: after 15 NULs
    /// a link's column was past the end of its line. Columns count Unicode scalars, as editors do.
    @Test(arguments: [
        ("\0\0\0Details [here.](/about/)", 12),
        ("Ŵyn ŷd [here](/about/)", 8),
        ("> - ✓ [a link](/about/)", 7),
    ])
    func markdownColumnsCountScalars(line: String, column: Int) throws {
        let body = Markdown.render("Intro.\n\n" + line, startingAt: SourceLocation(file: "x.md", line: 5), options: MarkdownOptions())
        let link = try #require(body.links.first)
        #expect(link.location == SourceLocation(file: "x.md", line: 7, column: column))
    }

    // MARK: A paragraph that runs straight into a table (document target)

    /// cmark-gfm splits such a paragraph's last line off as the table's header row and loses
    /// the positions of the lines before it and of the header row: a link was reported on the
    /// line before the body (found as `[click here](/blog/) [](/empty/)` above `| a | b |`).
    @Test func positionsAroundATableSplitFromAParagraph() {
        let markdown = """
            Intro.

            Para line
            more [](/g) and [here](/h)
              | [](/e) | b |
            |---|---|
            | [](/f) | d |

            [x](/i)
            | |
            |-|
            """
        let body = Markdown.render(markdown, startingAt: SourceLocation(file: "x.md", line: 10), options: MarkdownOptions())
        let found = body.links.map { "\($0.destination) \($0.location.line):\($0.location.column)" }
        #expect(found == ["/g 13:6", "/h 13:17", "/e 14:5", "/f 16:3", "/i 18:1"])
        #expect(body.tablesWithoutHeaders == [SourceLocation(file: "x.md", line: 19)])
    }

    // MARK: Bare values toml++ takes for what they are not (document target)

    /// toml++ picks a bare value's kind from the characters in it and asserted, aborting the
    /// process, when a "date and time" had no digit after its `T`: found in TOML front matter as
    /// `date = 2025-01-15T&9:30:00+00:00`. Every bare value is now checked against TOML's grammar first.
    @Test(arguments: [
        ("date = 2025-01-15T&9:30:00+00:00\n", 1, 8),
        ("a = [1979-05-27, 1979-05-27T]\n", 1, 18),
        ("a = { b = 1, c = 1979-05-27t?9:00:00 }\n", 1, 18),
        ("title = Unquoted title\n", 1, 9),
        ("a = [\n  1,\n  2x,\n]\n", 3, 3),
    ])
    func bareValueThatIsNotOne(toml: String, line: Int, column: Int) {
        let (config, diagnostics) = SiteConfigParser.parse(toml)
        #expect(config == nil)
        #expect(diagnostics.map(\.code) == ["toml.syntax"])
        #expect(diagnostics.first?.location == SourceLocation(file: "site.toml", line: line, column: column))
    }

    /// toml++ asserted on a `}` where an array's next value should be (found in site.toml as
    /// `descrxber= [ } [ …`); not after a value, or in an inline table, where it reports it itself.
    @Test func braceWhereAnArrayValueShouldBe() {
        for (toml, column) in [("tags = [ }\n", 10), ("tags = [\"a\", }\n", 14), ("tags = [ [ } ] ]\n", 12)] {
            let (_, diagnostics) = SiteConfigParser.parse(toml)
            #expect(diagnostics.map(\.location) == [SourceLocation(file: "site.toml", line: 1, column: column)], "\(toml)")
            #expect(diagnostics.first?.message.contains("closed with `]`") == true)
        }
    }

    /// Every kind of bare value TOML 1.0 has (its specification's examples) still reads.
    @Test func everyKindOfBareValueReads() throws {
        let toml = """
            int = [+99, 42, 0, -17, 1_000, 0xDEAD_beef, 0o755, 0b1101_0110]
            float = [+1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991_228, inf, +inf, -inf, nan, -nan]
            bool = [true, false]
            odt = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00-07:00, 1979-05-27T00:32:00.999999-07:00, 1979-05-27 07:32:00Z]
            ldt = [1979-05-27T07:32:00, 1979-05-27T00:32:00.999999]
            date = 1979-05-27
            time = [07:32:00, 00:32:00.999999]
            nested = { a = [ 1,
              2 ], b = { c = 0x1f } } # [?
            [table]
            key = 1 # = 2x
            """
        let root = try TOMLReader.read(toml, file: "x.toml")
        guard case .table(let fields) = root.value else { throw CocoaError(.coderReadCorrupt) }
        #expect(fields.map(\.key) == ["bool", "date", "float", "int", "ldt", "nested", "odt", "table", "time"])
    }

    // MARK: Control characters from character references in plain text (sanitiser and feed targets)

    /// `&#x80;` to `&#x9f;` decode to C1 controls, which `plainText` and `proseText` kept
    /// (`sanitise` removes them from text it writes): an Atom title of type html, or a river
    /// excerpt, carried characters the HTML checker rejects. Found by the sanitiser target with
    /// `<q>&#x80;</q>`.
    @Test func plainTextHasNoControlCharacters() {
        let texts = [HTMLSanitiser.plainText(html: "<q>&#x80;One&#x9f;</q>"), HTMLSanitiser.proseText(html: "<p>&#x85;Two</p>")]
        #expect(texts == ["One", "Two"])
    }

    @Test func atomHTMLTitleHasNoControlCharacters() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Blog&amp;#x85;</title>
            <entry><id>1</id><link href="https://blog.example.org/1"/><title type="html">One&amp;#x80;</title></entry></feed>
            """
        let feed = try FeedParser.parse(data: Data(atom.utf8), feedURL: URL(string: "https://blog.example.org/feed")!, now: Date())
        #expect([feed.title] + feed.entries.map(\.title) == ["Blog", "One"])
    }
}
