import Foundation

/// Barriers in contributors' content that automated page audits miss or cannot explain, found at
/// build time with the line and column to fix. `site.toml`'s `[checks]` sets each one to
/// "error", "warning" or "off".
public enum ContentCheck: String, CaseIterable, Sendable, Hashable {
    case imageAlt = "image_alt"
    case headingOrder = "heading_order"
    case linkText = "link_text"
    case linkTarget = "link_target"
    case tableHeader = "table_header"
    case summary = "summary"

    /// Missing alt text, broken heading structure, meaningless links and links to nothing are
    /// errors unless a site says otherwise: they fail WCAG 1.1.1, 1.3.1 and 2.4.4 outright, or
    /// leave the reader at a dead end.
    public var defaultSeverity: Diagnostic.Severity {
        switch self {
        case .imageAlt, .headingOrder, .linkText, .linkTarget: .error
        case .tableHeader, .summary: .warning
        }
    }
}

public enum ContentCheckFinding: Sendable {
    case missingAlt(source: String, at: SourceLocation)
    case meaninglessAlt(alt: String, at: SourceLocation)
    case levelOneHeading(text: String, at: SourceLocation)
    case skippedHeading(from: Int, to: Int, text: String, at: SourceLocation)
    case emptyLink(destination: String, at: SourceLocation)
    case vagueLink(text: String, at: SourceLocation)
    case brokenLink(destination: String, isImage: Bool, problem: String, at: SourceLocation)
    /// A link to an old address that redirects: it works, but costs the reader a hop.
    case linkToAlias(destination: String, newAddress: String, at: SourceLocation)
    case tableWithoutHeader(at: SourceLocation)
    case noSummary(at: SourceLocation)

    var check: ContentCheck {
        switch self {
        case .missingAlt, .meaninglessAlt: .imageAlt
        case .levelOneHeading, .skippedHeading: .headingOrder
        case .emptyLink, .vagueLink: .linkText
        case .brokenLink, .linkToAlias: .linkTarget
        case .tableWithoutHeader: .tableHeader
        case .noSummary: .summary
        }
    }

    func diagnostic(_ severity: Diagnostic.Severity) -> Diagnostic {
        let code = "check.\(check.rawValue.replacingOccurrences(of: "_", with: "-"))"
        switch self {
        case let .missingAlt(source, location):
            return Diagnostic(
                severity, code: code,
                "the image \(source) has no alt text; write what it shows between the brackets: ![A bin lorry on a narrow street](\(source))",
                at: location)
        case let .meaninglessAlt(alt, location):
            return Diagnostic(
                severity, code: code,
                "alt text \"\(alt)\" does not say what the image shows; describe it as you would to someone on the phone", at: location)
        case let .levelOneHeading(text, location):
            return Diagnostic(
                severity, code: code,
                "\"# \(text)\" is a level-1 heading, but the title is the page's only one; start body headings at ##", at: location)
        case let .skippedHeading(from, to, text, location):
            return Diagnostic(
                severity, code: code,
                "heading \"\(text)\" jumps from level \(from) to level \(to); use \(String(repeating: "#", count: from + 1)) so screen-reader users do not think a section is missing",
                at: location)
        case let .emptyLink(destination, location):
            return Diagnostic(
                severity, code: code, "the link to \(destination) has no text; write where it goes between the brackets", at: location)
        case let .vagueLink(text, location):
            return Diagnostic(
                severity, code: code,
                "link text \"\(text)\" does not say where the link goes; use the name of the page, such as [the council tax guide](…)",
                at: location)
        case let .brokenLink(destination, isImage, problem, location):
            return Diagnostic(
                severity, code: code, "\(isImage ? "the image" : "the link to") \(destination) goes nowhere: \(problem)",
                at: location)
        case let .linkToAlias(destination, newAddress, location):
            return Diagnostic(
                severity, code: code,
                "\(destination) is an old address of \(newAddress), which it redirects to; link to \(newAddress) instead",
                at: location)
        case let .tableWithoutHeader(location):
            return Diagnostic(
                severity, code: code, "this table's header row is empty; name each column in the first row", at: location)
        case let .noSummary(location):
            return Diagnostic(
                severity, code: code,
                "this post has no summary and does not start with a paragraph, so lists show nothing under its title; add summary: \"…\"",
                at: location)
        }
    }
}

public enum ContentChecks {
    static let vagueLinkTexts: Set<String> = [
        "click here", "here", "read more", "more", "link", "this link", "click", "this", "more info", "find out more",
    ]
    static let vagueAltTexts: Set<String> = ["image", "picture", "photo", "photograph", "img", "graphic", "icon", "screenshot"]
    static let imageExtensions = ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif"]
    /// Made once: building a CharacterSet for every link was a tenth of the checks' time.
    static let punctuationAndSpaces = CharacterSet.punctuationCharacters.union(.whitespaces)

    /// Every finding in one body of markdown. `headings` is false for table cells, which have
    /// no place in the page's outline.
    static func findings(in body: RenderedMarkdown, headings: Bool = true) -> [ContentCheckFinding] {
        CheckedParts(body, headings: headings).findings
    }

    /// The parts of a body the checks read: the same parts, the same findings.
    struct CheckedParts: Equatable, Sendable {
        var images: [MarkdownImage]
        var headings: [Heading]?
        var links: [MarkdownLink]
        var tablesWithoutHeaders: [SourceLocation]

        /// `headings: false` for a body whose headings are not checked (a table cell's).
        init(_ body: RenderedMarkdown, headings: Bool) {
            images = body.images
            self.headings = headings ? body.headings : nil
            links = body.links
            tablesWithoutHeaders = body.tablesWithoutHeaders
        }

        var findings: [ContentCheckFinding] {
            var found: [ContentCheckFinding] = []
            for image in images {
                let alt = image.alt.trimming(.whitespacesAndNewlines)
                let name = (image.source as NSString).lastPathComponent
                if alt.isEmpty {
                    found.append(.missingAlt(source: image.source, at: image.location))
                } else if vagueAltTexts.contains(alt.lowercased()) || alt == name
                    || imageExtensions.contains((alt as NSString).pathExtension.lowercased())
                {
                    found.append(.meaninglessAlt(alt: alt, at: image.location))
                }
            }
            if let headings {
                var previous = 1
                for heading in headings {
                    if heading.level == 1 {
                        found.append(.levelOneHeading(text: heading.text, at: heading.location))
                    } else if heading.level > previous + 1 {
                        found.append(.skippedHeading(from: previous, to: heading.level, text: heading.text, at: heading.location))
                    }
                    previous = heading.level
                }
            }
            for link in links {
                let text = link.text.trimming(.whitespacesAndNewlines)
                let plain = text.lowercased().trimming(punctuationAndSpaces)
                if text.isEmpty {
                    found.append(.emptyLink(destination: link.destination, at: link.location))
                } else if vagueLinkTexts.contains(plain) {
                    found.append(.vagueLink(text: text, at: link.location))
                }
            }
            found += tablesWithoutHeaders.map(ContentCheckFinding.tableWithoutHeader)
            return found
        }
    }

    /// The findings in one document's body, as `run` reports them.
    static func run(on body: RenderedMarkdown, config: SiteConfig) -> [Diagnostic] {
        diagnostics(findings(in: body), config: config)
    }

    /// Links and images that point into the site but at nothing it writes; needs the outputs.
    public static func runLinks(_ site: Site, outputs: [OutputFile], cache: BuildCache? = nil) -> [Diagnostic] {
        diagnostics(LinkTargets.findings(in: site, outputs: outputs, cache: cache), config: site.config, imported: importedUnedited(site))
    }

    /// Posts and pages as an importer wrote them, whose findings are warnings until edited.
    private static func importedUnedited(_ site: Site) -> Set<String> {
        Set(site.posts.indices.compactMap { site.posts[$0].importedUnedited ? site.posts[$0].source : nil }
            + site.pages.filter(\.importedUnedited).map(\.source))
    }

    private static func diagnostics(_ found: [ContentCheckFinding], config: SiteConfig, imported: Set<String> = []) -> [Diagnostic] {
        found.compactMap { finding in
            guard let severity = config.checks[finding.check, default: finding.check.defaultSeverity] else { return nil }
            // A link through a redirect still reaches its page: never more than a warning.
            if case .linkToAlias = finding { return finding.diagnostic(.warning) }
            var diagnostic = finding.diagnostic(severity)
            if severity == .error, let file = diagnostic.location?.file, imported.contains(file) {
                diagnostic = finding.diagnostic(.warning)
                diagnostic.message += " (a warning while this imported file is as the import wrote it; an error once it is edited)"
            }
            return diagnostic
        }
    }

    /// Every finding in the published site, as diagnostics at the severity `site.toml` chose.
    public static func run(_ site: Site, cache: BuildCache? = nil) -> [Diagnostic] {
        // Posts by index: taking each of thousands as a value copied all of it.
        let posts = site.posts
        var found: [ContentCheckFinding] = posts.indices.compactMap { index in
            posts[index].summary.isEmpty ? .noSummary(at: SourceLocation(file: posts[index].source)) : nil
        }
        // Each body is read where it is, as the link checks read them: a list of copies of every
        // body cost as much as the checks. Author profiles and the Voice intro are not checked.
        let bodies = site.bodies().map(\.body).filter { place in
            switch place {
            case .profile, .voiceIntro: false
            default: true
            }
        }
        found += parallelMap(Array(bodies.indices)) { index in
            let isCell = if case .cell = bodies[index] { true } else { false }
            let body = site[body: bodies[index]]
            return cache?.findings(index, body, headings: !isCell) ?? CheckedParts(body, headings: !isCell).findings
        }.flatMap { $0 }
        cache?.keepFindings(bodies.count)
        return diagnostics(found, config: site.config, imported: importedUnedited(site))
    }
}
