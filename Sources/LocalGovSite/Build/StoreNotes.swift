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

    func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        try list.encode(tool)
        var packed = PackedValues()
        packed.append(texts.count)
        for path in texts.keys.sorted() {
            packed.append(path)
            packed.append(texts[path]!.version)
            packed.append(texts[path]!.digest)
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
        let files = try count()
        texts.reserveCapacity(files)
        for _ in 0..<files {
            let path = try packed.text()
            texts[path] = BuildStore.TextRecord(version: try packed.version(), digest: try packed.fingerprint())
        }
        for check in BuildStore.Check.allCases {
            foundNothing[check] = Set(try (0..<count()).map { _ in try packed.fingerprint() })
        }
    }
}
