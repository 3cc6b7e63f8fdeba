import Foundation

/// `index.tsv` of the build store: what each file on each shelf holds. A line per entry, read at
/// the start of every build and written at its end; tens of thousands of entries as JSON took
/// half a second each way, all of it before and after the parallel stages.
///
///     localgov build cache 4<TAB>tool
///     shelf<TAB>key<TAB>size<TAB>sha256<TAB>inode<TAB>modified<TAB>origin
///
/// A missing stamp is `-`. The tool and the origins are escaped (`\\`, `\t`, `\n`), so that no
/// name breaks a line.
enum StoreIndex {
    static let fileName = "index.tsv"
    /// Bump when what the index holds, or how keys are made, changes.
    private static let header = "localgov build cache 4\t"

    enum Reading {
        case entries([BuildStore.Shelf: [Fingerprint: BuildStore.Entry]])
        case foreign(madeBy: String)
        case unreadable
    }

    /// Written as bytes, field by field: a line made as a list of strings and joined took most
    /// of the time to save the cache.
    static func encode(tool: String, shelves: [BuildStore.Shelf: [Fingerprint: BuildStore.Entry]]) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 * shelves.values.reduce(0) { $0 + $1.count })
        bytes += (header + escaped(tool) + "\n").utf8
        for shelf in BuildStore.Shelf.allCases {
            let entries = shelves[shelf] ?? [:]
            for key in entries.keys.sorted() {
                let entry = entries[key]!
                let stamp = entry.stamp.map { (String($0.inode), String($0.modified)) } ?? ("-", "-")
                for field in [shelf.rawValue, key.description, String(entry.size), entry.sha256.description, stamp.0, stamp.1] {
                    bytes += field.utf8
                    bytes.append(tabulator)
                }
                bytes += escaped(entry.origin).utf8
                bytes.append(newline)
            }
        }
        return Data(bytes)
    }

    /// Read byte by byte: splitting the text as Swift strings, by characters, took most of a
    /// second for 40,000 entries, all of it before the parallel stages start.
    static func decode(_ data: Data, tool: String) -> Reading {
        data.withUnsafeBytes { raw in
            var reader = LineFields(raw.bindMemory(to: UInt8.self))
            let format = reader.field()
            guard format.elementsEqual(header.utf8.dropLast()), reader.skip(tabulator) else {
                // An index of another format names its tool after the same words, if it has them.
                if format.starts(with: "localgov build cache ".utf8), reader.skip(tabulator) {
                    return .foreign(madeBy: unescaped(reader.field()))
                }
                return .unreadable
            }
            let madeBy = unescaped(reader.field())
            guard madeBy == tool else { return .foreign(madeBy: madeBy) }
            guard reader.skip(newline) else { return .unreadable }
            let dash = UInt8(ascii: "-")
            // Each shelf with room for every line the index could hold: growing them entry by
            // entry moved each a dozen times.
            let lines = raw.count / 150
            var shelves = Dictionary(
                uniqueKeysWithValues: BuildStore.Shelf.allCases.map { ($0, [Fingerprint: BuildStore.Entry](minimumCapacity: lines)) })
            while !reader.atEnd {
                guard let shelf = BuildStore.Shelf(rawValue: String(decoding: reader.field(), as: UTF8.self)), reader.skip(tabulator),
                    let key = Fingerprint(hex: reader.field()), reader.skip(tabulator), let size = reader.number(),
                    reader.skip(tabulator), let sha256 = Fingerprint(hex: reader.field()), reader.skip(tabulator)
                else { return .unreadable }
                var stamp: FileStamp?
                if reader.skip(dash) {
                    guard reader.skip(tabulator), reader.skip(dash) else { return .unreadable }
                } else {
                    guard let inode = reader.number(), reader.skip(tabulator), let modified = reader.number(signed: true)
                    else { return .unreadable }
                    stamp = FileStamp(inode: UInt64(inode), modified: Int64(modified))
                }
                guard reader.skip(tabulator) else { return .unreadable }
                let origin = unescaped(reader.field())
                guard reader.skip(newline) else { return .unreadable }
                shelves[shelf, default: [:]][key] = BuildStore.Entry(origin: origin, size: size, sha256: sha256, stamp: stamp)
            }
            return .entries(shelves.filter { !$0.value.isEmpty })
        }
    }

    private static let newline = LineFields.newline
    private static let tabulator = LineFields.tab
    private static let backslash = UInt8(ascii: "\\")

    /// By bytes, so that the newline of a CRLF pair (one `Character`) is escaped too.
    private static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == backslash || $0 == tabulator || $0 == newline }) else { return text }
        var result: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case backslash: result += [backslash, backslash]
            case tabulator: result += [backslash, UInt8(ascii: "t")]
            case newline: result += [backslash, UInt8(ascii: "n")]
            default: result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func unescaped(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        guard field.contains(backslash) else { return String(decoding: field, as: UTF8.self) }
        var result: [UInt8] = []
        var escaping = false
        for byte in field {
            if escaping {
                result.append(byte == UInt8(ascii: "t") ? tabulator : byte == UInt8(ascii: "n") ? newline : byte)
                escaping = false
            } else if byte == backslash {
                escaping = true
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
