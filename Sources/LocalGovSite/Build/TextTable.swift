import Foundation

/// `texts` in the build store, in `BinaryCoding`'s form: the tool that wrote it, then each
/// content file's path, version and text digest in one flat list, in path order. A keyed
/// container for each of 10,000 files would cost the decoder more than reading the files.
struct TextTable: Codable {
    static let fileName = "texts"

    var tool: String
    var records: [String: BuildStore.TextRecord]

    init(tool: String, records: [String: BuildStore.TextRecord]) {
        self.tool = tool
        self.records = records
    }

    func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        try list.encode(tool)
        try list.encode(records.count)
        for path in records.keys.sorted() {
            let record = records[path]!
            let version = record.version
            try list.encode(path)
            for number in [version.modified.tv_sec, version.modified.tv_nsec, version.changed.tv_sec, version.changed.tv_nsec] {
                try list.encode(Int(number))
            }
            try list.encode(version.size)
            try list.encode(record.digest)
        }
    }

    init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        func number() throws -> Int { try list.decode(Int.self) }
        func time() throws -> timespec { timespec(tv_sec: try number(), tv_nsec: try number()) }
        tool = try list.decode(String.self)
        let count = try number()
        guard count >= 0 else { throw DecodingError.dataCorruptedError(in: list, debugDescription: "a negative count") }
        records = [:]
        records.reserveCapacity(count)
        for _ in 0..<count {
            let path = try list.decode(String.self)
            let version = FileVersion(modified: try time(), changed: try time(), size: try number())
            records[path] = BuildStore.TextRecord(version: version, digest: try list.decode(Fingerprint.self))
        }
    }
}
