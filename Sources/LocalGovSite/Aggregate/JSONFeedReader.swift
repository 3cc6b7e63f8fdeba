import Foundation

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
enum JSONFeedReader {
    private struct Document: Decodable {
        var version: String?
        var title: String?
        var home_page_url: String?
        var language: String?
        /// 1.1 has `authors`; 1.0 had one `author`.
        var authors: [Author]?
        var author: Author?
        var items: [Item]?
    }

    private struct Author: Decodable {
        var name: String?
    }

    private struct Item: Decodable {
        var id: FlexibleID?
        var url: String?
        var external_url: String?
        var title: String?
        var content_html: String?
        var content_text: String?
        var summary: String?
        var date_published: String?
        var date_modified: String?
        var authors: [Author]?
        var author: Author?
        var language: String?
        var tags: Tags?
    }

    /// `tags` are only for moderation, so a malformed list is dropped rather than failing the feed.
    private struct Tags: Decodable {
        var values: [String]

        init(from decoder: Decoder) throws {
            values = (try? decoder.singleValueContainer().decode([String].self)) ?? []
        }
    }

    /// The specification says `id` is a string; some generators write a number.
    private struct FlexibleID: Decodable {
        var value: String

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                value = text
            } else if let number = try? container.decode(Int.self) {
                value = String(number)
            } else {
                value = String(try container.decode(Double.self))
            }
        }
    }

    static func read(_ data: Data, feedURL: URL, name: String) throws(FeedError) -> ParsedFeed {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw .malformedJSON(feed: name, message: "\(path.isEmpty ? "the document" : String(path.dropFirst())) has the wrong type")
        } catch {
            throw .malformedJSON(feed: name, message: "it is not valid JSON")
        }
        guard let version = document.version, version.hasPrefix("https://jsonfeed.org/version/") else {
            throw .notAFeed(feed: name, found: "JSON without a JSON Feed `version`")
        }
        let number = String(version.dropFirst("https://jsonfeed.org/version/".count))
        guard number == "1" || number.hasPrefix("1.") else {
            throw .unsupported(feed: name, format: "JSON Feed version \(number)")
        }
        let homeLink = FeedParser.postLink(document.home_page_url, against: feedURL)
        let feedAuthor = (document.authors?.first ?? document.author)?.name
        let language = document.language.flatMap(trimmedNonEmpty)
        let entries = (document.items ?? []).compactMap { item -> FeedEntry? in
            let link = FeedParser.postLink(item.url ?? item.external_url, against: feedURL)
            let base = link.flatMap(URL.init(string:)) ?? homeLink.flatMap(URL.init(string:)) ?? feedURL
            let content =
                item.content_html.map { HTMLSanitiser.sanitise(html: $0, base: base) }
                ?? item.content_text.map(FeedParser.textAsHTML)
            return FeedParser.RawEntry(
                id: item.id?.value, title: item.title.map(FeedParser.plainText) ?? "", link: link,
                published: item.date_published.flatMap(FeedDate.parse), updated: item.date_modified.flatMap(FeedDate.parse),
                author: (item.authors?.first ?? item.author)?.name.map(FeedParser.plainText) ?? feedAuthor.map(FeedParser.plainText),
                summary: item.summary.map(FeedParser.textAsHTML), content: content, language: item.language ?? language,
                categories: item.tags?.values ?? []
            ).entry()
        }
        return ParsedFeed(
            dialect: .jsonFeed(version: number), title: document.title.map(FeedParser.plainText) ?? "", homeLink: homeLink,
            language: language, entries: entries)
    }
}
