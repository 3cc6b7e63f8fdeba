import Foundation
import Testing

@testable import LocalGovSite

/// Events as readers' calendars and search engines read them, from the built binary.
@Suite(.serialized) struct EventsCLITests {
    /// 29 January 2027: after every event in the fixture.
    static let later = "1801180800"

    static func page(_ site: URL, _ path: String, in output: String = "public") throws -> String {
        try String(contentsOf: site.appendingPathComponent("\(output)/\(path)"), encoding: .utf8)
    }

    @Test func calendarsParseWithICalendarAndEveryEventPageHasJSONLDEvent() throws {
        let python = try CLITests.testPython()
        let site = try CLITests.copySite("events")
        let run = try CLITests.localgov(["build"], in: site)
        #expect(run.status == 0, "\(run.stderr)")

        let model = try #require(SiteBuild.run(fileSystem: LocalFileSystem(root: site), clock: FixedClock(CLITests.now)).site)
        let events = try #require(model.collection("events"))
        #expect(events.items.count == 5)
        let statuses = ["cancelled": ("CANCELLED", "EventCancelled"), "moved-online": ("CONFIRMED", "EventMovedOnline")]
        let expected: [[String: Any]] = events.items.map { item in
            let span = item.span!
            let start = span.start.allDay ? span.start.date.isoDay : Format.isoLocal(span.start.date.instant, in: model.config.timeZone)
            let (status, eventStatus) = statuses[item.status] ?? ("CONFIRMED", "EventScheduled")
            return [
                "page": item.path, "ics": "events/\(item.slug).ics", "uid": "events-\(item.slug)@events.example.org",
                "summary": item.title, "start": start, "status": status, "eventStatus": eventStatus,
            ]
        }
        let spec = String(
            decoding: try JSONSerialization.data(withJSONObject: ["calendar": "events/events.ics", "events": expected]), as: UTF8.self)
        let check = try CLITests.localgov(
            [CLITests.tests.appendingPathComponent("Scripts/check_calendar.py").path, site.appendingPathComponent("public").path],
            in: site, stdin: spec, executable: python)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("ok: 5 events"))

        // A control: a calendar the checker must refuse (a wrong UID) makes it fail.
        var wrong = expected
        wrong[0]["uid"] = "someone-else@example.org"
        let refused = try CLITests.localgov(
            [CLITests.tests.appendingPathComponent("Scripts/check_calendar.py").path, site.appendingPathComponent("public").path],
            in: site, stdin: String(decoding: try JSONSerialization.data(withJSONObject: ["calendar": "events/events.ics", "events": wrong]), as: UTF8.self),
            executable: python)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("UID"))
    }

    /// What is upcoming and what is past follows `SOURCE_DATE_EPOCH`, and the same moment gives
    /// the same bytes.
    @Test func upcomingAndPastFollowSourceDateEpoch() throws {
        let site = try CLITests.copySite("events")
        #expect(try CLITests.localgov(["build"], in: site).status == 0)
        #expect(try CLITests.localgov(["build", "--output", "again"], in: site).status == 0)
        #expect(try CLITests.snapshot(site.appendingPathComponent("public")) == CLITests.snapshot(site.appendingPathComponent("again")))
        let later = try CLITests.localgov(["build", "--output", "later"], in: site, environment: ["SOURCE_DATE_EPOCH": Self.later])
        #expect(later.status == 0, "\(later.stderr)")

        func titles(_ html: String) -> [String] {
            html.matches(of: /class="event-list__title"><a href="[^"]*">([^<]*)</).map { String($0.1) }
        }
        // 22 November 2026: the sprint (20 to 24 November) is under way, so still upcoming.
        #expect(
            titles(try Self.page(site, "events/index.html")) == [
                "Guidance sprint", "Planning data workshop", "Standard summit", "Evening meet-up",
            ])
        #expect(titles(try Self.page(site, "events/past/index.html")) == ["Fixture Camp 2016"])
        #expect(titles(try Self.page(site, "index.html")) == ["Guidance sprint", "Planning data workshop", "Standard summit"])

        #expect(titles(try Self.page(site, "events/index.html", in: "later")).isEmpty)
        #expect(try Self.page(site, "events/index.html", in: "later").contains("No events are planned at the moment."))
        #expect(
            titles(try Self.page(site, "events/past/index.html", in: "later")) == [
                "Evening meet-up", "Standard summit", "Planning data workshop", "Guidance sprint", "Fixture Camp 2016",
            ])
        // The group's page splits its events the same way.
        let group = try Self.page(site, "groups/london/index.html")
        #expect(group.contains("<h3>Next events</h3>"))
        #expect(try Self.page(site, "groups/london/index.html", in: "later").contains("<h3>Past events</h3>"))
        #expect(!(try Self.page(site, "groups/london/index.html", in: "later")).contains("<h3>Next events</h3>"))
    }

    /// `new item` writes a draft from the type's declaration that builds as it stands.
    @Test func newItemScaffoldsFromTheDeclaration() throws {
        let site = try CLITests.copySite("events")
        let made = try CLITests.localgov(["new", "item", "events", "LocalGovCamp 2027"], in: site)
        #expect(made.status == 0, "\(made.stderr)")
        let text = try String(contentsOf: site.appendingPathComponent("content/events/localgovcamp-2027.md"), encoding: .utf8)
        #expect(text.contains("start: 2026-11-22T09:30:00+00:00"))
        #expect(text.contains("status: scheduled"))
        #expect(text.contains("# venue: { name: \"\", address: \"\" }"))
        #expect(try CLITests.localgov(["check", "--drafts"], in: site).status == 0)
        #expect(try CLITests.localgov(["build", "--drafts"], in: site).status == 0)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("public/events/localgovcamp-2027/index.html").path))

        let study = try CLITests.localgov(["new", "item", "case-studies", "Library bookings"], in: site)
        #expect(study.status == 0)
        #expect(try String(contentsOf: site.appendingPathComponent("content/case-studies/library-bookings.md"), encoding: .utf8).contains("service: Waste  # one of: Waste, Council tax, Planning"))

        let unknown = try CLITests.localgov(["new", "item", "jobs", "Designer"], in: site)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("there is no type \"jobs\" to make items of; the site's types are: events, groups, case-studies"))
    }

    /// Event and group pages, their lists and the home page reflow at 320 CSS pixels in Chromium.
    @Test func eventAndGroupPagesReflowAt320Pixels() throws {
        let python = try CLITests.testPython()
        let site = try CLITests.copySite("events")
        #expect(try CLITests.localgov(["build"], in: site).status == 0)
        let paths = ["", "events/", "events/past/", "events/summit/", "events/evening-meetup/", "groups/", "groups/london/", "stories/bins/"]
        let spec = String(decoding: try JSONSerialization.data(withJSONObject: ["pages": paths.map { ["path": $0] }]), as: UTF8.self)
        let run = try CLITests.localgov(
            [CLITests.tests.appendingPathComponent("Scripts/check_layout.py").path, site.appendingPathComponent("public").path],
            in: site, stdin: spec, executable: python)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("ok: 8 pages"))
    }
}
