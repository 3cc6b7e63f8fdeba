import Foundation
import Testing

@testable import LocalGovSite

@Suite struct FeedParserTests {
    /// When the feeds were fetched: 1 June 2024, midday UTC.
    let now = Date(timeIntervalSince1970: 1_717_243_200)

    func parse(_ fixture: String, from url: String, firstSeen: [String: Date] = [:]) throws -> ParsedFeed {
        let data = try Data(contentsOf: Paths.tests.appendingPathComponent("Fixtures/feeds/\(fixture)"))
        return try FeedParser.parse(data: data, feedURL: URL(string: url)!, now: now, firstSeen: firstSeen)
    }

    func iso(_ date: Date?) -> String? { date.map(Format.rfc3339) }

    @Test func wordPressRSSWithContentEncoded() throws {
        let feed = try parse("wordpress.xml", from: "https://digital.wyvern.example.gov.uk/feed/")
        #expect(feed.dialect == .rss(version: "2.0"))
        #expect(feed.title == "Notes from the Digital Team – Wyvern District Council")
        #expect(feed.homeLink == "https://digital.wyvern.example.gov.uk")
        #expect(feed.language == "en-GB")
        #expect(feed.entries.count == 2, "the repeated guid appears once")
        let entry = try #require(feed.entries.first)
        #expect(entry.id == "https://digital.wyvern.example.gov.uk/?p=1412")
        #expect(entry.title == "Why we rewrote the bin collection checker (again)")
        #expect(entry.link == "https://digital.wyvern.example.gov.uk/2024/05/14/bin-checker/")
        #expect(iso(entry.published) == "2024-05-14T08:12:44Z")
        #expect(entry.updated == nil && entry.firstSeen == nil)
        #expect(entry.author == "Priya Shah")
        #expect(entry.language == "en-GB")
        #expect(
            entry.summaryHTML
                == "Residents told us the old checker asked for their postcode three times. Here is what we changed… <a href=\"https://digital.wyvern.example.gov.uk/2024/05/14/bin-checker/\" rel=\"nofollow noopener ugc\">Continue reading</a>"
        )
        #expect(
            entry.contentHTML == """
                <p>Residents told us the old checker asked for their postcode <strong>three times</strong>.</p>
                <figure><img src="https://digital.wyvern.example.gov.uk/wp-content/uploads/2024/05/checker.png" alt="The new checker on a phone" width="1024" height="576" loading="lazy"><figcaption>One question per page</figcaption></figure>
                <p>Read the <a href="https://www.gov.uk/service-manual" rel="nofollow noopener ugc">Service Manual</a> if you have not.</p>

                """)
        // Listed twice with the same dates: the later copy in the document is kept.
        #expect(feed.entries[1].summaryHTML == "A duplicate, as some plugins emit.")
    }

    @Test func bloggerAtomWithEscapedHTML() throws {
        let feed = try parse("blogger.xml", from: "https://parishpump.example.blogspot.com/feeds/posts/default")
        #expect(feed.dialect == .atom)
        #expect(feed.title == "Parish Pump Digital")
        #expect(feed.homeLink == "https://parishpump.example.blogspot.com/")
        #expect(feed.entries.count == 2)
        let entry = feed.entries[0]
        #expect(entry.id == "tag:blogger.com,1999:blog-4411223344556677889.post-1111222233334444555")
        #expect(entry.link == "https://parishpump.example.blogspot.com/2024/03/grit-bins.html")
        #expect(iso(entry.published) == "2024-03-02T10:58:00Z")
        #expect(iso(entry.updated) == "2024-03-02T11:05:41Z")
        #expect(entry.author == "Gwen Morgan")
        #expect(entry.summaryHTML == "", "no summary is made up from the content")
        #expect(
            entry.contentHTML
                == "<p>We finally published the <b>grit bin</b> dataset.</p><a href=\"https://blogger.googleusercontent.com/img/b/grit.jpg\" rel=\"nofollow noopener ugc\"><img src=\"https://blogger.googleusercontent.com/img/b/grit.jpg\" alt=\"\" width=\"320\" loading=\"lazy\"></a><p>Download it from the portal.</p>"
        )
        #expect(entry.imagesWithoutAlt == ["https://blogger.googleusercontent.com/img/b/grit.jpg"])
        #expect(feed.entries[1].title == "Ben & Jerry's rule of thumb for data")
        #expect(feed.entries[1].author == "Gwen Morgan", "the feed's author stands in for the entry's")
    }

    @Test func mediumRSS() throws {
        let feed = try parse("medium.xml", from: "https://medium.com/@sam.okafor/feed")
        #expect(feed.title == "Stories by Sam Okafor on Medium")
        let entry = try #require(feed.entries.first)
        #expect(entry.id == "https://medium.com/p/1a2b3c4d5e6f")
        #expect(iso(entry.published) == "2024-04-08T12:29:58Z")
        #expect(entry.summaryHTML == "")
        #expect(
            entry.contentHTML
                == "<h3>What a planning portal taught me about forms</h3><figure><img src=\"https://cdn-images-1.medium.com/max/1024/1*form.png\" alt=\"\" loading=\"lazy\"></figure><p>Every question should earn its place.</p><img src=\"https://medium.com/_/stat?event=post.clientViewed&amp;referrerSource=full_rss&amp;postId=1a2b3c4d5e6f\" alt=\"\" width=\"1\" height=\"1\" loading=\"lazy\">"
        )
        #expect(entry.imagesWithoutAlt == [], "alt=\"\" is a decision, not an omission")
    }

    @Test func ghostRSS() throws {
        let feed = try parse("ghost.xml", from: "https://civictinkering.example.org/rss/")
        let entry = try #require(feed.entries.first)
        #expect(entry.id == "661f8c2a9b1e4a0001a1b2c3")
        #expect(entry.author == "Alex Kerr")
        #expect(entry.summaryHTML == "<p>I built a tiny API so neighbours can look up their band.</p>")
        #expect(
            entry.contentHTML
                == "<img src=\"https://civictinkering.example.org/content/images/2024/04/bands.png\" alt=\"A table of bands\" loading=\"lazy\"><p>I built a tiny API so neighbours can look up their band.</p><pre><code>curl https://api.example.org/bands?postcode=AB1+2CD</code></pre>"
        )
    }

    @Test func substackRSS() throws {
        let feed = try parse("substack.xml", from: "https://townhall.example.substack.com/feed")
        #expect(feed.language == "en")
        let entry = try #require(feed.entries.first)
        #expect(entry.link == "https://townhall.example.substack.com/p/issue-42-procurement")
        #expect(entry.author == "Rhiannon Price")
        #expect(
            entry.contentHTML
                == "<p>Hello friends,</p><figure><a href=\"https://substackcdn.example.com/image/fetch/cover.jpeg\" rel=\"nofollow noopener ugc\"><img src=\"https://substackcdn.example.com/image/fetch/w_1456/cover.jpeg\" alt=\"A town hall at dusk\" width=\"1456\" height=\"816\" loading=\"lazy\"></a><figcaption>Photo: our own</figcaption></figure><p>The contract shapes the service. <a href=\"https://townhall.example.substack.com/subscribe?utm_source=substack\" rel=\"nofollow noopener ugc\"><span>Subscribe now</span></a></p>"
        )
    }

    @Test func rss1RDF() throws {
        let feed = try parse("rss1.rdf", from: "https://old.example.org/index.rdf")
        #expect(feed.dialect == .rdf)
        #expect(feed.title == "Fenwick Borough Web Team")
        #expect(feed.homeLink == "https://old.example.org/")
        #expect(feed.language == "en-gb")
        #expect(feed.entries.map(\.id) == [
            "https://old.example.org/archives/000412.html", "https://old.example.org/archives/000411.html",
        ])
        #expect(feed.entries[0].author == "Mo Ahmed")
        #expect(feed.entries[1].author == "Web Team", "the channel's dc:creator stands in")
        #expect(iso(feed.entries[0].published) == "2024-02-29T17:45:00Z")
        #expect(iso(feed.entries[1].published) == "2024-01-10T00:00:00Z")
        #expect(feed.entries[0].summaryHTML == "We published our accessibility statement &amp; a plan to fix what it lists.")
        #expect(feed.entries[1].link == "https://old.example.org/archives/000411.html", "a relative link resolves against the feed")
        #expect(
            feed.entries[1].contentHTML
                == "<p>See <a href=\"https://old.example.org/archives/000410.html\" rel=\"nofollow noopener ugc\">the last post</a>.</p>",
            "content resolves against the entry's link")
    }

    @Test func jsonFeed11() throws {
        let undatedSeen = Date(timeIntervalSince1970: 1_714_000_000)
        let feed = try parse(
            "jsonfeed.json", from: "https://harbourside.example.org/feed.json", firstSeen: ["undated-1": undatedSeen])
        #expect(feed.dialect == .jsonFeed(version: "1.1"))
        #expect(feed.title == "Harbourside Digital")
        #expect(feed.homeLink == "https://harbourside.example.org/")
        #expect(feed.entries.count == 4)
        let first = feed.entries[0]
        #expect(first.title == "Parking permits without the paper")
        #expect(first.author == "Lena Fischer")
        #expect(iso(first.published) == "2024-04-25T08:00:00Z")
        #expect(iso(first.updated) == "2024-04-26T09:15:00Z")
        #expect(first.summaryHTML == "How we took a paper form online in six weeks.")
        #expect(
            first.contentHTML
                == "<p>We started with the <a href=\"https://harbourside.example.org/research/permits/\" rel=\"nofollow noopener ugc\">research</a>.</p><img src=\"https://harbourside.example.org/2024/04/parking-permits/images/form.png\" alt=\"\" loading=\"lazy\">"
        )
        #expect(first.imagesWithoutAlt == ["https://harbourside.example.org/2024/04/parking-permits/images/form.png"])
        let note = feed.entries[1]
        #expect(note.id == "1021")
        #expect(note.title == "")
        #expect(note.author == "Kai Jensen")
        #expect(note.language == "de")
        #expect(note.contentHTML == "<p>A short note with no title.</p><p>It has two paragraphs &amp; an ampersand.</p>")
        let undated = feed.entries[2]
        #expect(undated.published == nil && undated.updated == nil)
        #expect(undated.firstSeen == undatedSeen && undated.date == undatedSeen)
        let future = feed.entries[3]
        #expect(future.published == now, "a date after the fetch is clamped to it")
    }

    @Test func undatedEntryNotSeenBeforeIsFirstSeenNow() throws {
        let feed = try parse("jsonfeed.json", from: "https://harbourside.example.org/feed.json")
        #expect(feed.entries[2].firstSeen == now)
        #expect(feed.entries[0].firstSeen == nil, "only undated entries need a first-seen date")
    }

    @Test func windows1252BecomesUTF8() throws {
        let feed = try parse("windows-1252.xml", from: "http://budgetwatch.example.co.uk/rss.xml")
        #expect(feed.dialect == .rss(version: "2.0"))
        #expect(feed.title == "Budget Watch – Thornbury")
        let entry = try #require(feed.entries.first)
        #expect(entry.title == "“Where does the £5 go?”")
        #expect(entry.summaryHTML == "<p>Council tax rose by £5 – it’s €6, roughly.</p>")
        #expect(entry.author == "Dai ‘Budget’ Lewis")
        #expect(iso(entry.published) == "2024-03-04T19:05:00Z")
        #expect(entry.id == "http://budgetwatch.example.co.uk/posts/where-does-it-go.html")
    }

    @Test func isoLatin1BecomesUTF8() throws {
        let feed = try parse("iso-8859-1.xml", from: "https://cafe.example.fr/rss")
        #expect(feed.dialect == .rss(version: "0.92"))
        #expect(feed.title == "Café Numérique")
        let entry = try #require(feed.entries.first)
        #expect(entry.title == "Résumé de la réunion à Bruxelles")
        #expect(entry.summaryHTML == "Coût: £12 ± 2. Naïve questions welcome.")
        #expect(entry.language == "fr")
        #expect(iso(entry.published) == "2024-01-12T13:00:00Z")
    }

    @Test func byteOrderMarkIsFine() throws {
        let feed = try parse("bom.xml", from: "https://bom.example.net/feed")
        #expect(feed.title == "Byte Order Blog")
        #expect(feed.entries.map(\.title) == ["Starts with a BOM ✔"])
        #expect(feed.entries[0].link == "https://bom.example.net/posts/1", "a permalink guid is the link")
    }

    @Test func atomXHTMLAndXMLBase() throws {
        let feed = try parse("atom-xhtml.xml", from: "https://makers.example.org/blog/atom.xml")
        #expect(feed.title == "Makers & Menders", "an html title is read as the text it shows")
        #expect(feed.homeLink == "https://makers.example.org/blog/")
        #expect(feed.language == "en-GB")
        let entry = feed.entries[0]
        #expect(entry.title == "Repair cafés and councils")
        #expect(entry.link == "https://makers.example.org/blog/posts/repair-cafes/", "xml:base nests")
        #expect(iso(entry.published) == "2024-04-30T09:00:00Z")
        #expect(entry.summaryHTML == "Fixing things &lt;together&gt;.")
        #expect(entry.language == "en-GB")
        #expect(
            entry.contentHTML.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined() == """
                <p>We met at the <a href="https://media.example.net/library/" rel="nofollow noopener ugc">library</a>.</p>\
                <p><img src="https://media.example.net/makers/kettle.jpg" alt="A kettle in pieces" loading="lazy"></p>
                """)
        let welsh = feed.entries[1]
        #expect(welsh.language == "cy")
        #expect(welsh.published == nil && iso(welsh.updated) == "2024-04-29T09:00:00Z")
        #expect(welsh.date == welsh.updated)
        #expect(welsh.author == "Makers Team")
        #expect(
            welsh.contentHTML
                == "<p>Gweler <a href=\"https://makers.example.org/cy/\" rel=\"nofollow noopener ugc\">y dudalen</a>.</p>")
    }

    // MARK: Hostile and broken feeds

    func parse(_ text: String) -> Result<ParsedFeed, FeedError> {
        Result { () throws(FeedError) in
            try FeedParser.parse(data: Data(text.utf8), feedURL: URL(string: "https://member.example.org/feed")!, now: now)
        }
    }

    @Test func billionLaughsIsRefusedAtOnce() {
        let lol = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            ]>
            <rss version="2.0"><channel><title>&lol9;</title></channel></rss>
            """
        let started = Date()
        #expect(parse(lol) == .failure(.entityDeclaration(feed: "https://member.example.org/feed", line: 3, column: 21)))
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("localgov-xxe-\(UUID().uuidString)")
        try Data("TOP-SECRET".utf8).write(to: secret)
        defer { try? FileManager.default.removeItem(at: secret) }
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "\(secret.absoluteString)">]>
            <rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title><link>https://a.example/</link></item></channel></rss>
            """
        guard case let .failure(error) = parse(xxe), case .entityDeclaration = error else {
            Issue.record("expected the entity declaration to be refused, got \(parse(xxe))")
            return
        }
        #expect(error.diagnostic.code == "feed.entities")
        // An external DTD is not fetched either: the undeclared entity is simply empty.
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "\(secret.absoluteString)">
            <rss version="2.0"><channel><title>T</title><item><title>a&xxe;b</title><link>https://a.example/</link></item></channel></rss>
            """
        let feed = try parse(external).get()
        #expect(feed.entries.map(\.title) == ["ab"])
    }

    /// Recovery reads what it can; a document with nothing to read is still an error, at its place.
    @Test func malformedXMLSaysWhere() throws {
        let repaired = try parse(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>Oops</titel><item><title>One</title>"
                + "<link>https://member.example.org/one</link></item></channel></rss>"
        ).get()
        #expect(repaired.title == "Oops" && repaired.entries.map(\.title) == ["One"])
        #expect(repaired.repairs == [
            "not well-formed XML at line 3, column 29 (Opening and ending tag mismatch: title line 3 and titel); read as far as libxml2's recovery could"
        ])
        // Recovery that reads no entry at all has read nothing: the fault is reported.
        let nothing = parse("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>Oops</titel></channel></rss>")
        #expect(nothing.failureError?.diagnostic.location?.description == "https://member.example.org/feed:3:29")
        let result = parse("<?xml version=\"1.0\"?>\n\n<1rss>\n")
        guard case let .failure(.malformedXML(feed, line, column, message)) = result else {
            Issue.record("expected malformed XML, got \(result)")
            return
        }
        #expect(feed == "https://member.example.org/feed")
        #expect(line == 3 && column == 2)
        #expect(message == "StartTag: invalid element name")
        let diagnostic = try #require(result.failureError).diagnostic
        #expect(diagnostic.code == "feed.malformed-xml")
        #expect(diagnostic.location?.description == "https://member.example.org/feed:3:2")
    }

    @Test(arguments: [
        ("", FeedError.empty(feed: "https://member.example.org/feed")),
        ("\u{FEFF}  \n", .empty(feed: "https://member.example.org/feed")),
        ("<!DOCTYPE html><html><head><title>Blog</title><link rel=alternate href=/feed></head><body><p>Hi<br></body></html>",
         .notAFeed(feed: "https://member.example.org/feed", found: "an HTML page")),
        ("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
         .notAFeed(feed: "https://member.example.org/feed", found: "an HTML page")),
        ("<?xml version=\"1.0\"?><opml version=\"2.0\"/>",
         .notAFeed(feed: "https://member.example.org/feed", found: "an XML document whose root element is <opml>")),
        ("{\"items\": []}", .notAFeed(feed: "https://member.example.org/feed", found: "JSON without a JSON Feed `version`")),
        ("{\"version\": \"https://jsonfeed.org/version/2\", \"items\": []}",
         .unsupported(feed: "https://member.example.org/feed", format: "JSON Feed version 2")),
        ("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [{\"title\": 3}]}",
         .malformedJSON(feed: "https://member.example.org/feed", message: "items[0].title has the wrong type")),
        ("{\"version\": ", .malformedJSON(feed: "https://member.example.org/feed", message: "it is not valid JSON")),
    ])
    func refusesWhatIsNotAFeed(text: String, error: FeedError) {
        #expect(parse(text) == .failure(error))
    }

    @Test func diagnosticsNameTheFeed() {
        let diagnostic = FeedError.notAFeed(feed: "https://member.example.org/feed", found: "an HTML page").diagnostic
        #expect(
            diagnostic.description == """
                https://member.example.org/feed:1:1: error: this is an HTML page, not an RSS, Atom or JSON feed [feed.not-a-feed]
                    hint: check the feed address: a blog's page names its feed in <link rel="alternate">
                """)
    }

    @Test func hostileTitlesStayTextAndLinksMustBeWeb() throws {
        let feed = try parse("""
            <rss version="2.0"><channel><title>&lt;script&gt;alert(1)&lt;/script&gt;Blog</title><link>javascript:alert(1)</link>
            <item><title>&lt;img src=x onerror=alert(1)&gt; hi\u{9B}</title><link>javascript:alert(1)</link><guid>g1</guid>
            <description>&lt;p onmouseover="alert(1)"&gt;x&lt;/p&gt;&lt;a href="JaVaScRiPt:alert(1)"&gt;y&lt;/a&gt;</description></item>
            <item><title>mailto is not a post</title><link>mailto:jo@example.org</link></item>
            </channel></rss>
            """).get()
        #expect(feed.title == "<script>alert(1)</script>Blog", "titles are text: templates escape them")
        #expect(feed.homeLink == nil)
        #expect(feed.entries.count == 1, "an entry with neither an id nor a web link is dropped")
        let entry = feed.entries[0]
        #expect(entry.title == "<img src=x onerror=alert(1)> hi")
        #expect(entry.link == nil, "no usable link: none, rather than another page")
        #expect(entry.contentHTML == "<p>x</p>y")
    }
}

extension Result {
    var failureError: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
