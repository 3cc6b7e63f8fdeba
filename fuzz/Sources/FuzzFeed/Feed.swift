import Foundation
import FuzzSupport
import LocalGovSite

/// A member's feed as the build reads it from the cache: RSS 0.9x/2.0, Atom 1.0 and RSS 1.0
/// (RDF) through libxml2, JSON Feed through JSONDecoder, each entry's HTML through the sanitiser.
/// Which reader runs is decided by the input itself, as for a real feed; the seed corpus has
/// feeds of every dialect.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeed(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    do {
        checkFeed(try FeedParser.parse(data: Fuzz.data(bytes, count), feedURL: feedURL, now: Fuzz.now))
    } catch {
        let location = error.diagnostic.location
        Fuzz.expect(location.map { $0.line >= 1 && $0.column >= 1 } ?? true, "\(error.diagnostic) has no place in the feed")
    }
    return 0
}

private let feedURL = URL(string: "https://blog.example.org/feed/")!

/// What a page may rely on in a parsed feed (see `FeedEntry`).
private func checkFeed(_ feed: ParsedFeed) {
    expectPlainText(feed.title)
    var ids: Set<String> = []
    for entry in feed.entries {
        Fuzz.expect(ids.insert(entry.id).inserted, "entry id \(entry.id) appears twice")
        Fuzz.expect(entry.link.hasPrefix("http://") || entry.link.hasPrefix("https://"), "entry link \(entry.link)")
        Fuzz.expect([entry.published, entry.updated].allSatisfy { $0.map { $0 <= Fuzz.now } ?? true }, "a date after now")
        Fuzz.expect((entry.firstSeen == nil) == (entry.published != nil || entry.updated != nil), "firstSeen of a dated entry")
        expectPlainText(entry.title)
        entry.author.map(expectPlainText)
        SanitisedMarkup.expectSafe(entry.summaryHTML)
        SanitisedMarkup.expectSafe(entry.contentHTML)
    }
}

/// Titles and names are text, whitespace collapsed, with no control characters.
private func expectPlainText(_ text: String) {
    Fuzz.expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "a control character in \(text)")
}
