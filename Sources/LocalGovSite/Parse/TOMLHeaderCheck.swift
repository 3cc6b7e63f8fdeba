/// toml++, the C++ parser inside TOMLKit, asserts, and so aborts the whole process (a build, or
/// `serve` with it), when a table header's `[` or `[[` is followed by anything but a key or `]`:
/// a `[` alone at the end of a line, `[?blog]`. Found by fuzzing; this finds the first such
/// header before toml++ is called, so it is reported as the syntax error it is.
///
/// Only headers toml++ would reach matter, and it stops at its first error, so this follows
/// TOML's lexical structure only as far as a valid document goes: a `[` is a header at the
/// start of a line outside strings (which may span lines) and outside the brackets of arrays
/// and inline tables (which may span lines too).
enum TOMLHeaderCheck {
    /// Line and column (in Unicode scalars, from 1) of the character where a header's key should start.
    static func firstHeaderWithoutKey(in text: String) -> (line: Int, column: Int)? {
        var scanner = Scanner(Array(text.utf8))
        return scanner.firstHeaderWithoutKey()
    }

    private enum Mode {
        case code, comment
        case string(quote: UInt8, multiline: Bool)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        var mode = Mode.code
        /// Open brackets and braces of values; a line that starts inside them is not a statement.
        var depth = 0
        /// At the start of a statement, before anything but spaces and tabs.
        var atStatement = true
        /// Inside a header's brackets, which are not a value's.
        var inHeader = false

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            // toml++ skips a byte-order mark, so a header can follow it.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            lineStart = index
        }

        mutating func firstHeaderWithoutKey() -> (line: Int, column: Int)? {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") {
                    newLine()
                    continue
                }
                switch mode {
                case .comment: index += 1
                case let .string(quote, multiline): skipInString(quote: quote, multiline: multiline)
                case .code:
                    if atStatement, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                        atStatement = false
                        if byte == UInt8(ascii: "["), let keyStart = keylessHeader() { return position(of: keyStart) }
                        inHeader = byte == UInt8(ascii: "[")
                    }
                    readCode(byte)
                }
            }
            return nil
        }

        private mutating func newLine() {
            index += 1
            line += 1
            lineStart = index
            switch mode {
            case .comment, .string(_, multiline: false): mode = .code
            default: break
            }
            if case .code = mode, depth == 0 {
                atStatement = true
                inHeader = false
            }
        }

        private mutating func readCode(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "#"): mode = .comment
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let multiline = bytes[index...].starts(with: [byte, byte, byte])
                mode = .string(quote: byte, multiline: multiline)
                index += multiline ? 2 : 0
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                if !inHeader { depth += 1 }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if !inHeader, depth > 0 { depth -= 1 }
            default: break
            }
            index += 1
        }

        /// A basic string (`"`) has escapes; a multi-line one ends at three or more quotes, the
        /// first one or two of which are part of the string.
        private mutating func skipInString(quote: UInt8, multiline: Bool) {
            let byte = bytes[index]
            if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
                bytes[index + 1] != UInt8(ascii: "\n")
            {
                index += 2
                return
            }
            index += 1
            guard byte == quote else { return }
            guard multiline else {
                mode = .code
                return
            }
            var run = 1
            while index < bytes.count, bytes[index] == quote {
                run += 1
                index += 1
            }
            if run >= 3 { mode = .code }
        }

        /// Where the key of the header starting at `index` should be, if toml++ would find
        /// something else there (and not the end, a `]`, or spaces before a second `[`, which it
        /// reports itself).
        private func keylessHeader() -> Int? {
            var next = index + 1
            let spaced = skipSpaces(&next)
            if next < bytes.count, bytes[next] == UInt8(ascii: "[") {
                // `[[` opens an array of tables; `[ [` is an error toml++ reports itself.
                guard !spaced else { return nil }
                next += 1
                _ = skipSpaces(&next)
            }
            guard next < bytes.count else { return nil }
            let byte = bytes[next]
            let startsKey =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]")].contains(byte)
            return startsKey ? nil : next
        }

        private func skipSpaces(_ next: inout Int) -> Bool {
            let start = next
            while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") { next += 1 }
            return next > start
        }

        private func position(of byteIndex: Int) -> (line: Int, column: Int) {
            // Continuation bytes of UTF-8 (10xxxxxx) do not start a scalar.
            let scalars = bytes[lineStart..<byteIndex].count { $0 & 0xC0 != 0x80 }
            return (line, scalars + 1)
        }
    }
}
