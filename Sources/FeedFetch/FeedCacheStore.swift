import Foundation
import LocalGovSite

/// The feed cache on disk: `<slug>.feed` (the body as downloaded, decompressed) and
/// `<slug>.json` (a `FeedCacheRecord`). Each file is replaced atomically, the body first, so a
/// fetch stopped halfway leaves a record that still describes a complete body.
public struct FeedCacheStore: Sendable {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func record(for member: Member) -> FeedCacheRecord? {
        let url = folder.appendingPathComponent(FeedCacheLayout.record(member.slug))
        return (try? Data(contentsOf: url)).flatMap(FeedCacheRecord.decode)
    }

    public func body(for member: Member) -> Data? {
        try? Data(contentsOf: folder.appendingPathComponent(FeedCacheLayout.body(member.slug)))
    }

    public func save(_ record: FeedCacheRecord, body: Data?, for member: Member) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let body {
            try body.write(to: folder.appendingPathComponent(FeedCacheLayout.body(member.slug)), options: .atomic)
        }
        try record.encoded().write(to: folder.appendingPathComponent(FeedCacheLayout.record(member.slug)), options: .atomic)
    }
}
