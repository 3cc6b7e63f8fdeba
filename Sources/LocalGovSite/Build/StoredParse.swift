import Foundation

/// A file's parse as the build cache keeps it on disk, in `BinaryCoding`'s form.
///
/// A document, nearly every content file, is packed by hand: its common fields in one run of
/// `PackedValues`, then its body, then, only where it has any, what few documents carry (a point's
/// fields, a history, declared fields, unknown front matter) and its diagnostics as `Codable`
/// values. Through the coder's keyed containers, each of a document's dozen fields cost a lookup
/// and a call, and together they were most of reading 10,000 kept parses back. Principle sets and
/// members lists are kept as `Codable` values whole.
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

    /// The kinds written as a number; any other (a collection's item) is kept with the rarities.
    private static let packedKinds: [ContentKind] = [
        .home, .post, .page, .standardIntro, .standardPoint, .principlesIntro, .voiceIntro, .authorProfile,
    ]

    /// What only some documents carry, each at its default when the document has none.
    private struct Rarities: Codable, Equatable {
        var kind: ContentKind?
        var updated: ContentDate?
        var image: ShareImage?
        var aliases: [Alias] = []
        var extra: [DataField] = []
        var point: PointFields?
        var revision: Revision?
        var profile: ProfileFields?
        var fields: [String: FieldValue] = [:]
    }

    func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        var head = PackedValues()
        guard case .document(let document) = content else {
            head.append(0)
            try list.encode(head)
            try list.encode(content)
            try list.encode(diagnostics)
            return
        }
        let metadata = document.metadata
        let kindNumber = Self.packedKinds.firstIndex(of: document.kind)
        let rarities = Rarities(
            kind: kindNumber == nil ? document.kind : nil, updated: metadata.updated, image: metadata.image,
            aliases: metadata.aliases, extra: metadata.extra, point: document.point, revision: document.revision,
            profile: document.profile, fields: document.fields)
        let hasRarities = rarities != Rarities()
        head.append(1)
        head.append(document.path)
        head.append(kindNumber ?? -1)
        head.append(metadata.title)
        head.append(optional: metadata.date) { head, date in
            head.append(Int(bitPattern: UInt(date.instant.timeIntervalSinceReferenceDate.bitPattern)))
            for part in [date.year, date.month, date.day] { head.append(part) }
        }
        head.append(texts: metadata.authors)
        head.append(optional: metadata.authorsLocation) { head, location in
            head.append(optional: location.file == document.path ? nil : location.file) { $0.append($1) }
            head.append(location.line)
            head.append(location.column)
        }
        head.append(texts: metadata.tags)
        for text in [metadata.summary, metadata.language, metadata.permalink] { head.append(optional: text) { $0.append($1) } }
        for flag in [metadata.draft, metadata.importedUnedited, hasRarities, !diagnostics.isEmpty] { head.append(flag ? 1 : 0) }
        head.append(metadata.slug)
        head.append(document.summary)
        try list.encode(head)
        try list.encode(document.body)
        if hasRarities { try list.encode(rarities) }
        if !diagnostics.isEmpty { try list.encode(diagnostics) }
    }

    init(content: SiteBuild.ParsedContent?, diagnostics: [Diagnostic]) {
        self.content = content
        self.diagnostics = diagnostics
    }

    init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        var head = PackedValues.Reader(try list.decode(PackedValues.self))
        guard try head.number() == 1 else {
            content = try list.decode(SiteBuild.ParsedContent?.self)
            diagnostics = try list.decode([Diagnostic].self)
            return
        }
        let path = try head.text()
        let kindNumber = try head.number()
        let title = try head.text()
        let date = try head.optional { head in
            let instant = Date(timeIntervalSinceReferenceDate: Double(bitPattern: UInt64(UInt(bitPattern: try head.number()))))
            return ContentDate(instant: instant, year: try head.number(), month: try head.number(), day: try head.number())
        }
        let authors = try head.texts()
        let authorsLocation = try head.optional { head in
            SourceLocation(file: try head.optional { try $0.text() } ?? path, line: try head.number(), column: try head.number())
        }
        let tags = try head.texts()
        let (summary, language, permalink) = (try head.optionalText(), try head.optionalText(), try head.optionalText())
        let (draft, importedUnedited, hasRarities, hasDiagnostics) = (try head.flag(), try head.flag(), try head.flag(), try head.flag())
        let slug = try head.text()
        let documentSummary = try head.text()
        let body = try list.decode(RenderedMarkdown.self)
        let rarities = hasRarities ? try list.decode(Rarities.self) : Rarities()
        diagnostics = hasDiagnostics ? try list.decode([Diagnostic].self) : []
        guard let kind = Self.packedKinds.indices.contains(kindNumber) ? Self.packedKinds[kindNumber] : rarities.kind else {
            throw DecodingError.dataCorruptedError(in: list, debugDescription: "a document without a kind")
        }
        let metadata = DocumentMetadata(
            title: title, date: date, authors: authors, authorsLocation: authorsLocation, tags: tags, summary: summary,
            updated: rarities.updated, image: rarities.image, draft: draft, slug: slug, language: language, permalink: permalink,
            aliases: rarities.aliases, importedUnedited: importedUnedited, extra: rarities.extra)
        content = .document(
            ParsedDocument(
                path: path, kind: kind, metadata: metadata, body: body, summary: documentSummary, point: rarities.point,
                revision: rarities.revision, profile: rarities.profile, fields: rarities.fields))
    }
}

extension PackedValues {
    fileprivate mutating func append<T>(optional value: T?, _ write: (inout PackedValues, T) -> Void) {
        append(value == nil ? 0 : 1)
        if let value { write(&self, value) }
    }

    fileprivate mutating func append(texts: [String]) {
        append(texts.count)
        for text in texts { append(text) }
    }
}

extension PackedValues.Reader {
    fileprivate mutating func flag() throws -> Bool { try number() != 0 }

    fileprivate mutating func optional<T>(_ read: (inout PackedValues.Reader) throws -> T) throws -> T? {
        try flag() ? try read(&self) : nil
    }

    fileprivate mutating func optionalText() throws -> String? { try optional { try $0.text() } }

    fileprivate mutating func texts() throws -> [String] {
        let count = try number()
        guard count >= 0 else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a negative count")) }
        return try (0..<count).map { _ in try text() }
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
