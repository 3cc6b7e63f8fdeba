import Foundation

/// A file's parse as the build cache keeps it on disk. Most of it is synthesised `Codable`;
/// the values a parse holds by the dozen (a body's links and headings, and every location) are
/// written out by hand, flat, since each nested keyed value costs the decoder a lookup of its
/// own: the parses of 10,000 posts read back in 1.4 s instead of 1.75 s.
struct StoredParse: Codable {
    var content: SiteBuild.ParsedContent?
    var diagnostics: [Diagnostic]

    static func encode(_ result: SiteBuild.ParseResult) -> Data? {
        // JSON reads back faster than a binary property list here (1.8 s against 2.6 s for
        // 10,000 posts); unescaped slashes spare the HTML a backslash per closing tag.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return try? encoder.encode(StoredParse(content: result.0, diagnostics: result.1))
    }

    /// Nil for bytes `encode` did not write.
    static func decode(_ bytes: Data) -> SiteBuild.ParseResult? {
        (try? JSONDecoder().decode(StoredParse.self, from: bytes)).map { ($0.content, $0.diagnostics) }
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
        for text in [html, firstParagraph, plainText, imageMark] { try list.encode(text) }
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
        html = try text()
        firstParagraph = try text()
        plainText = try text()
        imageMark = try text()
        headings = try each { Heading(level: try number(), text: try text(), id: try text(), location: try location()) }
        links = try each { MarkdownLink(destination: try text(), text: try text(), location: try location()) }
        images = try each { MarkdownImage(source: try text(), alt: try text(), title: try text(), location: try location()) }
        tablesWithoutHeaders = try each(location)
    }
}
