import Foundation

/// A file's parse as the build cache keeps it on disk: JSON, then a zero byte, then the long
/// texts of its bodies (HTML, plain text) one after another, which the JSON gives as offsets and
/// lengths. Most of it is synthesised `Codable`; the values a parse holds by the dozen (a body's
/// links and headings, and every location) are written out by hand, flat, since each nested
/// keyed value costs the decoder a lookup of its own.
struct StoredParse: Codable {
    var content: SiteBuild.ParsedContent?
    var diagnostics: [Diagnostic]

    static func encode(_ result: SiteBuild.ParseResult) -> Data? {
        // JSON reads back faster than a binary property list here (1.8 s against 2.6 s for
        // 10,000 posts); unescaped slashes spare the HTML a backslash per closing tag.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let texts = LongTexts()
        encoder.userInfo[LongTexts.key] = texts
        guard var data = try? encoder.encode(StoredParse(content: result.0, diagnostics: result.1)) else { return nil }
        data.append(0)
        data.append(contentsOf: texts.bytes)
        return data
    }

    /// Nil for bytes `encode` did not write.
    static func decode(_ bytes: Data) -> SiteBuild.ParseResult? {
        // Data's own search goes byte by generic byte; memchr does not.
        let zero = bytes.withUnsafeBytes { raw in memchr(raw.baseAddress!, 0, raw.count).map { UnsafeRawPointer($0) - raw.baseAddress! } }
        guard let zero else { return nil }
        let decoder = JSONDecoder()
        decoder.userInfo[LongTexts.key] = LongTexts(bytes.suffix(from: bytes.startIndex + zero + 1))
        return (try? decoder.decode(StoredParse.self, from: bytes.prefix(zero))).map { ($0.content, $0.diagnostics) }
    }
}

/// The long texts of a stored parse, kept out of its JSON: read back as they are, they spare the
/// decoder scanning and unescaping every quote and line end of every page's HTML.
private final class LongTexts: @unchecked Sendable {
    // One encoder or decoder uses it, on one thread.
    static let key = CodingUserInfoKey(rawValue: "localgov.long-texts")!
    private(set) var bytes: Data

    init(_ bytes: Data = Data()) { self.bytes = bytes }

    static func of(_ coder: [CodingUserInfoKey: Any]) throws -> LongTexts {
        guard let texts = coder[key] as? LongTexts else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a body is stored only with its long texts"))
        }
        return texts
    }

    /// Where `text` starts among the texts, and its length in bytes.
    func add(_ text: String) -> [Int] {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        return [start, bytes.count - start]
    }

    func text(at start: Int, count: Int) -> String? {
        guard start >= 0, count >= 0, start <= bytes.count - count else { return nil }
        return bytes.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[start..<(start + count)]), as: UTF8.self) }
    }
}

/// `line:column:file` in one string.
extension SourceLocation: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("\(line):\(column):\(file)")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not line:column:file")
        }
        self.init(file: String(parts[2]), line: line, column: column)
    }
}

/// One flat list: the texts, then each list as its count and its members' fields in order.
extension RenderedMarkdown: Codable {
    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        func each<T>(_ values: [T], _ fields: (T) -> (number: Int?, texts: [String], location: SourceLocation)) throws {
            try list.encode(values.count)
            for value in values {
                let (number, texts, location) = fields(value)
                if let number { try list.encode(number) }
                for text in texts { try list.encode(text) }
                try list.encode(location)
            }
        }
        let texts = try LongTexts.of(encoder.userInfo)
        for text in [html, firstParagraph, plainText] { try list.encode(contentsOf: texts.add(text)) }
        try list.encode(imageMark)
        try each(headings) { ($0.level, [$0.text, $0.id], $0.location) }
        try each(links) { (nil, [$0.destination, $0.text], $0.location) }
        try each(images) { (nil, [$0.source, $0.alt, $0.title], $0.location) }
        try each(tablesWithoutHeaders) { (nil, [], $0) }
    }

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        func text() throws -> String { try list.decode(String.self) }
        func number() throws -> Int { try list.decode(Int.self) }
        func location() throws -> SourceLocation { try list.decode(SourceLocation.self) }
        func each<T>(_ read: () throws -> T) throws -> [T] {
            let count = try number()
            guard count >= 0 else { throw DecodingError.dataCorruptedError(in: list, debugDescription: "a negative count") }
            return try (0..<count).map { _ in try read() }
        }
        let texts = try LongTexts.of(decoder.userInfo)
        func longText() throws -> String {
            guard let text = texts.text(at: try number(), count: try number()) else {
                throw DecodingError.dataCorruptedError(in: list, debugDescription: "a text beyond the stored texts")
            }
            return text
        }
        html = try longText()
        firstParagraph = try longText()
        plainText = try longText()
        imageMark = try text()
        headings = try each { Heading(level: try number(), text: try text(), id: try text(), location: try location()) }
        links = try each { MarkdownLink(destination: try text(), text: try text(), location: try location()) }
        images = try each { MarkdownImage(source: try text(), alt: try text(), title: try text(), location: try location()) }
        tablesWithoutHeaders = try each(location)
    }
}
