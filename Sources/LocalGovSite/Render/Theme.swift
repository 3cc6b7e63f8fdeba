import Foundation
import Mustache

public enum TemplateError: DiagnosticConvertible {
    case parse(message: String, at: SourceLocation)
    case missingPartial(name: String, at: SourceLocation)
    case missingTemplate(name: String, theme: String)
    case missingTheme(name: String)

    public var diagnostic: Diagnostic {
        switch self {
        case let .parse(message, location):
            Diagnostic(.error, code: "template.syntax", "template does not parse: \(message)", at: location)
        case let .missingPartial(name, location):
            Diagnostic(
                .error, code: "template.missing-partial",
                "partial \"\(name)\" does not exist; create templates/\(name).mustache or fix the name", at: location)
        case let .missingTemplate(name, theme):
            Diagnostic(
                .error, code: "template.missing",
                "the theme \"\(theme)\" has no template \"\(name)\"; add themes/\(theme)/templates/\(name).mustache",
                at: nil)
        case let .missingTheme(name):
            Diagnostic(
                .error, code: "template.missing-theme",
                "there is no theme \"\(name)\" in themes/; check `theme` in site.toml", at: SourceLocation(file: "site.toml"))
        }
    }
}

/// A file copied to the output unchanged (theme assets, the site's `static/` folder).
public struct StaticFile: Sendable, Hashable {
    public var outputPath: String
    public var source: String
    public var bytes: Data
}

/// The templates and assets a build renders with: the theme's, with any template of the same
/// name in the site's own `templates/` folder taking its place.
public struct Theme: Sendable {
    public static let requiredTemplates = [
        "home", "post", "list", "terms", "page", "404", "standard", "point", "standard-all", "standard-changes", "principles",
        "search", "voice", "voice-members", "voice-member", "voice-status", "header", "footer",
        "post-item", "redirect",
    ]

    /// Every template, compiled where the compiler can, else rendered by swift-mustache.
    var templates: TemplateSet
    public var assets: [StaticFile]
    /// The theme's own words ("Skip to main content", "Next") by language: `strings/<language>.toml`.
    public var strings: [String: [String: String]] = [:]
    /// Per template, a fingerprint of its text and of every partial and layout it reaches, so
    /// that a page is rendered again when any template it uses changes.
    public var templateFingerprints: [String: Fingerprint] = [:]

    /// The templates a declared type names that neither the theme nor the site has.
    func missingTemplates(for types: [ContentType], themeName: String) -> [Diagnostic] {
        let named = types.flatMap { type in
            [type.template] + (type.listAddress != nil ? [type.listTemplate].compactMap { $0 } : [])
                + (type.calendar ? [type.pastTemplate].compactMap { $0 } : [])
        }
        return named.filter { templates.library.getTemplate(named: $0) == nil }.map {
            TemplateError.missingTemplate(name: $0, theme: themeName).diagnostic
        }
    }

    /// The language the theme's words are always complete in; other tables fall back to it.
    public static let baseLanguage = "en"

    /// The words for a page in `language` (`cy`, `cy-GB`): that language's table where it has
    /// the word, else English.
    public func strings(for language: String) -> [String: String] {
        let base = strings[Self.baseLanguage] ?? [:]
        let primary = LanguageTag.primary(language)
        guard primary != Self.baseLanguage, let own = strings[primary] else { return base }
        return base.merging(own) { $1 }
    }

    /// Reads the theme, checks every template parses and every partial it names exists.
    public static func load(named name: String, from fileSystem: some SiteFileSystem) -> (Theme?, [Diagnostic]) {
        // A site without a themes/default folder of its own uses the one the binary carries.
        if name == defaultName, ((try? fileSystem.files(under: "themes/\(name)/templates")) ?? []).isEmpty {
            return load(themeNamed: name, from: BuiltInThemeFileSystem(site: fileSystem))
        }
        return load(themeNamed: name, from: fileSystem)
    }

    /// The theme whose templates come with the generator.
    public static let defaultName = "default"

    private static func load(themeNamed name: String, from fileSystem: some SiteFileSystem) -> (Theme?, [Diagnostic]) {
        let themeFolder = "themes/\(name)"
        var sources: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        let themeTemplates = (try? fileSystem.files(under: "\(themeFolder)/templates")) ?? []
        guard !themeTemplates.isEmpty else { return (nil, [TemplateError.missingTheme(name: name).diagnostic]) }
        for folder in ["\(themeFolder)/templates", "templates"] {
            for path in ((try? fileSystem.files(under: folder)) ?? []).sorted() where path.hasSuffix(".mustache") {
                let templateName = String(path.dropFirst(folder.count + 1).dropLast(".mustache".count))
                sources[templateName] = path
            }
        }

        var library = MustacheLibrary()
        var texts: [String: String] = [:]
        for (templateName, path) in sources.sorted(by: { $0.key < $1.key }) {
            guard let data = try? fileSystem.read(path), let text = ContentLoader.decode(data) else {
                diagnostics.append(LoadError.notUTF8(path: path).diagnostic)
                continue
            }
            do {
                library.register(try MustacheTemplate(string: HTMLEscaping.pragma + text), named: templateName)
                texts[templateName] = text
            } catch let error as MustacheTemplate.ParserError {
                // Places in the template as its author wrote it, without the pragma's line.
                let line = max(1, error.context.lineNumber - 1)
                diagnostics.append(
                    TemplateError.parse(
                        message: describe(error.error),
                        at: SourceLocation(file: path, line: line, column: error.context.columnNumber)
                    ).diagnostic)
            } catch {
                diagnostics.append(TemplateError.parse(message: "\(error)", at: SourceLocation(file: path)).diagnostic)
            }
        }
        for (templateName, text) in texts.sorted(by: { $0.key < $1.key }) {
            for reference in partialReferences(in: text) where sources[reference.name] == nil {
                diagnostics.append(
                    TemplateError.missingPartial(
                        name: reference.name,
                        at: SourceLocation(file: sources[templateName]!, line: reference.line, column: reference.column)
                    ).diagnostic)
            }
        }
        for required in requiredTemplates where sources[required] == nil {
            diagnostics.append(TemplateError.missingTemplate(name: required, theme: name).diagnostic)
        }

        let (strings, stringDiagnostics) = loadStrings(from: fileSystem, themeFolder: themeFolder)
        diagnostics += stringDiagnostics

        var assets: [StaticFile] = []
        for (folder, prefix) in [("\(themeFolder)/assets", "assets/"), ("static", "")] {
            for path in ((try? fileSystem.files(under: folder)) ?? []).sorted() {
                guard let bytes = try? fileSystem.read(path) else {
                    diagnostics.append(LoadError.unreadable(path: path, reason: "permission denied or removed").diagnostic)
                    continue
                }
                assets.append(StaticFile(outputPath: prefix + path.dropFirst(folder.count + 1), source: path, bytes: bytes))
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (
            Theme(
                templates: TemplateSet(library: library, names: texts.keys), assets: assets, strings: strings,
                templateFingerprints: fingerprints(of: texts)),
            diagnostics
        )
    }

    /// `strings/<language>.toml` of the theme, then of the site (`strings/`), a site's word
    /// replacing the theme's. Every table must use only keys the English one has.
    private static func loadStrings(
        from fileSystem: some SiteFileSystem, themeFolder: String
    ) -> ([String: [String: String]], [Diagnostic]) {
        var tables: [String: [String: String]] = [:]
        var written: [String: [String: SourceLocation]] = [:]
        var diagnostics: [Diagnostic] = []
        for folder in ["\(themeFolder)/strings", "strings"] {
            for path in ((try? fileSystem.files(under: folder)) ?? []).sorted() where path.hasSuffix(".toml") {
                let language = String(path.dropFirst(folder.count + 1).dropLast(".toml".count)).lowercased()
                guard let data = try? fileSystem.read(path), let text = ContentLoader.decode(data) else {
                    diagnostics.append(LoadError.notUTF8(path: path).diagnostic)
                    continue
                }
                do {
                    let root = try TOMLReader.read(text, file: path)
                    guard case .table(let fields) = root.value else { continue }
                    for field in fields {
                        guard let word = field.node.value.scalarText else {
                            diagnostics.append(
                                FieldError.wrongType(
                                    domain: "strings", key: field.key, expected: "text", found: field.node.value.kindName,
                                    example: "\(field.key) = \"…\"", at: field.node.location
                                ).diagnostic)
                            continue
                        }
                        tables[language, default: [:]][field.key] = word
                        written[language, default: [:]][field.key] = field.keyLocation
                    }
                } catch {
                    diagnostics.append(error.diagnostic)
                }
            }
        }
        let known = Set((tables[baseLanguage] ?? [:]).keys)
        for (language, table) in tables.sorted(by: { $0.key < $1.key }) where language != baseLanguage {
            for key in table.keys.sorted() where !known.contains(key) {
                diagnostics.append(
                    Diagnostic(
                        .warning, code: "strings.unknown-key",
                        "\"\(key)\" in the \(language) strings is not a word the theme uses (it is not in \(baseLanguage).toml)",
                        at: written[language]?[key]))
            }
        }
        return (tables, diagnostics)
    }

    private static func fingerprints(of texts: [String: String]) -> [String: Fingerprint] {
        let references = texts.mapValues { Set(partialReferences(in: $0).map(\.name)) }
        return texts.keys.reduce(into: [:]) { result, name in
            var reached: Set<String> = [name]
            var queue = [name]
            while let next = queue.popLast() {
                for reference in references[next] ?? [] where reached.insert(reference).inserted { queue.append(reference) }
            }
            var hasher = StableHasher()
            for used in reached.sorted() {
                hasher.combine(used)
                hasher.combine(texts[used])
            }
            result[name] = hasher.finalize()
        }
    }

    /// `{{> name}}` and `{{< name}}` tags with their positions. swift-mustache renders a missing
    /// partial as nothing; we would rather say so at build time.
    static func partialReferences(in text: String) -> [(name: String, line: Int, column: Int)] {
        var result: [(String, Int, Int)] = []
        var line = 1
        var column = 1
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "{", i + 2 < scalars.count, scalars[i + 1] == "{", scalars[i + 2] == ">" || scalars[i + 2] == "<" {
                var j = i + 3
                var name = ""
                while j < scalars.count, scalars[j] != "}" {
                    name.unicodeScalars.append(scalars[j])
                    j += 1
                }
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty, !trimmed.hasPrefix("*") { result.append((trimmed, line, column)) }
            }
            if scalars[i] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        return result
    }

    private static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with a different name than it was opened with"
        case .unfinishedName?: "a tag is not finished; check for a missing }}"
        case .expectedSectionEnd?: "a section is never closed; add its {{/name}}"
        case .invalidSetDelimiter?: "the set-delimiter tag is malformed"
        default: "\(error)"
        }
    }
}
