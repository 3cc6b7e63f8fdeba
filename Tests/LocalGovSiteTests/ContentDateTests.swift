import Foundation
import Testing

@testable import LocalGovSite

@Suite struct ContentDateTests {
    let london = TimeZone(identifier: "Europe/London")!

    @Test func dateWithoutZoneIsMidnightInTheSiteZone() throws {
        let summer = try ContentDateParser.parse("2024-07-01", in: london).get()
        #expect(Format.rfc3339(summer.instant) == "2024-06-30T23:00:00Z")
        #expect(summer.isoDay == "2024-07-01")
        #expect(summer.longForm == "1 July 2024")
        let winter = try ContentDateParser.parse("2024-01-15T09:30", in: london).get()
        #expect(Format.rfc3339(winter.instant) == "2024-01-15T09:30:00Z")
    }

    @Test func offsetsAreHonoured() throws {
        let date = try ContentDateParser.parse("2025-09-18T23:30:00-05:00", in: london).get()
        #expect(Format.rfc3339(date.instant) == "2025-09-19T04:30:00Z")
        #expect(date.isoDay == "2025-09-19")
        #expect(Format.rfc822(date.instant) == "Fri, 19 Sep 2025 04:30:00 +0000")
        let zulu = try ContentDateParser.parse("2017-02-15T10:00:00.250Z", in: london).get()
        #expect(Format.rfc3339(zulu.instant) == "2017-02-15T10:00:00Z")
    }

    @Test(arguments: [
        ("2024-13-01", ContentDateParser.Problem.impossible(reason: "there is no month 13")),
        ("2023-02-29", .impossible(reason: "February 2023 has 28 days")),
        ("15/02/2017", .notADate(suggestion: "2017-02-15")),
        ("next Tuesday", .notADate(suggestion: nil)),
        ("2017-02-15T25:00", .impossible(reason: "the time 25:00 does not exist")),
    ])
    func badDates(text: String, problem: ContentDateParser.Problem) {
        #expect(ContentDateParser.parse(text, in: london) == .failure(problem))
    }

    @Test func leapDayExists() {
        #expect((try? ContentDateParser.parse("2024-02-29", in: london).get()) != nil)
    }
}
