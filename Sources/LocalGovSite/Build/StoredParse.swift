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

/// The texts as they are, then the headings, links, images and tables packed in one run of
/// values (`PackedValues`), with the file of their locations written once for the body: as
/// `Codable` values, each of their fields cost the decoder a call through a container, and each
/// location a copy of the file's name.
extension RenderedMarkdown: Codable {
    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        for text in [html, firstParagraph, plainText, imageMark] { try list.encode(text) }
        var packed = PackedValues()
        let file = (headings.first?.location ?? links.first?.location ?? images.first?.location ?? tablesWithoutHeaders.first)?.file ?? ""
        packed.append(file)
        func each<T>(_ values: [T], _ fields: (T) -> (number: Int?, texts: [String], location: SourceLocation)) {
            packed.append(values.count)
            for value in values {
                let (number, texts, location) = fields(value)
                if let number { packed.append(number) }
                for text in texts { packed.append(text) }
                if location.file == file {
                    packed.append(0)
                } else {
                    packed.append(1)
                    packed.append(location.file)
                }
                packed.append(location.line)
                packed.append(location.column)
            }
        }
        each(headings) { ($0.level, [$0.text, $0.id], $0.location) }
        each(links) { (nil, [$0.destination, $0.text], $0.location) }
        each(images) { (nil, [$0.source, $0.alt, $0.title], $0.location) }
        each(tablesWithoutHeaders) { (nil, [], $0) }
        packed.append(fingerprint)
        try list.encode(packed)
    }

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        let (html, firstParagraph, plainText, imageMark) =
            (try list.decode(String.self), try list.decode(String.self), try list.decode(String.self), try list.decode(String.self))
        var packed = PackedValues.Reader(try list.decode(PackedValues.self))
        let file = try packed.text()
        func location() throws -> SourceLocation {
            SourceLocation(file: try packed.number() == 0 ? file : try packed.text(), line: try packed.number(), column: try packed.number())
        }
        func each<T>(_ read: () throws -> T) throws -> [T] {
            let count = try packed.number()
            guard count >= 0 else { throw DecodingError.dataCorruptedError(in: list, debugDescription: "a negative count") }
            return try (0..<count).map { _ in try read() }
        }
        let headings = try each { Heading(level: try packed.number(), text: try packed.text(), id: try packed.text(), location: try location()) }
        let links = try each { MarkdownLink(destination: try packed.text(), text: try packed.text(), location: try location()) }
        let images = try each {
            MarkdownImage(source: try packed.text(), alt: try packed.text(), title: try packed.text(), location: try location())
        }
        self.init(
            html: html, headings: headings, links: links, images: images, firstParagraph: firstParagraph, plainText: plainText,
            tablesWithoutHeaders: try each(location), imageMark: imageMark, fingerprint: try packed.fingerprint())
    }
}
