/// Finds, before TOMLKit is called, the TOML that would abort the whole process (a build, or
/// `serve` with it) instead of failing to parse. toml++, the C++ parser inside TOMLKit, checks
/// some of its guesses with `assert`, and fuzzing found three that input can break:
///
/// - a table header whose `[` or `[[` is followed by anything but a key or `]`: a `[` alone
///   at the end of a line, `[?blog]`;
/// - a bare value it takes for a date and time but that is not one: `2025-01-15T&9:30:00`.
///   toml++ picks the kind of a value from the characters in it, so every bare value (not a
///   string, array or inline table) is checked here against TOML's grammar;
/// - a `}` where an array's next value should be: `tags = [ }`.
///
/// toml++ stops at its first error, so only what it would reach matters, and this follows
/// TOML's structure only as far as a valid document goes: strings (which may span lines),
/// comments, and the brackets of arrays and inline tables (which may span lines too), so that
/// headers are found at the start of statements and values after `=` and in arrays.
enum TOMLGuard {
    struct Problem: Equatable {
        var message: String
        /// From 1; the column counts Unicode scalars.
        var line: Int
        var column: Int
    }

    static func firstProblem(in text: String) -> Problem? {
        var scanner = Scanner(Array(text.utf8))
        return scanner.firstProblem()
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
        /// The open `[` of arrays and `{` of inline tables, innermost last; a line that starts
        /// inside them is not a statement.
        var containers: [UInt8] = []
        /// At the start of a statement, before anything but spaces and tabs.
        var atStatement = true
        /// Inside a header's brackets, which are not an array's.
        var inHeader = false
        /// After `=`, or after `[` or `,` in an array.
        var expectingValue = false

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            // toml++ skips a byte-order mark, so a header can follow it.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            lineStart = index
        }

        mutating func firstProblem() -> Problem? {
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
                    if let problem = readInCode(byte) { return problem }
                }
            }
            return nil
        }

        /// One byte outside strings and comments.
        private mutating func readInCode(_ byte: UInt8) -> Problem? {
            if atStatement, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                atStatement = false
                if byte == UInt8(ascii: "["), let keyStart = keylessHeader() {
                    return problem("a table header needs a name after its `[`, such as [blog]", at: keyStart)
                }
                inHeader = byte == UInt8(ascii: "[")
            }
            guard expectingValue, !isSpace(byte) else {
                readStructure(byte)
                return nil
            }
            if byte == UInt8(ascii: "}"), containers.last == UInt8(ascii: "[") {
                return problem("an array is closed with `]`, not `}`", at: index)
            }
            guard !Self.opensNonBareValue.contains(byte) else {
                readStructure(byte)
                return nil
            }
            expectingValue = false
            return checkBareValue()
        }

        /// What may follow `=` without being a bare value, or is toml++'s to report there.
        private static let opensNonBareValue: Set<UInt8> = Set("\"'[{]},#=".utf8)

        private func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
        }

        private mutating func newLine() {
            index += 1
            line += 1
            lineStart = index
            switch mode {
            case .comment, .string(_, multiline: false): mode = .code
            default: break
            }
            if case .code = mode, containers.isEmpty {
                atStatement = true
                inHeader = false
                expectingValue = false
            }
        }

        /// Comments, strings, brackets, and where values are expected.
        private mutating func readStructure(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "#"): mode = .comment
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                expectingValue = false
                let multiline = bytes[index...].starts(with: [byte, byte, byte])
                mode = .string(quote: byte, multiline: multiline)
                index += multiline ? 2 : 0
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                guard !inHeader else { break }
                containers.append(byte)
                expectingValue = byte == UInt8(ascii: "[")
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard !inHeader else { break }
                _ = containers.popLast()
                expectingValue = false
            case UInt8(ascii: "="):
                expectingValue = !inHeader && (containers.isEmpty || containers.last == UInt8(ascii: "{"))
            case UInt8(ascii: ","):
                expectingValue = containers.last == UInt8(ascii: "[")
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
            return TOMLValueGrammar.isBareKeyByte(byte) || Set("\"']".utf8).contains(byte) ? nil : next
        }

        private func skipSpaces(_ next: inout Int) -> Bool {
            let start = next
            while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") { next += 1 }
            return next > start
        }

        /// The bare value at `index`, read as far as toml++ reads one (to a space, line break,
        /// `,`, `]`, `}` or `#`), and on past one space when a date is followed by a time.
        private mutating func checkBareValue() -> Problem? {
            let start = index
            skipToValueEnd()
            if TOMLValueGrammar.isDate(bytes[start..<index]), index + 1 < bytes.count, bytes[index] == UInt8(ascii: " "),
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1])
            {
                index += 1
                skipToValueEnd()
            }
            let value = bytes[start..<index]
            guard !TOMLValueGrammar.isBareValue(value) else { return nil }
            return problem("\(String(decoding: value, as: UTF8.self)) is not a TOML value; put text in quotes", at: start)
        }

        private mutating func skipToValueEnd() {
            let ends = Set(" \t\r\n,]}#".utf8)
            while index < bytes.count, !ends.contains(bytes[index]) { index += 1 }
        }

        private func problem(_ message: String, at byteIndex: Int) -> Problem {
            // Continuation bytes of UTF-8 (10xxxxxx) do not start a scalar.
            let scalars = bytes[lineStart..<byteIndex].count { $0 & 0xC0 != 0x80 }
            return Problem(message: message, line: line, column: scalars + 1)
        }
    }
}

/// TOML 1.0's bare values: booleans, integers, floats, and dates and times
/// (https://toml.io/en/v1.0.0).
enum TOMLValueGrammar {
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isBareValue(_ value: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: value, as: UTF8.self)
        return ["true", "false", "inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(text)
            || isInteger(value) || isFloat(value) || isDateTime(value)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// Digits with single underscores between them: `1_000`.
    private static func isDigits(_ part: ArraySlice<UInt8>, _ isDigit: (UInt8) -> Bool = isDigit) -> Bool {
        guard let first = part.first, let last = part.last, isDigit(first), isDigit(last) else { return false }
        return zip(part, part.dropFirst()).allSatisfy { a, b in
            (isDigit(a) || a == UInt8(ascii: "_")) && (isDigit(b) || b == UInt8(ascii: "_")) && !(a == b && a == UInt8(ascii: "_"))
        }
    }

    /// A decimal integer has no leading zero; hexadecimal, octal and binary ones have no sign.
    private static func isInteger(_ value: ArraySlice<UInt8>) -> Bool {
        for (prefix, digit) in [("0x", isHexDigit), ("0o", { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }),
            ("0b", { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") })] as [(String, (UInt8) -> Bool)]
        where value.starts(with: prefix.utf8) {
            return isDigits(value.dropFirst(2), digit)
        }
        return isDecimal(unsigned(value))
    }

    private static func unsigned(_ value: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        value.first == UInt8(ascii: "+") || value.first == UInt8(ascii: "-") ? value.dropFirst() : value
    }

    private static func isDecimal(_ digits: ArraySlice<UInt8>) -> Bool {
        isDigits(digits) && (digits.first != UInt8(ascii: "0") || digits.count == 1)
    }

    /// An integer part, then a fraction, an exponent or both.
    private static func isFloat(_ value: ArraySlice<UInt8>) -> Bool {
        let unsigned = unsigned(value)
        let exponentStart = unsigned.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = unsigned[..<(exponentStart ?? unsigned.endIndex)]
        let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
        guard isDecimal(mantissa[..<(dot ?? mantissa.endIndex)]) else { return false }
        if let dot, !isDigits(mantissa[(dot + 1)...]) { return false }
        if let exponentStart {
            return isDigits(Self.unsigned(unsigned[(exponentStart + 1)...]))
        }
        return dot != nil
    }

    /// `1979-05-27`
    static func isDate(_ value: ArraySlice<UInt8>) -> Bool {
        matches(value, "dddd-dd-dd")
    }

    /// A local date, a local time, or a date and time, local or with an offset.
    private static func isDateTime(_ value: ArraySlice<UInt8>) -> Bool {
        if isDate(value) || isTime(value) { return true }
        guard value.count > 11, isDate(value.prefix(10)), Set("Tt ".utf8).contains(value[value.startIndex + 10]) else {
            return false
        }
        var time = value.dropFirst(11)
        if let last = time.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count > 6, matches(time.suffix(6).dropFirst(), "dd:dd"),
            [UInt8(ascii: "+"), UInt8(ascii: "-")].contains(time[time.endIndex - 6])
        {
            time = time.dropLast(6)
        }
        return isTime(time)
    }

    /// `07:32:00`, with an optional fraction of a second: `07:32:00.999`.
    private static func isTime(_ value: ArraySlice<UInt8>) -> Bool {
        guard value.count >= 8, matches(value.prefix(8), "dd:dd:dd") else { return false }
        let fraction = value.dropFirst(8)
        return fraction.isEmpty || (fraction.first == UInt8(ascii: ".") && fraction.count > 1 && fraction.dropFirst().allSatisfy(isDigit))
    }

    /// `pattern`'s `d` stands for a digit; every other character for itself.
    private static func matches(_ value: ArraySlice<UInt8>, _ pattern: String) -> Bool {
        value.count == pattern.utf8.count
            && zip(value, pattern.utf8).allSatisfy { byte, expected in
                expected == UInt8(ascii: "d") ? isDigit(byte) : byte == expected
            }
    }
}
