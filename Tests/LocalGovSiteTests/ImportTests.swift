import Foundation
import PropertyBased
import Testing

@testable import LocalGovSite

/// The importers: HTML to markdown element by element, WordPress's shortcodes, escaping (as
/// the site's own markdown renderer reads it back), and whole exports against golden files.
/// `UPDATE_GOLDEN=1 swift test --filter Import` re-records the golden files; review the diff.
@Suite struct ImportTests {
    static let fixtures = Paths.tests.appendingPathComponent("Fixtures/import")
    static let recording = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

    func markdown(_ html: String, paragraphs: Bool = false) -> String {
        HTMLToMarkdown.convert(html, options: .init(automaticParagraphs: paragraphs)).markdown
    }

    // MARK: Elements

    @Test(arguments: [
        ("<h2>Why we started</h2>", "## Why we started"),
        ("<h1>Title in the body</h1><h3>Detail</h3><h6>Fine print</h6>", "## Title in the body\n\n### Detail\n\n###### Fine print"),
        ("<h2>Learn C #</h2>", "## Learn C \\#"),
        ("<h2> </h2><p>After an empty heading</p>", "After an empty heading"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<p>  Spaces \n collapse   as in HTML  </p>", "Spaces collapse as in HTML"),
        ("<p>Text with<br>a break</p>", "Text with\\\na break"),
        ("<p>Header?<br>:--</p>", "Header?\\\n\\:--"),
        ("<p>Two breaks<br><br>are a new paragraph</p>", "Two breaks\n\nare a new paragraph"),
        ("<p><br>Breaks at the edges<br></p>", "Breaks at the edges"),
        ("<p>&nbsp;</p><p>Empty paragraphs go</p>", "Empty paragraphs go"),
        ("<p><strong>Bold</strong> and <b>bold</b>, <em>italic</em> and <i>italic</i></p>", "**Bold** and **bold**, *italic* and *italic*"),
        ("<p>Spaces move <em> out </em>of marks</p>", "Spaces move *out* of marks"),
        ("<p><em>Nested <em>twice</em></em></p>", "*Nested twice*"),
        ("<p><em>One</em><em>run</em></p>", "*Onerun*"),
        ("<p><strong>a<em>b</em></strong></p>", "**a*b***"),
        ("<p>foo<em>\"bar\"</em>baz</p>", "foo\"*bar*\"baz"),
        ("<p><strong>Note:</strong>read this</p>", "**Note**:read this"),
        ("<p>a<em>!</em>b</p>", "a!b"),
        ("<p><del>Gone</del></p>", "~~Gone~~"),
        ("<p><span>Plain</span> <u>text</u> <sup>2</sup></p>", "Plain text 2"),
        ("<p><q>Quoted</q></p>", "\"Quoted\""),
        ("<p>Run <code>make  site</code> now</p>", "Run `make site` now"),
        ("<p><code>a`b</code> and <code>`x</code></p>", "``a`b`` and `` `x ``"),
        ("<p><kbd>Ctrl</kbd></p>", "`Ctrl`"),
        ("<p><a href=\"https://example.org/\">a link</a></p>", "[a link](https://example.org/)"),
        ("<p><a href=\"https://example.org/a b(c)\" title='Say \"hi\"'>odd</a></p>", "[odd](https://example.org/a%20b\\(c\\) \"Say \\\"hi\\\"\")"),
        ("<p><a href=\"javascript:alert(1)\">no script</a></p>", "no script"),
        ("<p><a name=\"anchor\">no href</a></p>", "no href"),
        ("<p><a href=\"/x\"></a>Empty links go</p>", "Empty links go"),
        ("<p><a href=\"tel:+441234567890\">Call us</a></p>", "[Call us](tel:+441234567890)"),
        ("<p>Wow!<a href=\"/x\">link</a></p>", "Wow\\![link](/x)"),
        ("<p><img src=\"/a.png\" alt=\"A [map]\"></p>", "![A \\[map\\]](/a.png)"),
        ("<p><img src=\"/a.png\" alt=\"Map\" title=\"Wards\"></p>", "![Map](/a.png \"Wards\")"),
        ("<p><a href=\"/a.png\"><img src=\"/a.png\" alt=\"Same file\"></a></p>", "![Same file](/a.png)"),
        ("<p><a href=\"/big.png\"><img src=\"/small.png\" alt=\"Bigger\"></a></p>", "[![Bigger](/small.png)](/big.png)"),
        ("<hr>", "---"),
        ("<p>Before</p><hr><p>After</p>", "Before\n\n---\n\nAfter"),
        ("<blockquote><p>One</p><p>Two</p></blockquote>", "> One\n>\n> Two"),
        ("<blockquote>Bare text<blockquote><p>Nested</p></blockquote></blockquote>", "> Bare text\n>\n> > Nested"),
        ("<div><div>In</div>divs</div>", "In\n\ndivs"),
        ("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "**Term**\n\nMeaning"),
        ("<figure><img src=\"/a.png\" alt=\"A\"><figcaption>The <em>caption</em></figcaption></figure>", "![A](/a.png)\n\n*The caption*"),
        ("<p>Text</p><script>alert(1)</script><style>p{}</style><form><input></form>", "Text"),
    ])
    func convertsEachElement(_ html: String, _ expected: String) {
        #expect(markdown(html) == expected, "\(html)")
    }

    @Test(arguments: [
        ("<ul><li>One</li><li>Two</li></ul>", "- One\n- Two"),
        ("<ol><li>One</li><li>Two</li></ol>", "1. One\n2. Two"),
        ("<ol start=\"9\"><li>Nine</li><li>Ten</li><li>Eleven</li></ol>", "9. Nine\n10. Ten\n11. Eleven"),
        ("<ol start=\"99999999999\"><li>Big</li></ol>", "100000000. Big"),
        ("<ul><li>Outer<ul><li>Inner<ol><li>Deepest</li></ol></li></ul></li><li>Next</li></ul>", "- Outer\n  - Inner\n    1. Deepest\n- Next"),
        ("<ol><li>Wide<ul><li>under ten</li></ul></li></ol>", "1. Wide\n   - under ten"),
        // Editors write a list straight inside a list; it belongs to the item before.
        ("<ul><li>a</li><ul><li>b</li></ul><li>c</li></ul>", "- a\n  - b\n- c"),
        ("<ul><li><p>First</p><p>second paragraph</p></li><li>Next</li></ul>", "- First\n\n  second paragraph\n\n- Next"),
        ("<ul><li>a</li></ul><ul><li>b</li></ul><ul><li>c</li></ul>", "- a\n\n* b\n\n- c"),
        ("<ol><li>a</li></ol><ol><li>b</li></ol>", "1. a\n\n1) b"),
        ("<ul><li></li><li>after an empty item</li></ul>", "-\n- after an empty item"),
        ("<ul><li>1986. A good year</li></ul>", "- 1986\\. A good year"),
        ("<ul><li><pre>code\n  indented</pre></li></ul>", "- ```\n  code\n    indented\n  ```"),
    ])
    func convertsLists(_ html: String, _ expected: String) {
        #expect(markdown(html) == expected, "\(html)")
    }

    @Test func convertsPreformattedTextToFencedCode() {
        #expect(markdown("<pre>\nline one\n  line two\n\n</pre>") == "```\nline one\n  line two\n```")
        #expect(markdown("<pre><code class=\"language-swift\">let a = 1 &lt; 2</code></pre>") == "```swift\nlet a = 1 < 2\n```")
        #expect(markdown("<pre class=\"brush: php; title: ;\">echo 1;</pre>") == "```php\necho 1;\n```")
        #expect(markdown("<pre>a<br>b</pre>") == "```\na\nb\n```")
        #expect(markdown("<pre>```\nfenced\n```</pre>") == "````\n```\nfenced\n```\n````")
        #expect(markdown("<pre><code class=\"language-a`b\">x</code></pre>") == "```\nx\n```")
    }

    @Test func convertsTablesToPipeTables() {
        let simple = """
            <table><thead><tr><th>Team</th><th align="right">Size</th></tr></thead>
            <tbody><tr><td>Waste | recycling</td><td align="right">5</td></tr><tr><td><code>a|b</code></td><td>7</td></tr></tbody></table>
            """
        #expect(markdown(simple) == "| Team | Size |\n| --- | ---: |\n| Waste \\| recycling | 5 |\n| `a\\|b` | 7 |")

        // Without a header row, the first row heads the table, as GitHub tables need one.
        let headless = "<table><tr><td>a</td><td class=\"has-text-align-center\">b</td></tr><tr><td>c</td><td>d</td></tr></table>"
        #expect(markdown(headless) == "| a | b |\n| --- | :---: |\n| c | d |")

        let merged = HTMLToMarkdown.convert(
            "<table><tr><th colspan=\"2\">Both</th></tr><tr><td rowspan=\"2\">Tall</td><td>1</td></tr><tr><td>2</td></tr></table>")
        #expect(merged.markdown == "| Both |  |\n| --- | --- |\n| Tall | 1 |\n|  | 2 |")
        #expect(merged.simplifiedTables == 1)

        let captioned = "<figure class=\"wp-block-table\"><table><tr><th>A</th></tr><tr><td>1</td></tr></table><figcaption>Counts</figcaption></figure>"
        #expect(markdown(captioned) == "| A |\n| --- |\n| 1 |\n\nTable: Counts")
        #expect(markdown("<table><caption>Counts</caption><tr><th>A</th></tr></table>") == "| A |\n| --- |\n\nTable: Counts")
        #expect(markdown("<table><tr><td><p>One</p><p>Two</p></td></tr></table>") == "| One Two |\n| --- |")
    }

    @Test func reportsImagesWithoutAltAndLeftOutEmbeds() {
        let converted = HTMLToMarkdown.convert(
            "<p><img src=\"/a.png\"><img src=\"/b.png\" alt=\"\"><img src=\"/c.png\" alt=\"Described\"></p><iframe src=\"https://video.example/1\"></iframe>")
        #expect(converted.markdown == "![](/a.png)![](/b.png)![Described](/c.png)")
        #expect(converted.imagesWithoutAlt == ["/a.png", "/b.png"])
        #expect(converted.leftOut == ["<iframe> from https://video.example/1"])
    }

    @Test func rewritesAddressesThroughTheImporter() {
        let converted = HTMLToMarkdown.convert(
            "<p><a href=\"https://old.example/x/\">x</a> <img src=\"https://old.example/y.png\" alt=\"y\"></p>",
            options: .init(address: { $0.replacingOccurrences(of: "https://old.example", with: "") }))
        #expect(converted.markdown == "[x](/x/) ![y](/y.png)")
    }

    @Test func blockEditorCommentsAreRemoved() {
        let html = """
            <!-- wp:paragraph -->
            <p>First</p>
            <!-- /wp:paragraph -->

            <!-- wp:more --><!--more--><!-- /wp:more -->

            <!-- wp:heading {"level":3} -->
            <h3 class="wp-block-heading">Then</h3>
            <!-- /wp:heading -->
            """
        #expect(markdown(html) == "First\n\n### Then")
    }

    /// WordPress's classic editor: blank lines are paragraphs, newlines line breaks.
    @Test func automaticParagraphsAsWordPressMakesThem() {
        let classic = "First line\nsecond line\n\nNew paragraph<br />\nafter a break\n<h2>Heading</h2>\nText after\n<ul>\n<li>item\nwrapped</li>\n</ul>"
        #expect(
            markdown(classic, paragraphs: true)
                == "First line\\\nsecond line\n\nNew paragraph\\\nafter a break\n\n## Heading\n\nText after\n\n- item\\\n  wrapped")
        #expect(markdown(classic, paragraphs: false).hasPrefix("First line second line New paragraph\\\nafter a break"))
        #expect(markdown("<pre>kept\n\nas is</pre>", paragraphs: true) == "```\nkept\n\nas is\n```")
    }

    // MARK: Escaping

    @Test(arguments: [
        ("*not emphasis* and _nor this_", "\\*not emphasis\\* and \\_nor this\\_"),
        ("snake_case stays", "snake_case stays"),
        ("[sic] and ![alt] and `code`", "\\[sic\\] and !\\[alt\\] and \\`code\\`"),
        ("# not a heading", "\\# not a heading"),
        ("####### seven hashes", "####### seven hashes"),
        ("- not an item", "\\- not an item"),
        ("+ nor this", "\\+ nor this"),
        ("2016. A year", "2016\\. A year"),
        ("1) first", "1\\) first"),
        ("1234567890. too long to be an item", "1234567890. too long to be an item"),
        ("> not a quote", "\\> not a quote"),
        ("---", "\\---"),
        ("- - -", "\\- - -"),
        ("===", "\\==="),
        (":-", "\\:-"),
        ("| --- |", "\\| --- |"),
        ("1 < 2 and <tag> and </end> and <!-- x", "1 < 2 and \\<tag> and \\</end> and \\<!-- x"),
        ("&amp; is not &", "\\&amp; is not &"),
        ("&#169; too", "\\&#169; too"),
        ("~~not struck~~", "\\~\\~not struck\\~\\~"),
        ("a \\ backslash", "a \\\\ backslash"),
        ("https://example.org and www.example.org stay text", "https\\://example.org and www\\.example.org stay text"),
        ("pipes | stay", "pipes | stay"),
    ])
    func escapesTextSoItStaysText(_ text: String, _ expected: String) {
        #expect(markdown("<p>" + HTML.escape(text) + "</p>") == expected)
    }

    static let textPieces = [
        "*", "**", "_", "__", "`", "```", "[", "]", "(", ")", "!", "#", "##", "-", "--", "+", "=", ">", "<", "&", "amp;",
        "#169;", "~", "~~", "|", "\\", ":", ".", "1.", "2)", "1986", "www", "http", "https://", "ftp://", "word", "a_b",
        "<b>", "</p>", "<!--", " ", "  ", "\n", "\t", "\u{A0}", "é", "'", "\"", "^", "$", "{", "}", "%",
    ]
    static let texts = Gen.element(of: textPieces).compactMap { $0 }.array(of: 1...16).map { $0.joined() }

    /// Any text, converted and read back by the site's markdown renderer, is the same text:
    /// no emphasis, heading, list, link, code or HTML that the HTML did not have.
    @Test func anyTextRendersAsItself() async {
        await propertyCheck(count: 2000, input: Self.texts) { text in
            let markdown = markdown("<p>" + HTML.escape(text) + "</p>")
            let rendered = Markdown.render(
                markdown, startingAt: SourceLocation(file: "x.md"), options: MarkdownOptions(smartPunctuation: false))
            let words = text.split(whereSeparator: { " \t\n".contains($0) }).joined(separator: " ")
            // A paragraph of no-break spaces is an editor's empty line, which is dropped.
            let shown = words.allSatisfy(\.isWhitespace) ? "" : words
            #expect(rendered.plainText == shown, "\(text.debugDescription) → \(markdown.debugDescription)")
            let tags = Set(rendered.html.matches(of: /<([a-z0-9]+)/).map { String($0.output.1) })
            #expect(tags.isSubset(of: ["p"]), "\(text.debugDescription) → \(markdown.debugDescription) → \(rendered.html)")
        }
    }

    static let inlinePieces = [
        "<em>", "</em>", "<strong>", "</strong>", "<i>", "</b>", "<del>", "</del>", "<a href=\"/x\">", "</a>", "<code>",
        "</code>", "<br>", "word", "w", " ", "\n", "!", "\"", "*", "_", ":", ".", "(", "[", "]", "`", "#", "-", "1.", "|",
        "=", ">", "+", "~", "<img src=\"/i.png\" alt=\"*i*\">",
    ]
    static let inlineMarkup = Gen.element(of: inlinePieces).compactMap { $0 }.array(of: 1...16).map { "<p>" + $0.joined() + "</p>" }

    /// Marks in any arrangement with any text around them: the rendered text is the text the
    /// HTML showed, and no `*`, `_` or `~` of ours is left over as text.
    @Test func anyInlineMarkupKeepsItsText() async {
        await propertyCheck(count: 2000, input: Self.inlineMarkup) { html in
            let markdown = markdown(html)
            let rendered = Markdown.render(
                markdown, startingAt: SourceLocation(file: "x.md"), options: MarkdownOptions(smartPunctuation: false))
            func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            // The text as the renderer reports it: a line break is space between words, and an
            // image its alt text.
            let reference = html.replacingOccurrences(of: "<br>", with: " ")
                .replacingOccurrences(of: "<img src=\"/i.png\" alt=\"*i*\">", with: "*i*")
            let shown = HTMLSanitiser.withParsedHTML(reference) { nodes in
                nodes.map(LibXML.text).joined()
            }
            #expect(
                words(rendered.plainText) == words(shown),
                "\(html.debugDescription) → \(markdown.debugDescription)")
            let tags = Set(rendered.html.matches(of: /<([a-z0-9]+)/).map { String($0.output.1) })
            #expect(tags.isSubset(of: ["p", "em", "strong", "del", "a", "code", "br", "img"]), "\(html.debugDescription) → \(rendered.html)")
        }
    }

    // MARK: Shortcodes

    static let attachments = [
        7: WordPressAttachment(id: 7, parent: 1, menuOrder: 2, url: "/up/a.png", alt: "A \"quoted\" alt", caption: "Caption <em>A</em>"),
        8: WordPressAttachment(id: 8, parent: 1, menuOrder: 1, url: "/up/b.png", alt: nil, caption: nil),
        9: WordPressAttachment(id: 9, parent: 1, menuOrder: 3, url: "/up/c.pdf", alt: nil, caption: nil),
    ]

    func expanded(_ content: String) -> (markdown: String, left: [String], missing: [Int]) {
        let expanded = WordPressShortcodes.expand(content, postID: 1, attachments: Self.attachments)
        return (markdown(expanded.html), expanded.leftAsText, expanded.missingAttachments)
    }

    @Test func captionBecomesTheImageAndAnEmphasisedCaption() {
        let linked = expanded(
            "[caption id=\"attachment_7\" align=\"aligncenter\" width=\"300\"]<a href=\"/big.png\"><img src=\"/small.png\" alt=\"Town hall\" width=\"300\" /></a> The town hall[/caption]")
        #expect(linked.markdown == "[![Town hall](/small.png)](/big.png)\n\n*The town hall*")
        let attribute = expanded("[caption caption=\"From the attribute\"]<img src=\"/a.png\" alt=\"A\">[/caption]")
        #expect(attribute.markdown == "![A](/a.png)\n\n*From the attribute*")
        #expect(linked.left.isEmpty && attribute.left.isEmpty)
    }

    @Test func galleryBecomesItsImages() {
        let byID = expanded("[gallery ids=\"8, 7,42\" columns=\"2\"]")
        #expect(byID.markdown == "![](/up/b.png)\n\n![A \"quoted\" alt](/up/a.png)\n\n*Caption A*")
        #expect(byID.missing == [42])
        // Without ids, the post's own images in their gallery order (the PDF is no image).
        #expect(expanded("[gallery]").markdown == "![](/up/b.png)\n\n![A \"quoted\" alt](/up/a.png)\n\n*Caption A*")
    }

    @Test func otherShortcodesStayAsTextAndAreNamed() {
        let other = expanded("<p>[contact-form-7 id=\"5\" title=\"Contact\"] and [embed]https://v.example/1[/embed] and [contact-form-7]</p>")
        #expect(other.markdown == "\\[contact-form-7 id=\"5\" title=\"Contact\"\\] and \\[embed\\]https\\://v.example/1\\[/embed\\] and \\[contact-form-7\\]")
        #expect(other.left == ["contact-form-7", "embed"])
        // `[[name]]` is WordPress's escape; brackets in code are not shortcodes.
        let escaped = expanded("<p>[[gallery]] and items[i] and [ spaced] and [1]</p>")
        #expect(escaped.markdown == "\\[gallery\\] and items\\[i\\] and \\[ spaced\\] and \\[1\\]")
        #expect(escaped.left.isEmpty)
    }

    // MARK: Front matter and checksum

    @Test func checksumIsTheSHA256OfTheBodyAsWritten() throws {
        #expect(ImportChecksum.of(body: "") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var document = ImportedDocument(kind: .post, slug: "s", title: "A \"title\"", body: "Body\n\nMore")
        document.date = .instant(Date(timeIntervalSince1970: 1_456_824_600))
        document.authors = ["Sam Patel"]
        document.tags = ["open data"]
        document.draft = true
        document.aliases = ["/2016/03/01/s/", "/?p=1"]
        let text = document.text
        // The body as the site's own front matter reader splits it off.
        let body = try FrontMatter.split(text, file: "content/blog/s.md").body
        #expect(body == "\nBody\n\nMore\n")
        #expect(
            text == """
                ---
                title: "A \\"title\\""
                date: 2016-03-01T09:30:00Z
                authors: ["Sam Patel"]
                tags: ["open data"]
                draft: true
                aliases: ["/2016/03/01/s/", "/?p=1"]
                import_checksum: "\(ImportChecksum.of(body: body))"
                ---

                Body

                More

                """)
    }

    /// The site's own reader reads the front matter the importers write.
    @Test func importedFilesReadAsFrontMatter() throws {
        var page = ImportedDocument(kind: .page, slug: "about", title: "About \\ \"us\"", body: "Text")
        page.summary = "Who we are"
        page.aliases = ["/?p=2"]
        let split = try FrontMatter.split(page.text, file: "content/pages/about.md")
        #expect(split.body == "\nText\n")
        let fields = try FrontMatter.read(split, file: "content/pages/about.md").value
        #expect(fields.field("title")?.node.value == .string("About \\ \"us\""))
        guard case .list(let aliases)? = fields.field("aliases")?.node.value else {
            Issue.record("aliases are not a list: \(fields)")
            return
        }
        #expect(aliases.map(\.value) == [.string("/?p=2")])
        #expect(fields.field("import_checksum")?.node.value == .string(ImportChecksum.of(body: split.body)))
        #expect(!page.text.contains("date:") && page.text.contains("summary: \"Who we are\""))
    }

    // MARK: Whole exports

    /// An import into an empty site, compared with `Tests/Fixtures/import/expected/<name>/`.
    func expectGolden(_ result: ImportResult, _ name: String) throws {
        let plan = SiteImporter.plan(result, site: MemoryFileSystem([:]), uploads: nil, force: false)
        let folder = Self.fixtures.appendingPathComponent("expected/\(name)")
        if Self.recording {
            try? FileManager.default.removeItem(at: folder)
            for file in plan.files {
                let url = folder.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url)
            }
        }
        let expected = try LocalFileSystem(root: folder).files(under: ".").map { String($0.dropFirst(2)) }
        #expect(Set(plan.files.map(\.path)) == Set(expected))
        for file in plan.files {
            let golden = try? Data(contentsOf: folder.appendingPathComponent(file.path))
            #expect(golden == file.contents, "\(file.path) differs from expected/\(name); run UPDATE_GOLDEN=1 swift test --filter Import and review the diff")
        }
    }

    func wordPressExport() throws -> WordPressExport {
        try WXRReader.read(Data(contentsOf: Self.fixtures.appendingPathComponent("wordpress.xml")), file: "wordpress.xml")
    }

    @Test func wordPressExportMatchesGolden() throws {
        let uploads = LocalFileSystem(root: Self.fixtures.appendingPathComponent("uploads"))
        let result = WordPressImport.convert(try wordPressExport(), uploads: { uploads.fileExists($0) })
        try expectGolden(result, "wordpress")
        #expect(result.posts == 8 && result.pages == 2)
        #expect(result.drafts == ["draft": 1, "pending": 1, "private": 1, "password-protected": 1])
        #expect(result.future == 1)
        #expect(result.skipped == ["attachment": 3, "nav_menu_item": 2, "unpublished page": 1])
        #expect(result.comments == 3)
        #expect(
            result.uploadsToCopy == ["2016/03/bin-collections-2016.csv", "2016/03/town-hall.png", "2016/03/bins-1.png", "2016/03/bins-2.png"])
        #expect(result.uploadsLeftRemote == ["https://digital.harrowfield.gov.uk/wp-content/uploads/2016/03/missing-map.png"])
        let post = try #require(result.documents.first { $0.slug == "opening-up-our-bin-collection-data" })
        #expect(post.notes.contains(.shortcode("contact-form-7")))
        #expect(post.notes.contains(.imageWithoutAlt("/uploads/2016/03/bins-2.png")))
        #expect(post.notes.contains(.leftOut("<iframe> from https://www.youtube.com/embed/abc123")))
    }

    @Test func wordPressMapsStatusesDatesAuthorsTagsAndAddresses() throws {
        let documents = Dictionary(
            uniqueKeysWithValues: WordPressImport.convert(try wordPressExport(), uploads: nil).documents.map { ($0.slug, $0) })
        let published = try #require(documents["opening-up-our-bin-collection-data"])
        #expect(published.date == .instant(Date(timeIntervalSince1970: 1_456_824_600)))
        #expect(published.authors == ["Sam Patel"])
        #expect(published.tags == ["Open data", "agile"])
        #expect(published.aliases == ["/2016/03/01/opening-up-our-bin-collection-data/", "/?p=10"])
        #expect(!published.draft)
        // Without a copy of the uploads, they stay where they are, named in the report.
        #expect(published.body.contains("(https://digital.harrowfield.gov.uk/wp-content/uploads/2016/03/town-hall.png)"))
        #expect(published.notes.contains(.remoteUpload("https://digital.harrowfield.gov.uk/wp-content/uploads/2016/03/town-hall.png")))

        let draft = try #require(documents["draft-our-accessibility-roadmap"])
        #expect(draft.draft && draft.date == .local(year: 2016, month: 5, day: 2, hour: 14, minute: 0, second: 0))
        #expect(draft.text.contains("date: 2016-05-02T14:00:00\n"))
        #expect(draft.tags.isEmpty && draft.aliases == ["/?p=12"])
        #expect(try #require(documents["team-retro-notes"]).draft)
        #expect(try #require(documents["supplier-scoring"]).notes == [.passwordProtected])
        #expect(try #require(documents["gŵyl-ddigidol"]).aliases == ["/2016/04/04/gŵyl-ddigidol/", "/?p=16"])
        let team = try #require(documents["our-team"])
        #expect(team.kind == .page && team.aliases == ["/about-us/our-team/", "/?p=23"])
        #expect(try #require(documents["about-us"]).body.contains("[how we work](/blog/agile-in-local-government/)"))
    }

    @Test func bloggerClassicExportMatchesGolden() throws {
        let export = try BloggerReader.read(
            Data(contentsOf: Self.fixtures.appendingPathComponent("blogger.xml")), file: "blogger.xml")
        let result = BloggerImport.convert(export, now: testClock.now)
        try expectGolden(result, "blogger")
        #expect(result.posts == 3 && result.pages == 1 && result.drafts == ["draft": 1] && result.comments == 1)
        #expect(result.skipped == ["settings": 2, "template": 1])
        #expect(result.site.description == "Notes from Harrowfield Council's digital team")
    }

    @Test func bloggerTakeoutExportMatchesGolden() throws {
        let export = try BloggerReader.read(
            Data(contentsOf: Self.fixtures.appendingPathComponent("blogger-takeout.atom")), file: "blogger-takeout.atom")
        let result = BloggerImport.convert(export, now: testClock.now)
        try expectGolden(result, "blogger-takeout")
        #expect(result.posts == 2 && result.pages == 1 && result.drafts == ["draft": 1] && result.comments == 1)
        #expect(result.skipped == ["deleted post": 1])
        #expect(result.site.baseURL == "https://harrowfield-digital.blogspot.com/")
    }

    @Test func bloggerScheduledPostsAreFuture() throws {
        var entry = BloggerEntry(kind: .post)
        entry.title = "Later"
        entry.published = testClock.now.addingTimeInterval(86_400)
        let result = BloggerImport.convert(BloggerExport(title: "B", entries: [entry]), now: testClock.now)
        #expect(result.future == 1 && result.documents.map(\.slug) == ["later"])
    }

    // MARK: Files already there

    @Test func existingFilesAreKeptUnlessIdenticalOrForced() throws {
        var document = ImportedDocument(kind: .post, slug: "a", title: "A", body: "Body")
        document.date = .instant(Date(timeIntervalSince1970: 0))
        var result = ImportResult(site: ImportedSite(title: "T", baseURL: "https://t.example/"))
        result.documents = [document, ImportedDocument(kind: .page, slug: "b", title: "B", body: "")]
        let site = MemoryFileSystem(["site.toml": "title = \"Mine\"\n", "content/blog/a.md": document.text, "content/pages/b.md": "edited"])
        let plan = SiteImporter.plan(result, site: site, uploads: nil, force: false)
        #expect(!plan.createsSiteConfig)
        #expect(plan.files.map(\.outcome) == [.unchanged, .kept])
        #expect(SiteImporter.plan(result, site: site, uploads: nil, force: true).files.map(\.outcome) == [.unchanged, .replaced])
        #expect(ImportReport.notes(result, plan: plan) == ["content/pages/b.md: kept as it is: it differs from what the import would write (--force replaces it)"])
    }

    // MARK: Exports that cannot be read

    @Test func unreadableExportsSayWhere() {
        func failure(_ text: String, _ read: (Data) throws(ImportError) -> Void) -> Diagnostic? {
            do {
                try read(Data(text.utf8))
                return nil
            } catch {
                return error.diagnostic
            }
        }
        let wordpress: (Data) throws(ImportError) -> Void = { data throws(ImportError) in _ = try WXRReader.read(data, file: "export.xml") }
        let blogger: (Data) throws(ImportError) -> Void = { data throws(ImportError) in _ = try BloggerReader.read(data, file: "export.xml") }

        let broken = failure("<rss version=\"2.0\">\n<channel>\n<title>Unclosed</channel>", wordpress)
        #expect(broken?.code == "import.malformed-xml")
        #expect(broken?.location == SourceLocation(file: "export.xml", line: 3, column: 26))

        let notXML = failure("title,date\nHello,2016-03-01\n", wordpress)
        #expect(notXML?.code == "import.malformed-xml" && notXML?.location?.line == 1)

        let feed = failure("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>A feed</title></channel></rss>", wordpress)
        #expect(feed?.code == "import.not-an-export")
        #expect(feed?.description.hasPrefix("export.xml:2:1: error: this is an RSS feed without WordPress's export namespace, not a WordPress export (WXR)") == true)

        let atom = failure("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>", wordpress)
        #expect(atom?.hint?.contains("localgov import blogger") == true)
        #expect(failure("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>x</title></entry></feed>", blogger)?.code == "import.not-an-export")
        #expect(failure("<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"/>", blogger)?.hint?.contains("localgov import wordpress") == true)

        let entities = failure("<!DOCTYPE rss [<!ENTITY a \"aaaa\">]>\n<rss/>", wordpress)
        #expect(entities?.code == "import.entities")
    }

    @Test func olderWXRVersionsAreRead() throws {
        let text = """
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.1/" xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/"
                xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>Old</title><link>http://old.example/blog</link>
            <item><title>Hello</title><link>http://old.example/blog/2012/01/hello/</link><dc:creator>admin</dc:creator>
            <content:encoded><![CDATA[Hi & bye, see <a href="http://old.example/blog/?p=5">this</a>]]></content:encoded><excerpt:encoded><![CDATA[Short]]></excerpt:encoded>
            <wp:post_id>5</wp:post_id><wp:post_date>2012-01-02 03:04:05</wp:post_date><wp:post_date_gmt>2012-01-02 03:04:05</wp:post_date_gmt>
            <wp:post_name>hello</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
            </channel></rss>
            """
        let result = WordPressImport.convert(try WXRReader.read(Data(text.utf8), file: "old.xml"), uploads: nil)
        let post = try #require(result.documents.first)
        #expect(post.summary == "Short" && post.authors == ["admin"] && post.body == "Hi & bye, see [this](/blog/hello/)")
        // The old blog lived in /blog/: its addresses are written relative to that.
        #expect(post.aliases == ["/2012/01/hello/", "/?p=5"])
        #expect(result.site.baseURL == "http://old.example/blog/" && result.site.language == nil)
        #expect(result.site.siteConfig.contains("language = \"en-GB\""))
    }
}
