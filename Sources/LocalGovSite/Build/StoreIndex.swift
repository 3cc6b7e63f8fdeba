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

    static func decode(_ data: Data, tool: String) -> Reading {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix(header) else {
            // An index of another format names its tool after the same words, if it has them.
            if let first = lines.first, first.hasPrefix("localgov build cache "), let tab = first.firstIndex(of: "\t") {
                return .foreign(madeBy: unescaped(first[first.index(after: tab)...]))
            }
            return .unreadable
        }
        let madeBy = unescaped(first.dropFirst(header.count))
        guard madeBy == tool else { return .foreign(madeBy: madeBy) }
        var shelves: [BuildStore.Shelf: [String: BuildStore.Entry]] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 7, let shelf = BuildStore.Shelf(rawValue: String(fields[0])), let size = Int(fields[2]) else {
                return .unreadable
            }
            var stamp: BuildStore.FileStamp?
            if fields[4] != "-" || fields[5] != "-" {
                guard let inode = UInt64(fields[4]), let modified = Int64(fields[5]) else { return .unreadable }
                stamp = BuildStore.FileStamp(inode: inode, modified: modified)
            }
            shelves[shelf, default: [:]][String(fields[1])] = BuildStore.Entry(
                origin: unescaped(fields[6]), size: size, sha256: String(fields[3]), stamp: stamp)
        }
        return .entries(shelves)
    }

    private static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" }) else { return text }
        return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func unescaped(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "t" ? "\t" : character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
