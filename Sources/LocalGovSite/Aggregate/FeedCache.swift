import Foundation

/// What `feeds fetch` knows about one member's feed: enough to make the next request
/// conditional, to keep undated entries in place, and to tell maintainers what went wrong.
/// Stored as `<slug>.json` beside the feed's body, `<slug>.feed`, in the cache folder.
public struct FeedCacheRecord: Codable, Sendable, Hashable {
    /// The address in `members.toml` this record is for; a record for another address is stale.
    public var feed: String
    public var etag: String?
    public var lastModified: String?
    /// When the body in the cache was downloaded or last confirmed unchanged: the parser's "now".
    public var fetchedAt: Date?
    public var lastAttempt: Date?
    /// The last 200 or 304.
    public var lastSuccess: Date?
    public var lastError: String?
    /// The server answered 410 Gone: the feed is not fetched again until `members.toml` changes it.
    public var gone = false
    /// Where a permanent redirect (301 or 308) pointed, for maintainers to put in `members.toml`.
    public var movedTo: String?
    /// A 429 or 503 asked for no request before this time.
    public var retryAfter: Date?
    /// When each undated entry (by id) was first seen, so it keeps its place in the river.
    public var firstSeen: [String: Date] = [:]

    public init(feed: String) {
        self.feed = feed
    }

    /// Keys missing from an older or hand-edited record take their defaults.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        feed = try values.decode(String.self, forKey: .feed)
        etag = try values.decodeIfPresent(String.self, forKey: .etag)
        lastModified = try values.decodeIfPresent(String.self, forKey: .lastModified)
        fetchedAt = try values.decodeIfPresent(Date.self, forKey: .fetchedAt)
        lastAttempt = try values.decodeIfPresent(Date.self, forKey: .lastAttempt)
        lastSuccess = try values.decodeIfPresent(Date.self, forKey: .lastSuccess)
        lastError = try values.decodeIfPresent(String.self, forKey: .lastError)
        gone = try values.decodeIfPresent(Bool.self, forKey: .gone) ?? false
        movedTo = try values.decodeIfPresent(String.self, forKey: .movedTo)
        retryAfter = try values.decodeIfPresent(Date.self, forKey: .retryAfter)
        firstSeen = try values.decodeIfPresent([String: Date].self, forKey: .firstSeen) ?? [:]
    }

    public static func decode(_ data: Data) -> FeedCacheRecord? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(FeedCacheRecord.self, from: data)
    }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// Names of a member's files in the cache folder.
public enum FeedCacheLayout {
    public static func record(_ slug: String) -> String { "\(slug).json" }
    public static func body(_ slug: String) -> String { "\(slug).feed" }
}
