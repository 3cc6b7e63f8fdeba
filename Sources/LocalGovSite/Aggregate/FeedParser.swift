import Foundation

/// Reads one member feed, in whichever dialect it is written, into entries the site can show.
public enum FeedParser {
    /// - Parameters:
    ///   - feedURL: where the feed was fetched from: relative links resolve against it, and
    ///     diagnostics name it.
    ///   - now: when the feed was fetched. Dates after it are clamped to it, so a wrong clock
    ///     on a member's server cannot pin an entry to the top of the river.
    ///   - firstSeen: when each undated entry (by id) was first seen, as the feed cache
    ///     recorded it. An undated entry not in it is first seen `now`; the caller records
    ///     `firstSeen` of such entries so they keep their place on later builds.
    public static func parse(
        data: Data, feedURL: URL, now: Date, firstSeen: [String: Date] = [:]
    ) throws(FeedError) -> ParsedFeed {
        let name = feedURL.isFileURL ? feedURL.path : feedURL.absoluteString
        let start = data.firstIndex { !isSpaceOrByteOrderMark($0) }
        guard let start else { throw .empty(feed: name) }
        var feed: ParsedFeed
        if data[start] == UInt8(ascii: "{") {
            feed = try JSONFeedReader.read(data, feedURL: feedURL, name: name)
        } else {
            feed = try XMLFeedReader.read(data, feedURL: feedURL, name: name)
        }
        feed.entries = newestOfEachID(feed.entries).map { entry in
            var entry = entry
            entry.published = entry.published.map { min($0, now) }
            entry.updated = entry.updated.map { min($0, now) }
            if entry.published == nil && entry.updated == nil { entry.firstSeen = min(firstSeen[entry.id] ?? now, now) }
            return entry
        }
        return feed
    }

    /// One entry per id: the most recently updated version (a feed that lists a post twice
    /// usually appended the edit), the later in the document when they tie; at its own place.
    static func newestOfEachID(_ entries: [FeedEntry]) -> [FeedEntry] {
        var chosen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard let previous = chosen[entry.id] else {
                chosen[entry.id] = index
                continue
            }
            let distantPast = Date.distantPast
            if (entry.updated ?? entry.published ?? distantPast) >= (entries[previous].updated ?? entries[previous].published ?? distantPast) {
                chosen[entry.id] = index
            }
        }
        let kept = Set(chosen.values)
        return entries.indices.filter(kept.contains).map { entries[$0] }
    }

    /// ASCII whitespace and the bytes of a UTF-8 byte-order mark, which may precede the document.
    private static func isSpaceOrByteOrderMark(_ byte: UInt8) -> Bool {
        [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(byte)
    }

    /// The pieces of an entry every dialect finds, turned into a `FeedEntry` the same way.
    struct RawEntry {
        var id: String?
        var title: String
        var link: String?
        var published: Date?
        var updated: Date?
        var author: String?
        var summary: SanitisedHTML?
        var content: SanitisedHTML?
        var language: String?
        var categories: [String] = []

        /// Nil when the entry has no id and no link, as nothing could identify it. An entry with
        /// no link of its own keeps none: the blog's home page would be the wrong post.
        func entry() -> FeedEntry? {
            guard let id = id.flatMap(trimmedNonEmpty) ?? link else { return nil }
            let summary = summary ?? SanitisedHTML()
            let content = content ?? summary
            var missingAlt: [String] = []
            for source in summary.imagesWithoutAlt + content.imagesWithoutAlt where !missingAlt.contains(source) {
                missingAlt.append(source)
            }
            return FeedEntry(
                id: id, title: title, link: link, published: published, updated: updated, firstSeen: nil,
                author: author.flatMap(trimmedNonEmpty), summaryHTML: summary.html, contentHTML: content.html,
                language: language.flatMap(trimmedNonEmpty), imagesWithoutAlt: missingAlt,
                categories: categories.map(plainText).filter { !$0.isEmpty })
        }
    }

    /// An entry's address, if it is one a reader can follow: absolute http or https.
    static func postLink(_ raw: String?, against base: URL?) -> String? {
        guard let raw, let link = SafeURL.resolve(raw, against: base),
            link.hasPrefix("http://") || link.hasPrefix("https://")
        else { return nil }
        return link
    }

    /// Text for a title or a name: no control characters, whitespace collapsed.
    static func plainText(_ text: String) -> String {
        HTMLSanitiser.collapsingWhitespace(HTMLSanitiser.removingForbiddenCharacters(text))
    }

    /// Plain text as HTML: escaped, paragraphs kept.
    static func textAsHTML(_ text: String) -> SanitisedHTML {
        let paragraphs = text.components(separatedBy: "\n\n").compactMap(trimmedNonEmpty)
        let html = paragraphs.count > 1
            ? paragraphs.map { "<p>" + HTML.escape(HTMLSanitiser.removingForbiddenCharacters($0)) + "</p>" }.joined()
            : HTML.escape(HTMLSanitiser.removingForbiddenCharacters(paragraphs.first ?? ""))
        return SanitisedHTML(html: html)
    }
}
