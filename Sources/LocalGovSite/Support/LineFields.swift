/// A cursor over the build cache's line formats: fields separated by tabs, records by newlines,
/// read byte by byte in one pass (as Swift strings, character by character, they took ten times
/// as long).
struct LineFields {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    /// Steps over `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// The bytes up to the next tab or newline, which stays unread.
    mutating func field() -> Slice<UnsafeBufferPointer<UInt8>> {
        let start = position
        while position < bytes.count, bytes[position] != Self.tab, bytes[position] != Self.newline { position += 1 }
        return bytes[start..<position]
    }

    /// The next field as text; nil when it is not UTF-8.
    mutating func text() -> String? {
        String(validating: UnsafeBufferPointer(rebasing: field()), as: UTF8.self)
    }

    /// The next field as a whole decimal number, negative only where `signed` (a time before
    /// 1970); nil for anything else, or a number that does not fit in 64 bits.
    mutating func number(signed: Bool = false) -> Int? {
        let field = field()
        let negative = signed && field.first == UInt8(ascii: "-")
        let digits = negative ? field.dropFirst() : field
        guard !digits.isEmpty else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            let (shifted, over) = value.multipliedReportingOverflow(by: 10)
            let (sum, overAgain) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !over, !overAgain else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}
