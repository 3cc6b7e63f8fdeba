import Foundation

/// Replaces several literal strings in one pass over the UTF-8 bytes. Foundation's
/// `replacingOccurrences` on Linux goes through UTF-16 and was the largest cost of a build.
struct TextRewriter: Sendable {
    private let patterns: [[UInt8]]
    private let replacements: [[UInt8]]
    /// Indices of patterns by first byte; the first pattern that matches wins, so list longer ones first.
    private let byFirstByte: [[Int]]
    /// Whether a byte can start a pattern: bytes that cannot are copied in runs, not one by one.
    private let starts: [Bool]

    init(_ pairs: [(String, String)]) {
        patterns = pairs.map { Array($0.0.utf8) }
        replacements = pairs.map { Array($0.1.utf8) }
        var table = Array(repeating: [Int](), count: 256)
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty { table[Int(pattern[0])].append(index) }
        byFirstByte = table
        starts = table.map { !$0.isEmpty }
    }

    /// The text itself, without a copy, when no byte of it can start a pattern (most titles and
    /// addresses, for the HTML escaper).
    func apply(to text: String) -> String {
        var text = text
        return starts.withUnsafeBufferPointer { starts in
            text.withUTF8 { bytes -> String? in
                var output: [UInt8] = []
                var copied = 0
                var i = 0
                scanning: while i < bytes.count {
                    guard starts[Int(bytes[i])] else {
                        i += 1
                        continue
                    }
                    for index in byFirstByte[Int(bytes[i])] {
                        let pattern = patterns[index]
                        guard i + pattern.count <= bytes.count,
                            pattern.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress! + i, $0.count) == 0 })
                        else { continue }
                        if output.isEmpty { output.reserveCapacity(bytes.count + bytes.count / 16) }
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                        output.append(contentsOf: replacements[index])
                        i += pattern.count
                        copied = i
                        continue scanning
                    }
                    i += 1
                }
                guard copied > 0 else { return nil }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
                return String(decoding: output, as: UTF8.self)
            }
        } ?? text
    }
}
