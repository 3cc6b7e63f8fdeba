import Foundation
import Synchronization
import Testing

@testable import LocalGovSite

@Suite struct MarkdownTests {
    func render(_ text: String, _ options: MarkdownOptions = MarkdownOptions()) -> RenderedMarkdown {
        Markdown.render(text, startingAt: SourceLocation(file: "post.md", line: 5), options: options)
    }

    /// A page's inputs name its body by its fingerprint, so the fingerprint must follow every
    /// change of the body: the text, the images placed in it, the references resolved.
    @Test func aBodysFingerprintFollowsItsContent() {
        let text = "See [point 1](standard:1).\n\n![A map](map.png)\n"
        let body = render(text)
        #expect(render(text).fingerprint == body.fingerprint)
        #expect(render(text + "\nMore.\n").fingerprint != body.fingerprint)
        func placing(_ markup: String) -> RenderedMarkdown {
            var placed = body
            placed.placeImages([markup])
            return placed
        }
        let placed = placing("<img src=\"a.png\" alt=\"A map\">")
        #expect(placed.html.contains("a.png") && placed.fingerprint != body.fingerprint)
        #expect(placing("<img src=\"b.png\" alt=\"A map\">").fingerprint != placed.fingerprint)
        #expect(placing("<img src=\"a.png\" alt=\"A map\">") == placed)
        func resolving(to address: String) -> RenderedMarkdown {
            var resolved = body
            resolved.resolve(
                links: body.links.map { MarkdownLink(destination: address, text: $0.text, location: $0.location) },
                rewriting: [("href=\"standard:1\"", "href=\"\(address)\"")])
            return resolved
        }
        let resolved = resolving(to: "/standard/1/")
        #expect(resolved.fingerprint != body.fingerprint && !resolved.hasReferences)
        #expect(resolved.html.contains("href=\"/standard/1/\"") && !resolved.html.contains("standard:1"))
        #expect(resolving(to: "/standard/2/").fingerprint != resolved.fingerprint)
        #expect(resolving(to: "/standard/1/") == resolved)
    }

    /// A body the build store kept reads its texts only when a stage asks for them, once;
    /// images placed and references resolved before then wait for them, and come out as they
    /// would in a body parsed now.
    @Test func aKeptBodysTextsAreReadOnlyWhenAskedFor() {
        final class Reads: Sendable { let count = Atomic(0) }
        let (body, reads) = (render("See [point 1](standard:1).\n\n![A map](map.png)\n"), Reads())
        var kept = RenderedMarkdown(
            texts: BodyTexts { [html = body.html, plainText = body.plainText] in
                reads.count.add(1, ordering: .relaxed)
                return BodyTexts.Texts(html: html, plainText: plainText)
            },
            headings: body.headings, links: body.links, images: body.images, firstParagraph: body.firstParagraph,
            tablesWithoutHeaders: body.tablesWithoutHeaders, imageMark: body.imageMark, fingerprint: body.fingerprint)
        let links = body.links.map { MarkdownLink(destination: "/standard/1/", text: $0.text, location: $0.location) }
        func change(_ body: inout RenderedMarkdown) {
            body.placeImages(["<img src=\"a.png\" alt=\"A map\">"])
            body.resolve(links: links, rewriting: [("href=\"standard:1\"", "href=\"/standard/1/\"")])
        }
        var parsed = body
        change(&kept)
        change(&parsed)
        #expect(reads.count.load(ordering: .relaxed) == 0)
        #expect(kept.fingerprint == parsed.fingerprint)
        #expect(kept.html == parsed.html && kept.html.contains("a.png") && kept.html.contains("/standard/1/"))
        #expect(kept.plainText == body.plainText)
        #expect(kept == parsed)
        #expect(reads.count.load(ordering: .relaxed) == 1)
    }

    @Test func githubExtensionsAreOn() {
        let html = render(
            """
            | a | b |
            |---|---|
            | 1 | 2 |

            ~~gone~~ www.example.org

            - [x] done
            - [ ] not done

            Text[^n]

            [^n]: Note.
            """
        ).html
        #expect(html.contains("<th scope=\"col\">a</th>"))
        #expect(html.contains("<del>gone</del>"))
        #expect(html.contains("<a href=\"http://www.example.org\">www.example.org</a>"))
        #expect(html.contains("aria-label=\"Done\""))
        #expect(html.contains("aria-label=\"Not done\""))
        #expect(html.contains("<section class=\"footnotes\" data-footnotes>"))
    }

    /// cmark-gfm keeps the characters that start extension inlines (`~`, `w`, `:`) in a process-wide
    /// table that every parser sets on entering its inline pass and clears on leaving it, so parsers
    /// in parallel must not overlap there.
    @Test func parallelParsesMatchASerialOne() {
        let text = (1...40).map { "Line \($0): ~~old~~ new, see www.example.org/\($0) or https://example.com." }
            .joined(separator: "\n\n")
        let expected = render(text).html
        #expect(expected.contains("<del>old</del>"))
        let results = parallelMap(Array(0..<400)) { _ in
            Markdown.render(text, startingAt: SourceLocation(file: "post.md", line: 5), options: MarkdownOptions()).html
        }
        #expect(results.filter { $0 != expected }.count == 0)
    }

    @Test func smartPunctuationCanBeTurnedOff() {
        #expect(render("\"Quotes\" -- and...").html == "<p>“Quotes” – and…</p>\n")
        #expect(render("\"Quotes\"", MarkdownOptions(smartPunctuation: false)).html == "<p>&quot;Quotes&quot;</p>\n")
    }

    @Test func rawHTMLIsOffUnlessAskedFor() {
        #expect(!render("<script>alert(1)</script>\n\nText <b>bold</b>").html.contains("<script>"))
        let unsafe = render("Text <b>bold</b>\n\n<script>x</script>", MarkdownOptions(unsafeHTML: true)).html
        #expect(unsafe.contains("<b>bold</b>"))
        // The tag filter still neutralises the most dangerous tags.
        #expect(unsafe.contains("&lt;script>"))
    }

    @Test func headingsGetStableUniqueIDsAndLocations() {
        let result = render("## Main content\n\n## Why? Because!\n\n### Why? Because!\n\n## Ŵyn a ŷd", MarkdownOptions(reservedIDs: ["main-content"]))
        #expect(result.headings.map(\.id) == ["main-content-1", "why-because", "why-because-1", "ŵyn-a-ŷd"])
        #expect(result.headings.map(\.location.line) == [5, 7, 9, 11])
        #expect(result.html.contains("<h2 id=\"why-because\">Why? Because!</h2>"))
        #expect(result.html.contains("<h3 id=\"why-because-1\">Why? Because!</h3>"))
    }

    @Test func linksAndImagesCarryFileLocations() {
        let result = render("Intro.\n\nSee [the guide](/guide/) and ![A map](/map.png).")
        #expect(result.links == [MarkdownLink(destination: "/guide/", text: "the guide", location: SourceLocation(file: "post.md", line: 7, column: 5))])
        #expect(result.images.map(\.alt) == ["A map"])
        #expect(result.images.first?.location.column == 30)
    }

    @Test func tableCaptionsComeFromTheConventionOrTheSection() {
        let explicit = render("| a |\n|---|\n| 1 |\n\nTable: Numbers by year").html
        #expect(explicit.contains("<table>\n<caption>Numbers by year</caption>"))
        #expect(!explicit.contains("Table: "))
        let fromHeading = render("## Costs\n\n| a |\n|---|\n| 1 |").html
        #expect(fromHeading.contains("<caption>Costs</caption>"))
    }

    @Test func firstParagraphIsPlainText() {
        let result = render("## Heading\n\nSome *emphasis* and `code`\nover two lines.\n\nSecond.")
        #expect(result.firstParagraph == "Some emphasis and code over two lines.")
    }

    @Test func summariesAreCutAtAWordBoundary() {
        let text = String(repeating: "word ", count: 60)
        let summary = Summary.of(text)
        #expect(summary.hasSuffix("word…"))
        #expect(summary.count <= 201)
        #expect(Summary.of("Short.") == "Short.")
    }

    /// The summary stops reading at the limit; it must be what collapsing the whole text would give.
    @Test func summariesEqualThoseOfTheWholeTextCollapsed() {
        func whole(_ text: String, limit: Int) -> String {
            let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            guard collapsed.count > limit else { return collapsed }
            let head = collapsed.prefix(limit)
            var result = String(head.lastIndex(of: " ").map { head[..<$0] } ?? head)
            while let last = result.last, ",;:.–—-".contains(last) { result.removeLast() }
            return result + "…"
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "council", "é", "👩🏽‍💻", " ", "  ", "\n", "\t", ",", ".", "—", "\u{2003}"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            for limit in [1, 5, 12, 30] {
                #expect(Summary.of(text, limit: limit) == whole(text, limit: limit), "\(text.debugDescription) \(limit)")
            }
        }
    }

    @Test func slugs() {
        #expect(Slug.make("Open data: what's next?") == "open-data-whats-next")
        #expect(Slug.make("  Café  society ") == "café-society")
        #expect(Slug.isSafe("../etc") == false)
        #expect(Slug.isSafe("good-slug"))
        // Every ASCII character is a word character of a slug exactly when Unicode says so.
        for value in 0..<128 {
            let scalar = Unicode.Scalar(UInt8(value))
            let word = scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
            #expect(Slug.make("x\(scalar)y") == (word ? "x\(String(scalar).lowercased())y" : scalar == "'" ? "xy" : "x-y"), "\(value)")
        }
    }
}
