import Crypto
import Foundation

/// A digest of what a page or a parse is made from: 256 bits of SHA-256, the same in every
/// process and on every machine, so a build can find work a build before it kept on disk.
/// Swift's `Hasher` cannot do this: it is seeded afresh in every process.
public struct Fingerprint: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 bytes as four words, each read most significant byte first, so that comparing
    /// the words in order compares the bytes. Held inline: an array of bytes was a heap
    /// allocation for every digest, and a retain for every copy of one.
    fileprivate let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ digest: SHA256.Digest) {
        words = digest.withUnsafeBytes { raw in
            func word(_ index: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)) }
            return (word(0), word(1), word(2), word(3))
        }
    }

    /// The SHA-256 of `bytes` themselves: a file's content, an imported body.
    static func sha256(of bytes: some DataProtocol) -> Fingerprint { Fingerprint(SHA256.hash(data: bytes)) }

    /// The 32 bytes in order, handed to `body`.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var ordered = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return withUnsafeBytes(of: &ordered) { body($0.bindMemory(to: UInt8.self)) }
    }

    /// 64 lowercase hex digits: the name of a file in the cache.
    public var description: String {
        withBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
                let digits = Array("0123456789abcdef".utf8)
                for (index, byte) in bytes.enumerated() {
                    buffer[2 * index] = digits[Int(byte >> 4)]
                    buffer[2 * index + 1] = digits[Int(byte & 0x0f)]
                }
                return bytes.count * 2
            }
        }
    }

    /// The fingerprint `description` writes as these digits; nil for anything else.
    init?(hex digits: some Swift.Collection<UInt8>) {
        guard digits.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var word: UInt64 = 0
        for (index, digit) in digits.enumerated() {
            let value: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
            default: return nil
            }
            word = word << 4 | UInt64(value)
            if index % 16 == 15 {
                withUnsafeMutableBytes(of: &words) { $0.storeBytes(of: word, toByteOffset: 8 * (index / 16), as: UInt64.self) }
                word = 0
            }
        }
        self.words = words
    }

    init?(hex name: String) { self.init(hex: name.utf8) }

    public static func == (a: Fingerprint, b: Fingerprint) -> Bool { a.words == b.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    public static func < (a: Fingerprint, b: Fingerprint) -> Bool { a.words < b.words }
}

/// As its four words: a stored parse keeps its body's fingerprint, and the store's notes their digests.
extension PackedValues {
    mutating func append(_ fingerprint: Fingerprint) {
        for word in [fingerprint.words.0, fingerprint.words.1, fingerprint.words.2, fingerprint.words.3] {
            append(Int(truncatingIfNeeded: word))
        }
    }
}

extension PackedValues.Reader {
    mutating func fingerprint() throws -> Fingerprint {
        func word() throws -> UInt64 { UInt64(truncatingIfNeeded: try number()) }
        return Fingerprint(words: (try word(), try word(), try word(), try word()))
    }
}

extension Fingerprint {
    fileprivate init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }
}

/// Feeds values to SHA-256 with a tag and a length before each, so that no two different
/// sequences of values give the same bytes ("ab", "c" and "a", "bc" differ).
struct StableHasher {
    private var sha = SHA256()
    /// Small values are gathered and handed to SHA-256 in blocks: one call per value cost more
    /// than the hashing itself.
    private var pending: [UInt8] = []

    init() { pending.reserveCapacity(Self.block) }

    private static let block = 4096

    mutating func combine(_ text: String) {
        var text = text
        tag(0, count: text.utf8.count)
        text.withUTF8 { append($0) }
    }

    mutating func combine(_ text: String?) {
        if let text { combine(text) } else { tag(7, count: 0) }
    }

    mutating func combine(_ number: Int) { tag(1, count: number) }

    mutating func combine(_ flag: Bool) { tag(2, count: flag ? 1 : 0) }

    mutating func combine(_ number: Double) { tag(3, count: Int(bitPattern: UInt(number.bitPattern))) }

    mutating func combine(_ fingerprint: Fingerprint) {
        fingerprint.withBytes { bytes in
            tag(4, count: bytes.count)
            append(bytes)
        }
    }

    mutating func combine(_ fingerprint: Fingerprint?) {
        if let fingerprint { combine(fingerprint) } else { tag(7, count: 0) }
    }

    /// Starts a list of `count` values, which the caller combines next.
    mutating func combine(listOf count: Int) { tag(10, count: count) }

    mutating func combine<Value: StablyHashed>(_ values: [Value]) {
        combine(listOf: values.count)
        for value in values { value.combine(into: &self) }
    }

    mutating func combine<Value: StablyHashed>(_ value: Value?) {
        if let value {
            tag(11, count: 1)
            value.combine(into: &self)
        } else {
            tag(7, count: 0)
        }
    }

    mutating func combine(_ texts: [String]) {
        tag(5, count: texts.count)
        for text in texts { combine(text) }
    }

    /// Any value, by its structure: each stored property in order, named; the entries of a
    /// dictionary or a set in an order of their own digests, since the order Swift keeps them
    /// in changes from process to process.
    mutating func combine(reflecting value: Any) {
        if let value = value as? any StablyHashed {
            value.combine(into: &self)
            return
        }
        switch value {
        case let text as String: combine(text)
        case let number as Int: combine(number)
        case let flag as Bool: combine(flag)
        case let number as Double: combine(number)
        case let fingerprint as Fingerprint: combine(fingerprint)
        case let date as Date: combine(date.timeIntervalSinceReferenceDate)
        case let url as URL: combine(url.absoluteString)
        case let zone as TimeZone: combine(zone.identifier)
        case let data as Data:
            tag(6, count: data.count)
            data.withUnsafeBytes { append($0.bindMemory(to: UInt8.self)) }
        default:
            let mirror = Mirror(reflecting: value)
            combine(String(reflecting: type(of: value)))
            switch mirror.displayStyle {
            case .dictionary?, .set?:
                let entries = mirror.children.map { entry in
                    var hasher = StableHasher()
                    hasher.combine(reflecting: entry.value)
                    return hasher.finalize()
                }
                tag(8, count: entries.count)
                for entry in entries.sorted() { combine(entry) }
            case .enum? where mirror.children.isEmpty:
                combine(String(describing: value))
            default:
                if mirror.children.isEmpty, mirror.displayStyle == nil {
                    // A leaf this does not know (UInt8, Float, a C type): its description is its value.
                    combine(String(describing: value))
                }
                tag(9, count: mirror.children.count)
                for child in mirror.children {
                    combine(child.label)
                    combine(reflecting: child.value)
                }
            }
        }
    }

    func finalize() -> Fingerprint {
        var sha = sha
        pending.withUnsafeBytes { sha.update(bufferPointer: $0) }
        return Fingerprint(sha.finalize())
    }

    private mutating func tag(_ kind: UInt8, count: Int) {
        pending.append(kind)
        withUnsafeBytes(of: UInt64(bitPattern: Int64(count)).littleEndian) { pending.append(contentsOf: $0) }
        if pending.count >= Self.block { flush() }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count >= Self.block {
            flush()
            sha.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return
        }
        pending.append(contentsOf: bytes)
        if pending.count >= Self.block { flush() }
    }

    private mutating func flush() {
        pending.withUnsafeBytes { sha.update(bufferPointer: $0) }
        pending.removeAll(keepingCapacity: true)
    }
}

/// A type whose digest is written out by hand, for the values a build digests by the thousand:
/// `Mirror` took most of a cold build's digesting time. `StableHasherTests` checks each list
/// of properties against the type, so that a property added later cannot be left out.
protocol StablyHashed {
    func combine(into hasher: inout StableHasher)
}

extension Post: StablyHashed {
    func combine(into hasher: inout StableHasher) {
        hasher.combine([source, slug, path, title, summary])
        hasher.combine(language)
        hasher.combine(importedUnedited)
        hasher.combine(draft)
        hasher.combine(aliases)
        date.combine(into: &hasher)
        hasher.combine(updated)
        hasher.combine(image)
        hasher.combine(authors)
        hasher.combine(tags)
        body.combine(into: &hasher)
        // Most posts have no other fields; `Mirror` on an empty list still costs a lookup per post.
        if extra.isEmpty { hasher.combine(listOf: 0) } else { hasher.combine(reflecting: extra) }
    }
}

extension YearArchive: StablyHashed {
    func combine(into hasher: inout StableHasher) {
        hasher.combine(year)
        hasher.combine(listOf: posts.count)
        for index in posts { hasher.combine(index) }
    }
}

extension RenderedMarkdown: StablyHashed {
    func combine(into hasher: inout StableHasher) { hasher.combine(fingerprint) }
}

extension SourceLocation: StablyHashed {
    func combine(into hasher: inout StableHasher) {
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(column)
    }
}

extension MarkdownOptions: StablyHashed {
    func combine(into hasher: inout StableHasher) {
        hasher.combine(unsafeHTML)
        hasher.combine(smartPunctuation)
        hasher.combine(reservedIDs.sorted())
    }
}

extension Alias: StablyHashed {
    func combine(into hasher: inout StableHasher) {
        hasher.combine(written)
        hasher.combine(page)
        location.combine(into: &hasher)
    }
}

extension ShareImage: StablyHashed {
    func combine(into hasher: inout StableHasher) {
        hasher.combine([source, alt])
        location.combine(into: &hasher)
    }
}

extension TermRef: StablyHashed {
    func combine(into hasher: inout StableHasher) { hasher.combine([name, slug]) }
}

extension ContentDate: StablyHashed {
    func combine(into hasher: inout StableHasher) {
        hasher.combine(instant.timeIntervalSinceReferenceDate)
        hasher.combine(year)
        hasher.combine(month)
        hasher.combine(day)
    }
}
