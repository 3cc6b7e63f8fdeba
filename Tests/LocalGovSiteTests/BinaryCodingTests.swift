import Foundation
import Testing

@testable import LocalGovSite

/// `BinaryCoding` reads back exactly what it wrote, for every shape `Codable` can take, and
/// refuses anything else without crashing: the build cache trusts nothing it did not write.
@Suite struct BinaryCodingTests {
    enum Shape: Codable, Equatable {
        case none
        case circle(radius: Double)
        case labelled(String, [Int?])
    }

    struct Inner: Codable, Equatable {
        var name: String
        var note: String?
        var flag: Bool
    }

    struct Everything: Codable, Equatable {
        var int = Int.min
        var int8 = Int8.min
        var int16 = Int16.max
        var int32 = Int32.min
        var int64 = Int64.max
        var uint = UInt.max
        var uint8 = UInt8.max
        var uint16 = UInt16.max
        var uint32 = UInt32.max
        var uint64 = UInt64.max
        var double = -0.1
        var float: Float = 3.25
        var infinity = Double.infinity
        var text = "Ffion's \"digital\"\n\tservice: caf\u{e9} \u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F} \0 end"
        var empty = ""
        var absent: String? = nil
        var present: Int? = 0
        var inners = [Inner(name: "a", note: nil, flag: true), Inner(name: "", note: "n", flag: false)]
        var noInners: [Inner] = []
        var optionals: [String?] = [nil, "x", nil]
        var nested: [[Int]] = [[], [1, 2], [-3]]
        var shapes: [Shape] = [.none, .circle(radius: 2.5), .labelled("l", [1, nil, -7])]
        var byName = ["standard": 15, "principles": 7]
        var byNumber = [3: "three", -1: "minus one"]
        var date = Date(timeIntervalSince1970: 1_466_152_200.5)
        var data = Data([0, 1, 254, 255])
        var url = URL(string: "https://localgov.digital/standard/?q=a#b")!
    }

    @Test func everyShapeReadsBackAsItWas() throws {
        let value = Everything()
        let bytes = try BinaryCoding.encode(value)
        #expect(try BinaryCoding.decode(Everything.self, from: bytes) == value)
    }

    @Test func aNaNKeepsItsBits() throws {
        let bytes = try BinaryCoding.encode([Double.nan, -Double.nan, .signalingNaN])
        let read = try BinaryCoding.decode([Double].self, from: bytes)
        #expect(read.map(\.bitPattern) == [Double.nan, -Double.nan, .signalingNaN].map(\.bitPattern))
    }

    /// Keys are found in any order, and a decoder may ask for keys that were not written.
    @Test func keysAreFoundWhateverTheOrder() throws {
        struct Written: Codable { var a = 1, b = "two", c = [3], d: Int? = nil }
        struct ReadBackwards: Decodable, Equatable {
            var a: Int, b: String, c: [Int], d: Int?, e: Bool?, keys: Set<String>
            enum Key: String, CodingKey { case a, b, c, d, e }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Key.self)
                c = try container.decode([Int].self, forKey: .c)
                e = try container.decodeIfPresent(Bool.self, forKey: .e)
                b = try container.decode(String.self, forKey: .b)
                d = try container.decodeIfPresent(Int.self, forKey: .d)
                a = try container.decode(Int.self, forKey: .a)
                keys = Set(container.allKeys.map(\.stringValue))
                #expect(container.contains(.a) && !container.contains(.e))
                #expect(try container.decode(Int.self, forKey: .a) == 1, "a key read twice")
            }
        }
        let read = try BinaryCoding.decode(ReadBackwards.self, from: BinaryCoding.encode(Written()))
        #expect(read.a == 1 && read.b == "two" && read.c == [3] && read.d == nil && read.e == nil)
        #expect(read.keys == ["a", "b", "c"], "a nil written by encodeIfPresent is not there at all")
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(Inner.self, from: BinaryCoding.encode(Written())) }
    }

    @Test func aValueOfTheWrongTypeIsRefused() throws {
        let bytes = try BinaryCoding.encode(Inner(name: "a", note: nil, flag: true))
        struct Numbered: Decodable { var name: Int }
        struct Flagged: Decodable { var flag: String }
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(Numbered.self, from: bytes) }
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(Flagged.self, from: bytes) }
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(UInt8.self, from: BinaryCoding.encode(256)) }
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(UInt.self, from: BinaryCoding.encode(-1)) }
        #expect(throws: DecodingError.self) { try BinaryCoding.decode([Int].self, from: bytes) }
    }

    /// Every cut and every changed byte either reads as some value or throws; none crashes,
    /// and none reads as the original value unless the change left it so.
    @Test func damagedBytesAreRefusedOrReadWithoutCrashing() throws {
        let value = Everything()
        let bytes = try BinaryCoding.encode(value)
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self, "cut at \(length)") { try BinaryCoding.decode(Everything.self, from: bytes[..<length]) }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            var damaged = bytes
            let at = Int.random(in: 0..<bytes.count, using: &generator)
            damaged[at] = damaged[at] &+ UInt8.random(in: 1...255, using: &generator)
            _ = try? BinaryCoding.decode(Everything.self, from: damaged)
        }
    }

    @Test func nestingTooDeepIsRefused() throws {
        indirect enum Chain: Codable { case end, link(Chain) }
        var chain = Chain.end
        for _ in 0..<300 { chain = .link(chain) }
        let bytes = try BinaryCoding.encode(chain)
        #expect(throws: DecodingError.self) { try BinaryCoding.decode(Chain.self, from: bytes) }
    }

    /// A value that writes to its container after finishing a nested value there cannot be
    /// written in one pass: encoding throws rather than keep something unreadable.
    @Test func writingOutOfOrderThrows() throws {
        struct OutOfOrder: Encodable {
            enum Key: String, CodingKey { case first, second, third }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                var nested = container.nestedUnkeyedContainer(forKey: .first)
                try container.encode(2, forKey: .second)
                try nested.encode(1)
            }
        }
        #expect(throws: EncodingError.self) { try BinaryCoding.encode(OutOfOrder()) }
        struct NothingWritten: Codable, Equatable {
            func encode(to encoder: any Encoder) throws {}
            init() {}
            enum Key: CodingKey {}
            init(from decoder: any Decoder) throws { #expect(try decoder.container(keyedBy: Key.self).allKeys.isEmpty) }
        }
        #expect(try BinaryCoding.decode([NothingWritten].self, from: BinaryCoding.encode([NothingWritten()])) == [NothingWritten()])
    }
}
