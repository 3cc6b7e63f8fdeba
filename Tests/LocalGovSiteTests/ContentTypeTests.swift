import Foundation
import Testing

@testable import LocalGovSite

/// Content types declared as data: a site's own type, and events and groups as the theme declares them.
@Suite struct ContentTypeTests {
    static func text(_ result: BuildResult, _ path: String) -> String? {
        result.outputs.first { $0.path == path }.flatMap { String(data: $0.bytes, encoding: .utf8) }
    }

    /// The fixture's case studies are declared in its site.toml and rendered by its own templates:
    /// no Swift names them, yet they are loaded, published, linked, listed, searched, mapped and fed.
    @Test func aTypeDeclaredInTheFixtureIsPublishedWithNoSwiftChange() throws {
        let result = SiteBuild.run(fileSystem: LocalFileSystem(root: Paths.site("events")), clock: testClock)
        #expect(result.succeeded, "\(result.diagnostics.items)")
        #expect(result.diagnostics.items.isEmpty, "\(result.diagnostics.items)")
        let site = try #require(result.site)
        let studies = try #require(site.collection("case-studies"))
        #expect(studies.items.map(\.path) == ["stories/council-tax/", "stories/bins/"])

        let page = try #require(Self.text(result, "stories/bins/index.html"))
        #expect(page.contains("<p class=\"council\">Fixture Borough Council, Waste</p>"))
        #expect(page.contains("<p>Shown at <a href=\"/events/summit/\">Standard summit</a></p>"))
        #expect(page.contains("<title>Reporting a missed bin – Case studies – Fixture Network</title>"))
        let list = try #require(Self.text(result, "stories/index.html"))
        #expect(list.contains("<h2 id=\"service-council-tax\">Council tax</h2>"))
        #expect(list.contains("<li><a href=\"/stories/bins/\">Reporting a missed bin</a> (Fixture Borough Council)</li>"))
        let sitemap = try #require(Self.text(result, "sitemap.xml"))
        for path in ["stories/", "stories/bins/", "stories/council-tax/"] {
            #expect(sitemap.contains("<loc>https://events.example.org/\(path)</loc>"))
        }
        let documents = site.searchDocuments(routes: Routes(site.config))
        #expect(documents.filter { $0.section == "Case studies" }.map(\.url) == ["/stories/council-tax/", "/stories/bins/"])
        #expect(documents.filter { $0.section == "Events" }.count == 5)
        let feed = try #require(Self.text(result, "stories/atom.xml"))
        #expect(feed.contains("<id>https://events.example.org/stories/bins/</id>"))
    }

    @Test func aDeclaredTypeWithoutItsTemplatesIsAnErrorNamingThem() throws {
        let result = try buildInMemory(
            ["content/jobs/designer.md": "---\ntitle: Designer\n---\nA job.\n"],
            extraConfig: "[types.jobs]\nfolder = \"jobs\"\n")
        #expect(
            result.errorLines == [
                "error: the theme \"default\" has no template \"jobs\"; add themes/default/templates/jobs.mustache [template.missing]",
                "error: the theme \"default\" has no template \"jobs-list\"; add themes/default/templates/jobs-list.mustache [template.missing]",
            ])
    }

    @Test func badDeclarationsAreErrorsAtTheirKeys() throws {
        let config = """
            [types.jobs]
            folder = "blog"
            calendar = true
            colour = "red"
            [types.jobs.fields.start]
            type = "when"
            [types.jobs.fields.team]
            type = "reference"
            to = "teams"
            """
        let (_, diagnostics) = ContentTypes.parse(
            theme: try String(contentsOf: Paths.repository.appendingPathComponent("themes/default/types.toml"), encoding: .utf8),
            file: "themes/default/types.toml", site: SiteConfigParser.parse("title = \"T\"\nbase_url = \"https://t.example/\"\n" + config).0?.types)
        #expect(
            diagnostics.map(\.description) == [
                "site.toml:8:8: error: types.jobs.fields.start has type \"when\"; write one of text, link, date, list, choice, reference or table [config.type]",
                "site.toml:6:1: warning: unknown key \"types.jobs.colour\"; it is ignored [config.unknown-key]",
                "site.toml:3:1: error: types.jobs and types.blog both read content/blog/; give each its own folder [types.folder]",
                "site.toml:3:1: error: types.jobs is a calendar, so it must declare the field \"start\" as a date; add [types.jobs.fields.start] with type = \"date\" [types.calendar]",
                "site.toml:3:1: error: types.jobs is a calendar, so it must declare the field \"end\" as a date; add [types.jobs.fields.end] with type = \"date\" [types.calendar]",
                "site.toml:3:1: error: types.jobs.fields.team refers to the type \"teams\", which is not declared; name a declared type in `to` [types.reference]",
            ])
    }

    static let event = """
        ---
        title: Meet-up
        start: 2026-12-10T09:30:00+00:00
        end: 2026-12-10T17:00:00Z
        ---
        Text.
        """

    @Test func badEventsAreReportedAtTheirFields() throws {
        let result = try buildInMemory([
            "content/events/backwards.md": "---\ntitle: Backwards\nstart: 2026-12-10T17:00:00+00:00\nend: 2026-12-10T09:00:00+00:00\n---\nText.\n",
            "content/events/no-zone.md": "---\ntitle: No zone\nstart: 2026-12-10 09:30\nregion: North\nstatus: happening\nbooking: tickets\n---\nText.\n",
            "content/events/no-start.md": "---\ntitle: No start\n---\nText.\n",
            "content/events/old.md": "---\ntitle: Old\nstart: 2016-01-01\nstatus: postponed\ngroup: lundon\n---\nText.\n",
            "content/groups/london.md": "---\nname: London\nregion: London\n---\nText.\n",
        ])
        #expect(
            result.diagnostics.items.map(\.description) == [
                "content/events/no-start.md:2:1: error: missing required field \"start\"; add a line such as start: 2016-06-18T09:30:00+01:00 [front-matter.missing]",
                "content/events/no-zone.md:3:8: warning: start \"2026-12-10 09:30\" has a time but no time zone, so it is read in the site's zone (Europe/London); add the offset, such as 2026-12-10T09:30+01:00, so calendars show the same moment everywhere [front-matter.start-zone]",
                "content/events/no-zone.md:6:10: error: booking \"tickets\" is not a web or email address; write it in full, such as \"https://example.org/book/\", or as a path on this site, such as \"/about/\" [front-matter.booking]",
                "content/events/no-zone.md:5:9: error: status \"happening\" is not one of \"scheduled\", \"cancelled\", \"postponed\" or \"moved-online\"; write one of those [front-matter.status]",
                "content/events/backwards.md:4:6: error: end \"2026-12-10T09:00:00+00:00\" is before start \"2026-12-10T17:00:00+00:00\"; check both dates and times, and the zones [content.event-end]",
                "content/events/old.md:4:9: warning: \"Old\" is marked postponed but its date has passed, so it is listed with past events; give it its new date, or mark it cancelled [content.event-status]",
                "content/events/old.md:5:8: error: group \"lundon\" is not one of the site's groups; write the name of a file in content/groups/ without .md, such as \"london\" [content.reference]",
            ])
    }

    /// When an event is, in the words a person would say it, each part a `<time>`.
    @Test func eventTimesAreSaidInPlainWords() throws {
        let zone = TimeZone(identifier: "Europe/London")!
        func time(_ text: String) -> EventTime {
            guard case .success(let date) = ContentDateParser.parse(text, in: zone) else { fatalError(text) }
            return EventTime(date: date, allDay: text.count == 10, written: text)
        }
        func words(_ start: String, _ end: String? = nil) -> String {
            EventSpan(start: time(start), end: end.map(time)).html(in: zone)
        }
        #expect(
            words("2016-09-19T09:30:00+01:00", "2016-09-19T17:00:00+01:00")
                == "<time datetime=\"2016-09-19T09:30:00+01:00\">Monday 19 September 2016, 9:30am</time> to <time datetime=\"2016-09-19T17:00:00+01:00\">5pm</time>")
        #expect(words("2016-06-03") == "<time datetime=\"2016-06-03\">Friday 3 June 2016</time>")
        #expect(
            words("2016-06-03", "2016-06-04")
                == "<time datetime=\"2016-06-03\">Friday 3 June 2016</time> to <time datetime=\"2016-06-04\">Saturday 4 June 2016</time>")
        #expect(words("2016-06-03", "2016-06-03") == "<time datetime=\"2016-06-03\">Friday 3 June 2016</time>")
        // Written in UTC, said as the site's clocks showed it.
        #expect(words("2016-07-01T11:00:00Z") == "<time datetime=\"2016-07-01T12:00:00+01:00\">Friday 1 July 2016, midday</time>")
        #expect(
            words("2017-02-05T18:00:00+00:00", "2017-02-06T00:00:00+00:00")
                == "<time datetime=\"2017-02-05T18:00:00+00:00\">Sunday 5 February 2017, 6pm</time> to <time datetime=\"2017-02-06T00:00:00+00:00\">Monday 6 February 2017, midnight</time>")
    }

    @Test func eachEventPageCarriesItsStructuredDataAndTheHomePageTheNextEvents() throws {
        let result = try buildInMemory([
            "content/events/meet-up.md": Self.event,
            "content/events/online.md": "---\ntitle: Online\nstart: 2026-12-11\nonline: https://meet.example.org/x\nstatus: moved-online\nvenue:\n  name: Hall\n---\nText.\n",
            "content/events/mixed.md": "---\ntitle: Mixed\nstart: 2026-12-12\nonline: https://meet.example.org/y\nvenue:\n  name: Hall\n  address: 1 High Street\nbooking: /book/\norganiser: Us\n---\nText.\n",
        ])
        #expect(result.succeeded, "\(result.diagnostics.items)")
        func event(_ path: String) throws -> [String: Any] {
            let html = try #require(Self.text(result, path))
            let script = try #require(html.firstMatch(of: /<script type="application\/ld\+json">(.*?)<\/script>/)?.1)
            return try #require(try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: Any])
        }
        let meetUp = try event("events/meet-up/index.html")
        #expect(meetUp["@type"] as? String == "Event")
        #expect(meetUp["startDate"] as? String == "2026-12-10T09:30:00+00:00")
        #expect(meetUp["endDate"] as? String == "2026-12-10T17:00:00+00:00")
        #expect(meetUp["eventAttendanceMode"] as? String == "https://schema.org/OfflineEventAttendanceMode")
        #expect(meetUp["location"] == nil)
        let online = try event("events/online/index.html")
        #expect(online["eventStatus"] as? String == "https://schema.org/EventMovedOnline")
        #expect(online["eventAttendanceMode"] as? String == "https://schema.org/OnlineEventAttendanceMode")
        #expect((online["location"] as? [String: Any])?["url"] as? String == "https://meet.example.org/x")
        let mixed = try event("events/mixed/index.html")
        #expect(mixed["eventAttendanceMode"] as? String == "https://schema.org/MixedEventAttendanceMode")
        #expect((mixed["location"] as? [[String: Any]])?.first?["address"] as? String == "1 High Street")
        #expect((mixed["offers"] as? [String: Any])?["url"] as? String == "https://t.example/book/")
        #expect((mixed["organizer"] as? [String: Any])?["name"] as? String == "Us")

        let home = try #require(Self.text(result, "index.html"))
        #expect(home.contains("<h2 id=\"events-heading\">Next events</h2>"))
        #expect(home.matches(of: /class="event-list__title"/).count == 3)
        let calendar = try #require(Self.text(result, "events/events.ics"))
        #expect(calendar.components(separatedBy: "BEGIN:VEVENT").count == 4)
    }

    @Test func iCalendarTextIsEscapedAndFoldedWithinCharacters() {
        #expect(ICalendar.text("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne")
        let long = "DESCRIPTION:" + String(repeating: "é", count: 60)
        let folded = ICalendar.fold(long)
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == long)
    }

    /// A site can rename a section for its readers from site.toml, with no template change.
    @Test func sectionTitlesComeFromTheStringsTableOrSiteToml() throws {
        let result = try buildInMemory(
            ["content/events/meet-up.md": Self.event, "content/blog/one.md": "---\ntitle: One\ndate: 2024-01-02\n---\nText\n"],
            extraConfig: "[types.events]\ntitle = \"What's on\"\n[types.blog]\ntitle = \"News\"\n")
        #expect(result.succeeded, "\(result.diagnostics.items)")
        #expect(Self.text(result, "events/index.html")?.contains("<h1>What&#39;s on</h1>") == true)
        #expect(Self.text(result, "events/meet-up/index.html")?.contains("<title>Meet-up – What&#39;s on – T</title>") == true)
        #expect(Self.text(result, "blog/one/index.html")?.contains("<title>One – News – T</title>") == true)
        #expect(Self.text(result, "blog/index.html")?.contains("<h1>News</h1>") == true)
    }
}
