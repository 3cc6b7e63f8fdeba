import Foundation

/// A file's parse as the build cache keeps it on disk, in two parts: the parse without its
/// body's HTML and plain text, then those texts. A build reads the second part of a kept parse
/// only when a stage asks for the texts (`BodyTexts`): after one edit, most bodies are neither
/// rendered nor searched again.
///
/// A document, nearly every content file, is packed by hand in one run of `PackedValues`: its
/// common fields, its body, then, only where it has any, what few documents carry (a point's
/// fields, a history, declared fields, unknown front matter) and its diagnostics, those as
/// `Codable` values in `BinaryCoding`'s form. Through a coder's containers, each of a
/// document's dozen fields cost a lookup and a call, and together they were most of reading
/// 10,000 kept parses back. Principle sets and members lists are kept as `Codable` values
/// whole, their texts with them.
enum StoredParse {
    /// The parse, and its document's body texts (empty for anything else).
    static func encode(_ result: SiteBuild.ParseResult) -> (head: Data, texts: Data)? {
        let (content, diagnostics) = result
        var head = PackedValues()
        guard case .document(let document) = content else {
            head.append(0)
            guard (try? head.append(coded: Other(content: content, diagnostics: diagnostics))) != nil else { return nil }
            return (head.data, Data())
        }
        let metadata = document.metadata
        let kindNumber = packedKinds.firstIndex(of: document.kind)
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
        head.append(run: document.body.packedParts)
        do {
            if hasRarities { try head.append(coded: rarities) }
            if !diagnostics.isEmpty { try head.append(coded: diagnostics) }
        } catch {
            return nil
        }
        var texts = PackedValues()
        texts.append(document.body.html)
        texts.append(document.body.plainText)
        return (head.data, texts.data)
    }

    /// Nil for a head `encode` did not write. A document's body takes its texts from `texts`
    /// when they are first asked for.
    static func decode(_ head: Data, texts: @escaping @Sendable () -> BodyTexts.Texts) -> SiteBuild.ParseResult? {
        var reader = PackedValues.Reader(PackedValues(data: head))
        let result = try? decode(&reader, texts: texts)
        return reader.atEnd ? result : nil
    }

    /// Nil for bytes `encode` did not write as a body's texts.
    static func texts(_ bytes: Data) -> BodyTexts.Texts? {
        var reader = PackedValues.Reader(PackedValues(data: bytes))
        guard let html = try? reader.text(), let plainText = try? reader.text(), reader.atEnd else { return nil }
        return BodyTexts.Texts(html: html, plainText: plainText)
    }

    /// The kinds written as a number; any other (a collection's item) is kept with the rarities.
    private static let packedKinds = ContentKind.fixed

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

    /// A parse that is not a document, kept whole.
    private struct Other: Codable {
        var content: SiteBuild.ParsedContent?
        var diagnostics: [Diagnostic]
    }

    private static func decode(
        _ head: inout PackedValues.Reader, texts: @escaping @Sendable () -> BodyTexts.Texts
    ) throws -> SiteBuild.ParseResult {
        guard try head.number() == 1 else {
            let other = try head.coded(Other.self)
            return (other.content, other.diagnostics)
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
        let body = try RenderedMarkdown(parts: try head.run(), texts: BodyTexts(making: texts))
        let rarities = hasRarities ? try head.coded(Rarities.self) : Rarities()
        let diagnostics = hasDiagnostics ? try head.coded([Diagnostic].self) : []
        guard let kind = packedKinds.indices.contains(kindNumber) ? packedKinds[kindNumber] : rarities.kind else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a document without a kind"))
        }
        let metadata = DocumentMetadata(
            title: title, date: date, authors: authors, authorsLocation: authorsLocation, tags: tags, summary: summary,
            updated: rarities.updated, image: rarities.image, draft: draft, slug: slug, language: language, permalink: permalink,
            aliases: rarities.aliases, importedUnedited: importedUnedited, extra: rarities.extra)
        let document = ParsedDocument(
            path: path, kind: kind, metadata: metadata, body: body, summary: documentSummary, point: rarities.point,
            revision: rarities.revision, profile: rarities.profile, fields: rarities.fields)
        return (.document(document), diagnostics)
    }
}

extension PackedValues {
    fileprivate mutating func append<T>(optional value: T?, _ write: (inout PackedValues, T) -> Void) {
        append(value == nil ? 0 : 1)
        if let value { write(&self, value) }
    }

    /// A `Codable` value in `BinaryCoding`'s form, as a run of its own.
    fileprivate mutating func append(coded value: some Encodable) throws {
        append(run: PackedValues(data: Data(try BinaryCoding.encode(value))))
    }

    fileprivate mutating func append(texts: [String]) {
        append(texts.count)
        for text in texts { append(text) }
    }
}

extension PackedValues.Reader {
    fileprivate mutating func flag() throws -> Bool { try number() != 0 }

    fileprivate mutating func coded<T: Decodable>(_ type: T.Type) throws -> T { try BinaryCoding.decode(type, from: try run().data) }

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

/// The texts as they are, then the rest of the body packed in one run of values
/// (`packedParts`).
extension RenderedMarkdown: Codable {
    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        try list.encode(html)
        try list.encode(plainText)
        try list.encode(packedParts)
    }

    public init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        let texts = BodyTexts.Texts(html: try list.decode(String.self), plainText: try list.decode(String.self))
        try self.init(parts: try list.decode(PackedValues.self), texts: BodyTexts(texts))
    }
}

extension RenderedMarkdown {
    /// Everything but the texts, with the file of the locations written once for the body: as
    /// `Codable` values, each field of the headings, links, images and tables cost the decoder
    /// a call through a container, and each location a copy of the file's name.
    var packedParts: PackedValues {
        var packed = PackedValues()
        packed.append(firstParagraph)
        packed.append(imageMark)
        packed.append(hasReferences ? 1 : 0)
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
        return packed
    }

    init(parts: PackedValues, texts: BodyTexts) throws {
        var packed = PackedValues.Reader(parts)
        let (firstParagraph, imageMark, hasReferences, file) = (try packed.text(), try packed.text(), try packed.number(), try packed.text())
        // Readers take the values as a parameter: closures holding them made every read check
        // that no other closure was reading at once.
        func location(_ packed: inout PackedValues.Reader) throws -> SourceLocation {
            SourceLocation(file: try packed.number() == 0 ? file : try packed.text(), line: try packed.number(), column: try packed.number())
        }
        func each<T>(_ packed: inout PackedValues.Reader, _ read: (inout PackedValues.Reader) throws -> T) throws -> [T] {
            let count = try packed.number()
            guard count >= 0 else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a negative count")) }
            var values: [T] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try read(&packed)) }
            return values
        }
        let headings = try each(&packed) {
            Heading(level: try $0.number(), text: try $0.text(), id: try $0.text(), location: try location(&$0))
        }
        let links = try each(&packed) { MarkdownLink(destination: try $0.text(), text: try $0.text(), location: try location(&$0)) }
        let images = try each(&packed) {
            MarkdownImage(source: try $0.text(), alt: try $0.text(), title: try $0.text(), location: try location(&$0))
        }
        let tables = try each(&packed, location)
        let fingerprint = try packed.fingerprint()
        guard packed.atEnd, (0...1).contains(hasReferences) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a body"))
        }
        self.init(
            texts: texts, headings: headings, links: links, images: images, firstParagraph: firstParagraph,
            tablesWithoutHeaders: tables, imageMark: imageMark, fingerprint: fingerprint, hasReferences: hasReferences == 1)
    }
}
