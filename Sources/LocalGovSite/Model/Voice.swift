import Foundation

/// LocalGov Digital Voice as the site shows it: members, and their entries newest first.
public struct Voice: Sendable {
    /// `content/voice/_index.md`: the river's heading and what Voice is.
    public var intro: Page?
    public var members: [VoiceMember]
    /// Newest first; ties broken by member and id so order never depends on fetch order.
    public var entries: [VoiceEntry]
    /// The river's archive: indices into `entries` by the year (in the site's time zone) they
    /// were published, newest year first.
    public var years: [YearArchive] = []
}

public struct VoiceMember: Sendable {
    public var member: Member
    /// Indices into `Voice.entries`, newest first.
    public var entries: [Int]
    public var health: FeedHealth
    public var moderated = ModerationOutcome()
}

/// What a member's moderation kept off the river, for the feed health page.
public struct ModerationOutcome: Sendable, Hashable {
    /// Taken off by `hide`.
    public var hidden = 0
    /// Left out by `include_categories` or `exclude_categories`.
    public var filtered = 0
    /// Waiting for review, newest first.
    public var held: [FeedEntry] = []
}

public struct VoiceEntry: Sendable {
    public var entry: FeedEntry
    /// Index into `Voice.members`.
    public var member: Int
    /// Plain text, cut at a word boundary.
    public var excerpt: String
    public var date: Date
    /// The entry's language when it differs from the site's, for `lang` on its container.
    public var language: String?
}

/// The members and what was read of each one's feed: the Aggregate stage's output.
public struct VoiceFeedSet: Sendable {
    public var members: [Member]
    /// By member slug; a disabled member has none.
    public var feeds: [String: (ParsedFeed?, FeedHealth)]

    public init(members: [Member], feeds: [String: (ParsedFeed?, FeedHealth)]) {
        self.members = members
        self.feeds = feeds
    }
}

/// Where a member's entries came from and how their last fetch went: the status page's row.
public struct FeedHealth: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// From `feeds fetch`.
        case cache
        /// From the committed snapshot; never fetched here.
        case snapshot
        /// Nothing to show yet (or the member is disabled).
        case none
    }

    public var source: Source
    public var record: FeedCacheRecord?
    /// Why the cached or snapshot feed could not be read, if it could not.
    public var parseError: String?
    /// What was wrong with the feed and was repaired to read it.
    public var repairs: [String] = []
}

extension Voice {
    /// Members' entries merged into one river.
    static func make(
        intro: Page?, members: [Member], feeds: [String: (ParsedFeed?, FeedHealth)], siteLanguage: String,
        excerptLength: Int, timeZone: TimeZone
    ) -> Voice {
        var entries: [VoiceEntry] = []
        var outcomes = Array(repeating: ModerationOutcome(), count: members.count)
        for (index, member) in members.enumerated() {
            guard let (parsed, _) = feeds[member.slug], let parsed else { continue }
            let rules = member.moderation
            let hidden = Set(rules.hidden.map(\.entry))
            for entry in parsed.entries {
                guard let date = entry.date else { continue }
                if hidden.contains(entry.id) || entry.link.map(hidden.contains) == true {
                    outcomes[index].hidden += 1
                    continue
                }
                if (!rules.includeCategories.isEmpty && !Moderation.matches(entry.categories, any: rules.includeCategories))
                    || Moderation.matches(entry.categories, any: rules.excludeCategories)
                {
                    outcomes[index].filtered += 1
                    continue
                }
                if rules.review {
                    outcomes[index].held.append(entry)
                    continue
                }
                let language = (entry.language ?? parsed.language).flatMap(LanguageTag.valid)
                let text = HTMLSanitiser.proseText(html: entry.summaryHTML.isEmpty ? entry.contentHTML : entry.summaryHTML)
                entries.append(
                    VoiceEntry(
                        entry: entry, member: index, excerpt: Summary.of(text, limit: excerptLength), date: date,
                        language: language.flatMap { LanguageTag.same($0, siteLanguage) ? nil : $0 }))
            }
        }
        entries.sort {
            if $0.date != $1.date { return $0.date > $1.date }
            if $0.member != $1.member { return members[$0.member].slug < members[$1.member].slug }
            return $0.entry.id < $1.entry.id
        }
        var byMember = Array(repeating: [Int](), count: members.count)
        for (index, entry) in entries.enumerated() { byMember[entry.member].append(index) }
        let voiceMembers = members.enumerated().map { index, member in
            VoiceMember(
                member: member, entries: byMember[index],
                health: feeds[member.slug]?.1 ?? FeedHealth(source: .none, record: nil, parseError: nil),
                moderated: ModerationOutcome(
                    hidden: outcomes[index].hidden, filtered: outcomes[index].filtered,
                    held: outcomes[index].held.sorted { ($0.date ?? .distantPast, $1.id) > ($1.date ?? .distantPast, $0.id) }))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var byYear: [Int: [Int]] = [:]
        for (index, entry) in entries.enumerated() { byYear[calendar.component(.year, from: entry.date), default: []].append(index) }
        let years = byYear.map { YearArchive(year: $0.key, posts: $0.value) }.sorted { $0.year > $1.year }
        return Voice(intro: intro, members: voiceMembers, entries: entries, years: years)
    }
}

/// BCP 47 language tags as feeds give them (`en-gb`, `cy`, `en_GB`), checked before they go in
/// a `lang` attribute.
enum LanguageTag {
    static func valid(_ text: String) -> String? {
        let tag = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }),
            parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        else { return nil }
        return tag
    }

    static func same(_ a: String, _ b: String) -> Bool {
        a.lowercased() == b.lowercased()
    }

    /// `cy` of `cy-GB`, lowercased: what decides which language a reader hears.
    static func primary(_ tag: String) -> String {
        tag.split(separator: "-").first.map { $0.lowercased() } ?? ""
    }
}
