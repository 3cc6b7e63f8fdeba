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
        case entries([BuildStore.Shelf: [String: BuildStore.Entry]])
        case foreign(madeBy: String)
        case unreadable
    }

    static func encode(tool: String, shelves: [BuildStore.Shelf: [String: BuildStore.Entry]]) -> Data {
        var text = header + escaped(tool) + "\n"
        for shelf in BuildStore.Shelf.allCases {
            let entries = shelves[shelf] ?? [:]
            for key in entries.keys.sorted() {
                let entry = entries[key]!
                let stamp = entry.stamp.map { [String($0.inode), String($0.modified)] } ?? ["-", "-"]
                text += ([shelf.rawValue, key, String(entry.size), entry.sha256] + stamp + [escaped(entry.origin)])
                    .joined(separator: "\t") + "\n"
            }
        }
        return Data(text.utf8)
    }

    /// Read byte by byte: splitting the text as Swift strings, by characters, took most of a
    /// second for 40,000 entries, all of it before the parallel stages start.
    static func decode(_ data: Data, tool: String) -> Reading {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let lines = bytes.split(separator: newline, omittingEmptySubsequences: false)
            guard let first = lines.first, first.starts(with: header.utf8) else {
                // An index of another format names its tool after the same words, if it has them.
                if let first = lines.first, first.starts(with: "localgov build cache ".utf8), let tab = first.firstIndex(of: tabulator) {
                    return .foreign(madeBy: unescaped(first[(tab + 1)...]))
                }
                return .unreadable
            }
            let madeBy = unescaped(first.dropFirst(header.utf8.count))
            guard madeBy == tool else { return .foreign(madeBy: madeBy) }
            var shelves: [BuildStore.Shelf: [String: BuildStore.Entry]] = [:]
            for line in lines.dropFirst() where !line.isEmpty {
                let fields = line.split(separator: tabulator, maxSplits: 6, omittingEmptySubsequences: false)
                guard fields.count == 7, let shelf = BuildStore.Shelf(rawValue: String(decoding: fields[0], as: UTF8.self)),
                    let size = number(fields[2]), size >= 0, !fields[6].contains(tabulator)
                else { return .unreadable }
                var stamp: BuildStore.FileStamp?
                if !fields[4].elementsEqual("-".utf8) || !fields[5].elementsEqual("-".utf8) {
                    guard let inode = number(fields[4]), inode >= 0, let modified = number(fields[5]) else { return .unreadable }
                    stamp = BuildStore.FileStamp(inode: UInt64(inode), modified: modified)
                }
                shelves[shelf, default: [:]][String(decoding: fields[1], as: UTF8.self)] = BuildStore.Entry(
                    origin: unescaped(fields[6]), size: Int(size), sha256: String(decoding: fields[3], as: UTF8.self), stamp: stamp)
            }
            return .entries(shelves)
        }
    }

    private static let newline = UInt8(ascii: "\n")
    private static let tabulator = UInt8(ascii: "\t")
    private static let backslash = UInt8(ascii: "\\")

    /// A whole decimal number, perhaps negative (a time before 1970), that fits in 64 bits, else nil.
    private static func number(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        let negative = field.first == UInt8(ascii: "-")
        let digits = negative ? field.dropFirst() : field
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            let (shifted, over) = value.multipliedReportingOverflow(by: 10)
            let (sum, overAgain) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !over, !overAgain else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

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
