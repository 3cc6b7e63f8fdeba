import Foundation

/// `notes` in the build store: what it knows besides its shelves. Each content file's version
/// and the digest of its text when a build read it, and for each check the digests of the
/// inputs it found nothing in. In `BinaryCoding`'s form as one flat list: the tool that wrote
/// it, then the files in path order, then each check's digests in order. A keyed container for
/// each of 10,000 files would cost the decoder more than reading the files.
struct StoreNotes: Codable {
    static let fileName = "notes"

    var tool: String
    var texts: [String: BuildStore.TextRecord] = [:]
    var foundNothing: [BuildStore.Check: Set<Fingerprint>] = [:]

    init(tool: String, texts: [String: BuildStore.TextRecord], foundNothing: [BuildStore.Check: Set<Fingerprint>]) {
        self.tool = tool
        self.texts = texts
        self.foundNothing = foundNothing
    }

    /// The notes' bytes followed by their SHA-256: they are trusted only while the two agree.
    func checkedBytes() throws -> Data {
        let bytes = Data(try BinaryCoding.encode(self))
        return bytes + Fingerprint.sha256(of: bytes).withBytes { Data($0) }
    }

    /// Nil for bytes `checkedBytes` did not write, or that changed since.
    init?(checking data: Data) {
        guard data.count > 32 else { return nil }
        let bytes = data.dropLast(32)
        guard Fingerprint.sha256(of: bytes).withBytes({ Data($0) }) == data.suffix(32),
            let notes = try? BinaryCoding.decode(StoreNotes.self, from: bytes)
        else { return nil }
        self = notes
    }

    func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        try list.encode(tool)
        var packed = PackedValues()
        packed.append(texts.count)
        for path in texts.keys.sorted() {
            let record = texts[path]!
            let version = record.version
            packed.append(path)
            for number in [version.modified.tv_sec, version.modified.tv_nsec, version.changed.tv_sec, version.changed.tv_nsec] {
                packed.append(Int(number))
            }
            packed.append(version.size)
            packed.append(record.digest)
        }
        for check in BuildStore.Check.allCases {
            let digests = (foundNothing[check] ?? []).sorted()
            packed.append(digests.count)
            for digest in digests { packed.append(digest) }
        }
        try list.encode(packed)
    }

    init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        tool = try list.decode(String.self)
        var packed = PackedValues.Reader(try list.decode(PackedValues.self))
        func count() throws -> Int {
            let count = try packed.number()
            guard count >= 0 else { throw DecodingError.dataCorruptedError(in: list, debugDescription: "a negative count") }
            return count
        }
        func time() throws -> timespec { timespec(tv_sec: try packed.number(), tv_nsec: try packed.number()) }
        let files = try count()
        texts.reserveCapacity(files)
        for _ in 0..<files {
            let path = try packed.text()
            let version = FileVersion(modified: try time(), changed: try time(), size: try packed.number())
            texts[path] = BuildStore.TextRecord(version: version, digest: try packed.fingerprint())
        }
        for check in BuildStore.Check.allCases {
            foundNothing[check] = Set(try (0..<count()).map { _ in try packed.fingerprint() })
        }
    }
}
