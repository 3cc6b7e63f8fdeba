/// Replaces several literal strings in one pass over the UTF-8 bytes. Foundation's
/// `replacingOccurrences` on Linux goes through UTF-16 and was the largest cost of a build.
struct TextRewriter: Sendable {
    private let patterns: [[UInt8]]
    private let replacements: [[UInt8]]
    /// Indices of patterns by first byte; the first pattern that matches wins, so list longer ones first.
    private let byFirstByte: [[Int]]

    init(_ pairs: [(String, String)]) {
        patterns = pairs.map { Array($0.0.utf8) }
        replacements = pairs.map { Array($0.1.utf8) }
        var table = Array(repeating: [Int](), count: 256)
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty { table[Int(pattern[0])].append(index) }
        byFirstByte = table
    }

    /// The text itself, without a copy, when no byte of it can start a pattern (most titles and
    /// addresses, for the HTML escaper).
    func apply(to text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let start = bytes.firstIndex(where: { !byFirstByte[Int($0)].isEmpty }) else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 16)
            output.append(contentsOf: bytes[..<start])
            var i = start
            var changed = false
            scanning: while i < bytes.count {
                for index in byFirstByte[Int(bytes[i])] {
                    let pattern = patterns[index]
                    guard i + pattern.count <= bytes.count else { continue }
                    var matches = true
                    for k in 1..<pattern.count where bytes[i + k] != pattern[k] {
                        matches = false
                        break
                    }
                    if matches {
                        output.append(contentsOf: replacements[index])
                        i += pattern.count
                        changed = true
                        continue scanning
                    }
                }
                output.append(bytes[i])
                i += 1
            }
            return changed ? String(decoding: output, as: UTF8.self) : nil
        } ?? text
    }
}
