import Foundation

/// A compact binary form for `Codable` values, for what the build cache keeps between builds.
///
/// Every value starts with a tag. A container gives its length in bytes and its number of
/// members after its tag, so a reader steps over a value without reading it, and a keyed
/// container's members are found in the order they were written at the cost of one key
/// comparison each. Strings are their UTF-8 bytes after their length: nothing is escaped.
/// Foundation's JSON decoder spent most of a warm build's parse stage building a dictionary for
/// every keyed container and unescaping text; this form asks for neither.
///
/// It is written in one pass, so an `Encodable` must finish a nested value before it writes to
/// the container holding it, as synthesised conformances do. One that does not (or asks for a
/// super-encoder) makes `encode` throw rather than write something unreadable.
enum BinaryCoding {
    fileprivate enum Tag: UInt8 {
        case null, no, yes, int, uint, double, string, keyed, unkeyed, packed
    }

    /// A container's tag is followed by its length and member count, four bytes each.
    fileprivate static let headerSize = 8
    /// Deeper nesting than any parse has is taken as damage, not followed.
    fileprivate static let maximumDepth = 256

    /// LEB128: seven bits a byte, least significant first, the high bit set on all but the last.
    fileprivate static func appendVarint(_ number: UInt64, to bytes: inout [UInt8]) {
        var rest = number
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The number that starts at `offset`, which moves past it; nil where it runs past the end.
    fileprivate static func varint(in bytes: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
        var number: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            number |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return number }
            shift += 7
        }
        return nil
    }

    /// Signed numbers as unsigned ones, small either side of zero staying small.
    fileprivate static func zigzag(_ number: Int64) -> UInt64 { UInt64(bitPattern: (number << 1) ^ (number >> 63)) }
    fileprivate static func unzigzag(_ number: UInt64) -> Int64 { Int64(bitPattern: number >> 1) ^ -Int64(bitPattern: number & 1) }

    /// `value`'s bytes followed by their SHA-256: for a file of the build's own notes, read back
    /// only while the two agree.
    static func checkedBytes(_ value: some Encodable) throws -> Data {
        let bytes = Data(try encode(value))
        return bytes + Fingerprint.sha256(of: bytes).withBytes { Data($0) }
    }

    /// The value `checkedBytes` wrote; nil for other bytes, or bytes changed since.
    static func decodeChecked<T: Decodable>(_ type: T.Type, from data: Data) -> T? {
        guard data.count > 32 else { return nil }
        let bytes = data.dropLast(32)
        guard Fingerprint.sha256(of: bytes).withBytes({ Data($0) }) == data.suffix(32) else { return nil }
        return try? decode(type, from: bytes)
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = BinaryWriter()
        try writer.value(value)
        return try writer.finish()
    }

    static func decode<T: Decodable>(
        _ type: T.Type, from bytes: some ContiguousBytes
    ) throws -> T {
        try bytes.withUnsafeBytes { raw in
            let reader = BinaryReader(bytes: raw)
            let value = try T(from: SlotDecoder(reader: reader, offset: 0, depth: 0))
            guard try reader.end(ofValueAt: 0) == raw.count else { throw reader.damaged("bytes after the value") }
            return value
        }
    }
}

// MARK: - Writing

private final class BinaryWriter {
    private(set) var bytes: [UInt8] = []
    /// The containers not yet closed, innermost last: where each header is, and the members
    /// written so far.
    private var open: [(header: Int, count: Int)] = []
    private var misuse: String?

    /// A container, by its place among the open ones and where its header is: it is
    /// `open[depth]` while it is open, and a later container at that depth has another header.
    struct Container {
        var depth: Int
        var header: Int
    }

    func finish() throws -> [UInt8] {
        while !open.isEmpty { close() }
        if let misuse { throw EncodingError.invalidValue(bytes.count, .init(codingPath: [], debugDescription: misuse)) }
        return bytes
    }

    func broke(_ problem: String) { misuse = misuse ?? problem }

    func begin(_ tag: BinaryCoding.Tag, inSlotAt slot: Int) -> Container {
        if bytes.count != slot { broke("a value asked for a second container, or wrote after its first") }
        bytes.append(tag.rawValue)
        bytes.append(contentsOf: repeatElement(0, count: BinaryCoding.headerSize))
        open.append((bytes.count - BinaryCoding.headerSize, 0))
        return Container(depth: open.count - 1, header: bytes.count - BinaryCoding.headerSize)
    }

    /// Makes `container` the innermost open one again, closing the values written inside it,
    /// and counts the member about to be written.
    func member(of container: Container) {
        guard container.depth < open.count, open[container.depth].header == container.header else {
            return broke("a container was written to after a value after it")
        }
        while open.count > container.depth + 1 { close() }
        open[container.depth].count += 1
    }

    func count(of container: Container) -> Int {
        container.depth < open.count && open[container.depth].header == container.header ? open[container.depth].count : 0
    }

    private func close() {
        let (header, count) = open.removeLast()
        let length = bytes.count - header - BinaryCoding.headerSize
        guard length <= UInt32.max, count <= UInt32.max else { return broke("a container over 4 GB") }
        for (offset, number) in [(0, length), (4, count)] {
            for byte in 0..<4 { bytes[header + offset + byte] = UInt8(truncatingIfNeeded: number >> (8 * byte)) }
        }
    }

    func tag(_ tag: BinaryCoding.Tag) { bytes.append(tag.rawValue) }

    func varint(_ number: UInt64) { BinaryCoding.appendVarint(number, to: &bytes) }

    func text(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    func int(_ number: Int64) {
        tag(.int)
        varint(BinaryCoding.zigzag(number))
    }

    func uint(_ number: UInt64) {
        tag(.uint)
        varint(number)
    }

    func string(_ string: String) {
        tag(.string)
        text(string)
    }

    func double(_ number: Double) {
        tag(.double)
        let bits = number.bitPattern
        for byte in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * byte))) }
    }

    func bool(_ value: Bool) { tag(value ? .yes : .no) }

    /// Writes any value in the slot that starts here; a value that writes nothing is an empty
    /// keyed container, as JSON's encoder makes it `{}`.
    func value(_ value: some Encodable) throws {
        if let packed = value as? PackedValues {
            tag(.packed)
            varint(UInt64(packed.bytes.count))
            bytes += packed.bytes
            return
        }
        let slot = bytes.count
        try value.encode(to: SlotEncoder(writer: self, slot: slot))
        if bytes.count == slot { _ = begin(.keyed, inSlotAt: slot) }
    }
}

private struct SlotEncoder: Encoder {
    let writer: BinaryWriter
    let slot: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedWriter(writer: writer, container: writer.begin(.keyed, inSlotAt: slot)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedWriter(writer: writer, container: writer.begin(.unkeyed, inSlotAt: slot))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueWriter(writer: writer, slot: slot) }
}

/// What the three kinds of container write for a value, once its place is set.
private protocol ValueWriting {
    var writer: BinaryWriter { get }
    /// Called before each value: counts a member and writes its key, if it has one, or checks
    /// that a single value's slot is still empty.
    func place(_ key: String?)
}

extension ValueWriting {
    func writeNil(_ key: String? = nil) { place(key); writer.tag(.null) }
    func write(_ value: Bool, _ key: String? = nil) { place(key); writer.bool(value) }
    func write(_ value: String, _ key: String? = nil) { place(key); writer.string(value) }
    func write(_ value: Double, _ key: String? = nil) { place(key); writer.double(value) }
    func write(_ value: Float, _ key: String? = nil) { place(key); writer.double(Double(value)) }
    func write(signed value: some FixedWidthInteger, _ key: String? = nil) { place(key); writer.int(Int64(value)) }
    func write(unsigned value: some FixedWidthInteger, _ key: String? = nil) { place(key); writer.uint(UInt64(value)) }
    func write(_ value: some Encodable, _ key: String? = nil) throws { place(key); try writer.value(value) }

    /// A nested container's slot: it starts where its key (or its place) ends.
    func nestedSlot(_ key: String? = nil) -> SlotEncoder {
        place(key)
        return SlotEncoder(writer: writer, slot: writer.bytes.count)
    }
}

private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol, ValueWriting {
    let writer: BinaryWriter
    let container: BinaryWriter.Container
    var codingPath: [any CodingKey] { [] }

    func place(_ key: String?) {
        writer.member(of: container)
        writer.text(key ?? "")
    }

    mutating func encodeNil(forKey key: Key) throws { writeNil(key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { write(value, key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) throws { write(value, key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws { write(value, key.stringValue) }
    mutating func encode(_ value: Float, forKey key: Key) throws { write(value, key.stringValue) }
    mutating func encode(_ value: Int, forKey key: Key) throws { write(signed: value, key.stringValue) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { write(signed: value, key.stringValue) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { write(signed: value, key.stringValue) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { write(signed: value, key.stringValue) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { write(signed: value, key.stringValue) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { write(unsigned: value, key.stringValue) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { write(unsigned: value, key.stringValue) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { write(unsigned: value, key.stringValue) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { write(unsigned: value, key.stringValue) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { write(unsigned: value, key.stringValue) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try write(value, key.stringValue) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        nestedSlot(key.stringValue).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        nestedSlot(key.stringValue).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { unsupportedSuperEncoder(writer) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { unsupportedSuperEncoder(writer) }
}

/// An unkeyed container and a single value write each kind of value the same way, after `place`.
private protocol UnlabelledWriting: ValueWriting {}

extension UnlabelledWriting {
    mutating func encodeNil() throws { writeNil() }
    mutating func encode(_ value: Bool) throws { write(value) }
    mutating func encode(_ value: String) throws { write(value) }
    mutating func encode(_ value: Double) throws { write(value) }
    mutating func encode(_ value: Float) throws { write(value) }
    mutating func encode(_ value: Int) throws { write(signed: value) }
    mutating func encode(_ value: Int8) throws { write(signed: value) }
    mutating func encode(_ value: Int16) throws { write(signed: value) }
    mutating func encode(_ value: Int32) throws { write(signed: value) }
    mutating func encode(_ value: Int64) throws { write(signed: value) }
    mutating func encode(_ value: UInt) throws { write(unsigned: value) }
    mutating func encode(_ value: UInt8) throws { write(unsigned: value) }
    mutating func encode(_ value: UInt16) throws { write(unsigned: value) }
    mutating func encode(_ value: UInt32) throws { write(unsigned: value) }
    mutating func encode(_ value: UInt64) throws { write(unsigned: value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try write(value) }
}

private struct UnkeyedWriter: UnkeyedEncodingContainer, UnlabelledWriting {
    let writer: BinaryWriter
    let container: BinaryWriter.Container
    var codingPath: [any CodingKey] { [] }
    var count: Int { writer.count(of: container) }

    func place(_ key: String?) { writer.member(of: container) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nestedSlot().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { nestedSlot().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { unsupportedSuperEncoder(writer) }
}

private struct SingleValueWriter: SingleValueEncodingContainer, UnlabelledWriting {
    let writer: BinaryWriter
    let slot: Int
    var codingPath: [any CodingKey] { [] }

    func place(_ key: String?) {
        if writer.bytes.count != slot { writer.broke("a single value was written twice") }
    }
}

/// A value that encodes its superclass separately cannot be written in one pass; the encoder
/// it gets writes nowhere and makes `encode` throw.
private func unsupportedSuperEncoder(_ writer: BinaryWriter) -> any Encoder {
    writer.broke("super-encoders are not supported")
    return SlotEncoder(writer: BinaryWriter(), slot: 0)
}

// MARK: - Reading

private final class BinaryReader {
    let bytes: UnsafeRawBufferPointer

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func damaged(_ problem: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "not a value BinaryCoding wrote: \(problem)"))
    }

    func tag(at offset: Int) throws -> BinaryCoding.Tag {
        guard offset < bytes.count, let tag = BinaryCoding.Tag(rawValue: bytes[offset]) else { throw damaged("no tag at \(offset)") }
        return tag
    }

    func varint(at offset: inout Int) throws -> UInt64 {
        guard let number = BinaryCoding.varint(in: bytes, at: &offset) else { throw damaged("a number runs past the end") }
        return number
    }

    /// The bytes of a length-prefixed text, which starts at `offset`; `offset` moves past it.
    func textBytes(at offset: inout Int) throws -> UnsafeRawBufferPointer {
        let length = try varint(at: &offset)
        guard length <= UInt64(bytes.count - offset) else { throw damaged("a text runs past the end") }
        defer { offset += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Int(length))])
    }

    func uint32(at offset: Int) -> Int {
        (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }

    /// A container's members (after its header), its end, and its member count.
    func container(at offset: Int, _ tag: BinaryCoding.Tag) throws -> (start: Int, end: Int, count: Int) {
        guard try self.tag(at: offset) == tag else { throw damaged("expected a \(tag) container at \(offset)") }
        let start = offset + 1 + BinaryCoding.headerSize
        guard start <= bytes.count else { throw damaged("a container's header runs past the end") }
        let length = uint32(at: offset + 1)
        let count = uint32(at: offset + 5)
        guard length <= bytes.count - start, count <= length else { throw damaged("a container's length is wrong") }
        return (start, start + length, count)
    }

    /// Where the value that starts at `offset` ends.
    func end(ofValueAt offset: Int) throws -> Int {
        var next = offset + 1
        switch try tag(at: offset) {
        case .null, .no, .yes: return next
        case .int, .uint: _ = try varint(at: &next)
        case .double:
            next += 8
            guard next <= bytes.count else { throw damaged("a number runs past the end") }
        case .string, .packed: _ = try textBytes(at: &next)
        case .keyed, .unkeyed: return try container(at: offset, tag(at: offset)).end
        }
        return next
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws -> T {
        var next = offset + 1
        let number: T?
        switch try tag(at: offset) {
        case .int:
            number = T(exactly: BinaryCoding.unzigzag(try varint(at: &next)))
        case .uint: number = T(exactly: try varint(at: &next))
        default: throw damaged("expected a whole number at \(offset)")
        }
        guard let number else { throw damaged("a number out of range for \(T.self) at \(offset)") }
        return number
    }

    func double(at offset: Int) throws -> Double {
        guard try tag(at: offset) == .double, offset + 9 <= bytes.count else { throw damaged("expected a number at \(offset)") }
        let bits = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + 1 + $1]) << (8 * UInt64($1)) }
        return Double(bitPattern: bits)
    }

    func bool(at offset: Int) throws -> Bool {
        switch try tag(at: offset) {
        case .yes: return true
        case .no: return false
        default: throw damaged("expected true or false at \(offset)")
        }
    }

    func string(at offset: Int) throws -> String {
        guard try tag(at: offset) == .string else { throw damaged("expected a text at \(offset)") }
        var next = offset + 1
        return String(decoding: try textBytes(at: &next), as: UTF8.self)
    }

    func packed(at offset: Int) throws -> PackedValues {
        guard try tag(at: offset) == .packed else { throw damaged("expected packed values at \(offset)") }
        var next = offset + 1
        return PackedValues(bytes: Array(try textBytes(at: &next)))
    }
}

private struct SlotDecoder: Decoder {
    let reader: BinaryReader
    let offset: Int
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try KeyedReader<Key>(slot: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try UnkeyedReader(slot: self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValueReader(slot: self) }

    /// The decoder of a member that starts at `offset`, one level down.
    func member(at offset: Int) throws -> SlotDecoder {
        guard depth < BinaryCoding.maximumDepth else { throw reader.damaged("nested too deeply") }
        return SlotDecoder(reader: reader, offset: offset, depth: depth + 1)
    }
}

/// What reading a value needs, wherever it starts: shared by the three kinds of container.
private protocol ValueReading {
    var slot: SlotDecoder { get }
}

extension ValueReading {
    var reader: BinaryReader { slot.reader }
    func isNil(at offset: Int) throws -> Bool { try reader.tag(at: offset) == .null }
    /// Texts, whole numbers and flags are read here, sparing each a decoder and a container of
    /// its own; the comparisons are of type identities, not casts.
    func read<T: Decodable>(_ type: T.Type, at offset: Int) throws -> T {
        if T.self == String.self { return try reader.string(at: offset) as! T }
        if T.self == Int.self { return try reader.integer(Int.self, at: offset) as! T }
        if T.self == Bool.self { return try reader.bool(at: offset) as! T }
        if T.self == PackedValues.self { return try reader.packed(at: offset) as! T }
        return try T(from: slot.member(at: offset))
    }
}

private final class KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol, ValueReading {
    let slot: SlotDecoder
    private let start: Int
    private let end: Int
    /// Where the search for the next key begins: right after the last key found, since keys are
    /// mostly asked for in the order they were written.
    private var next: Int
    var codingPath: [any CodingKey] { [] }

    init(slot: SlotDecoder) throws {
        self.slot = slot
        (start, end, _) = try slot.reader.container(at: slot.offset, .keyed)
        next = start
    }

    /// Where the value of `key` starts: each member in turn from `next`, wrapping around once.
    /// Finding it moves `next` past it, unless only asked whether it is there.
    private func value(of key: Key, advancing: Bool = true) throws -> Int? {
        var wanted = key.stringValue
        var offset = next
        var wrapped = false
        while true {
            if offset >= end {
                if wrapped || start == end { return nil }
                (offset, wrapped) = (start, true)
            }
            if wrapped, offset >= next { return nil }
            let name = try reader.textBytes(at: &offset)
            let valueStart = offset
            offset = try reader.end(ofValueAt: valueStart)
            guard offset <= end else { throw reader.damaged("a member runs past its container") }
            if wanted.withUTF8({ $0.count == name.count && (name.isEmpty || memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0) }) {
                if advancing { next = offset }
                return valueStart
            }
        }
    }

    private func required(_ key: Key) throws -> Int {
        guard let offset = try value(of: key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "no member \(key.stringValue)"))
        }
        return offset
    }

    var allKeys: [Key] {
        var keys: [Key] = []
        var offset = start
        while offset < end, let name = try? reader.textBytes(at: &offset), let valueEnd = try? reader.end(ofValueAt: offset) {
            offset = valueEnd
            if let key = Key(stringValue: String(decoding: name, as: UTF8.self)) { keys.append(key) }
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { (try? value(of: key, advancing: false)) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try isNil(at: required(key)) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader.bool(at: required(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader.string(at: required(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader.double(at: required(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try reader.double(at: required(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader.integer(type, at: required(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader.integer(type, at: required(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader.integer(type, at: required(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader.integer(type, at: required(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader.integer(type, at: required(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader.integer(type, at: required(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader.integer(type, at: required(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader.integer(type, at: required(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader.integer(type, at: required(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader.integer(type, at: required(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try read(type, at: required(key)) }

    /// The optional forms look a key up once; the defaults would ask `contains`, then `decodeNil`,
    /// then `decode`, and each would search again.
    private func optional<T: Decodable>(_ key: Key, _ read: (Int) throws -> T) throws -> T? {
        guard let offset = try value(of: key), try !isNil(at: offset) else { return nil }
        return try read(offset)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(key, reader.bool) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(key, reader.string) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(key, reader.double) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(key) { Float(try reader.double(at: $0)) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(key) { try reader.integer(type, at: $0) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(key) { try read(type, at: $0) } }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try slot.member(at: required(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try slot.member(at: required(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { throw reader.damaged("super-decoders are not supported") }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw reader.damaged("super-decoders are not supported") }
}

private struct UnkeyedReader: UnkeyedDecodingContainer, ValueReading {
    let slot: SlotDecoder
    private var offset: Int
    private let end: Int
    let count: Int?
    private(set) var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    init(slot: SlotDecoder) throws {
        self.slot = slot
        let (start, end, count) = try slot.reader.container(at: slot.offset, .unkeyed)
        (offset, self.end, self.count) = (start, end, count)
    }

    /// The offset of the next member, moving past it.
    private mutating func advance() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "no members left"))
        }
        let member = offset
        offset = try reader.end(ofValueAt: member)
        guard offset <= end else { throw reader.damaged("a member runs past its container") }
        currentIndex += 1
        return member
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, try isNil(at: offset) else { return false }
        _ = try advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(at: advance()) }
    mutating func decode(_ type: String.Type) throws -> String { try reader.string(at: advance()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try reader.double(at: advance()) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try reader.double(at: advance())) }
    mutating func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type, at: advance()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type, at: advance()) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(type, at: advance()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try slot.member(at: advance()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try slot.member(at: advance()).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { throw reader.damaged("super-decoders are not supported") }
}

private struct SingleValueReader: SingleValueDecodingContainer, ValueReading {
    let slot: SlotDecoder
    var codingPath: [any CodingKey] { [] }
    private var offset: Int { slot.offset }

    func decodeNil() -> Bool { (try? isNil(at: offset)) ?? false }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(at: offset) }
    func decode(_ type: String.Type) throws -> String { try reader.string(at: offset) }
    func decode(_ type: Double.Type) throws -> Double { try reader.double(at: offset) }
    func decode(_ type: Float.Type) throws -> Float { Float(try reader.double(at: offset)) }
    func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, at: offset) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, at: offset) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type, at: offset) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type, at: offset) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type, at: offset) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, at: offset) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type, at: offset) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type, at: offset) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type, at: offset) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type, at: offset) }
    /// The same slot, not one level down: a single value wraps the value it holds.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self || T.self == Int.self || T.self == Bool.self || T.self == PackedValues.self {
            return try read(type, at: offset)
        }
        return try T(from: slot.member(at: offset))
    }
}

// MARK: - Packed values

/// Whole numbers and texts one after another, without tags, read back in the order they were
/// written: for lists of small records (a body's headings and links), which as `Codable` values
/// cost the decoder a call through a container for every field. Only `BinaryCoding` keeps it.
struct PackedValues: Codable {
    fileprivate var bytes: [UInt8] = []

    init() {}

    /// Empty, with room for `capacity` bytes: a long run written in one go grows no more.
    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    fileprivate init(bytes: [UInt8]) { self.bytes = bytes }

    /// `numbers` one after another, as `append` writes each, written in one pass: the search
    /// index's postings, appended a byte at a time, cost more in appends than in numbers.
    init(numbers: [Int]) {
        // Ten bytes hold any number of 64 bits, seven at a time.
        bytes = [UInt8](unsafeUninitializedCapacity: 10 * numbers.count) { buffer, written in
            var end = 0
            for number in numbers {
                var rest = BinaryCoding.zigzag(Int64(number))
                while rest >= 0x80 {
                    buffer[end] = UInt8(truncatingIfNeeded: rest) | 0x80
                    rest >>= 7
                    end += 1
                }
                buffer[end] = UInt8(rest)
                end += 1
            }
            written = end
        }
    }

    /// The values as a file's bytes, for a file that holds nothing else.
    init(data: Data) { bytes = Array(data) }

    var data: Data { Data(bytes) }

    var byteCount: Int { bytes.count }

    mutating func append(_ number: Int) { BinaryCoding.appendVarint(BinaryCoding.zigzag(Int64(number)), to: &bytes) }

    /// Another run of values, whole, to be read back as one by `Reader.run()`.
    mutating func append(run: PackedValues) {
        BinaryCoding.appendVarint(UInt64(run.bytes.count), to: &bytes)
        bytes += run.bytes
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            BinaryCoding.appendVarint(UInt64(utf8.count), to: &bytes)
            bytes += utf8
        }
    }

    /// Reads the values in order; a read past the end throws.
    struct Reader {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ packed: PackedValues) { bytes = packed.bytes }

        private static let damaged = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "packed values run past the end"))

        private mutating func varint() throws -> UInt64 {
            guard let number = bytes.withUnsafeBytes({ BinaryCoding.varint(in: $0, at: &offset) }) else { throw Self.damaged }
            return number
        }

        mutating func number() throws -> Int {
            guard let number = Int(exactly: BinaryCoding.unzigzag(try varint())) else { throw Self.damaged }
            return number
        }

        /// `count` numbers one after another, read in one pass: the search index's millions of
        /// postings, read one call at a time, cost more in calls than in numbers.
        mutating func numbers(_ count: Int) throws -> [Int] {
            // Each number takes at least a byte, so a damaged count cannot ask for more room.
            guard count >= 0, count <= bytes.count - offset else { throw Self.damaged }
            var numbers: [Int] = []
            numbers.reserveCapacity(count)
            let read = bytes.withUnsafeBytes { raw in
                for _ in 0..<count {
                    guard let number = BinaryCoding.varint(in: raw, at: &offset), let value = Int(exactly: BinaryCoding.unzigzag(number))
                    else { return false }
                    numbers.append(value)
                }
                return true
            }
            guard read else { throw Self.damaged }
            return numbers
        }

        /// A run `append(run:)` wrote, taken whole without reading its values.
        mutating func run() throws -> PackedValues {
            let length = try varint()
            guard length <= UInt64(bytes.count - offset) else { throw Self.damaged }
            defer { offset += Int(length) }
            return PackedValues(bytes: Array(bytes[offset..<offset + Int(length)]))
        }

        var atEnd: Bool { offset == bytes.count }

        mutating func text() throws -> String {
            let length = try varint()
            guard length <= UInt64(bytes.count - offset) else { throw Self.damaged }
            defer { offset += Int(length) }
            return bytes.withUnsafeBufferPointer { String(decoding: $0[offset..<offset + Int(length)], as: UTF8.self) }
        }
    }

    /// Written and read by `BinaryCoding` itself, as one tagged run of bytes: no other coder
    /// can keep it.
    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(bytes, .init(codingPath: [], debugDescription: "packed values are BinaryCoding's alone"))
    }

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "packed values are BinaryCoding's alone"))
    }
}
