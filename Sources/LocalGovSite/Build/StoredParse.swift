import Foundation

/// A file's parse as the build cache keeps it on disk, in `BinaryCoding`'s form: the HTML and
/// texts of its body as they are, every other field after its name.
struct StoredParse: Codable {
    var content: SiteBuild.ParsedContent?
    var diagnostics: [Diagnostic]

    static func encode(_ result: SiteBuild.ParseResult) -> Data? {
        (try? BinaryCoding.encode(StoredParse(content: result.0, diagnostics: result.1))).map { Data($0) }
    }

    /// Nil for bytes `encode` did not write.
    static func decode(_ bytes: Data) -> SiteBuild.ParseResult? {
        (try? BinaryCoding.decode(StoredParse.self, from: bytes)).map { ($0.content, $0.diagnostics) }
    }
}

/// One flat list: the texts, then each list as its count and its members' fields in order. A
/// body holds links, headings and their locations by the dozen, and a keyed container for each
/// cost the decoder more than all the rest of a parse.
extension RenderedMarkdown: Codable {
    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        func each<T>(_ values: [T], _ fields: (T) -> (number: Int?, texts: [String], location: SourceLocation)) throws {
            try list.encode(values.count)
            for value in values {
                let (number, texts, location) = fields(value)
                if let number { try list.encode(number) }
                for text in texts + [location.file] { try list.encode(text) }
                try list.encode(location.line)
                try list.encode(location.column)
            }
        }
        for text in [html, firstParagraph, plainText, imageMark] { try list.encode(text) }
        try each(headings) { ($0.level, [$0.text, $0.id], $0.location) }
        try each(links) { (nil, [$0.destination, $0.text], $0.location) }
        try each(images) { (nil, [$0.source, $0.alt, $0.title], $0.location) }
        try each(tablesWithoutHeaders) { (nil, [], $0) }
        try list.encode(fingerprint)
    }

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        func text() throws -> String { try list.decode(String.self) }
        func number() throws -> Int { try list.decode(Int.self) }
        func location() throws -> SourceLocation { SourceLocation(file: try text(), line: try number(), column: try number()) }
        func each<T>(_ read: () throws -> T) throws -> [T] {
            let count = try number()
            guard count >= 0 else { throw DecodingError.dataCorruptedError(in: list, debugDescription: "a negative count") }
            return try (0..<count).map { _ in try read() }
        }
        let (html, firstParagraph, plainText, imageMark) = (try text(), try text(), try text(), try text())
        let headings = try each { Heading(level: try number(), text: try text(), id: try text(), location: try location()) }
        let links = try each { MarkdownLink(destination: try text(), text: try text(), location: try location()) }
        let images = try each { MarkdownImage(source: try text(), alt: try text(), title: try text(), location: try location()) }
        self.init(
            html: html, headings: headings, links: links, images: images, firstParagraph: firstParagraph, plainText: plainText,
            tablesWithoutHeaders: try each(location), imageMark: imageMark, fingerprint: try list.decode(Fingerprint.self))
    }
}
