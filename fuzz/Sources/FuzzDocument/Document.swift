import Foundation
import FuzzSupport
import LocalGovSite

/// A whole content file as the build takes it: read and decoded as content is, its front matter
/// (YAML between `---`, TOML between `+++`) and markdown parsed with the AST walk, the document
/// made into a site and its content checked. Each input is read as a blog post and as a point
/// of the Standard, the two kinds with the most required fields.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let post = OneFileSystem.sourceFile(Fuzz.data(bytes, count), at: "content/blog/fuzz.md") else { return 0 }
    checkDocument(post, kind: .post)
    checkDocument(SourceFile(path: "content/standard/01-fuzz.md", text: post.text), kind: .standardPoint)
    return 0
}

private let config = SiteConfig(title: "Fuzz", baseURL: "https://example.org/")
private let markdown = MarkdownOptions(reservedIDs: SiteBuild.reservedIDs)

private func checkDocument(_ file: SourceFile, kind: ContentKind) {
    let (document, diagnostics) = DocumentParser.parse(file, kind: kind, timeZone: config.timeZone, markdown: markdown)
    let lines = FileLines(file)
    lines.expectInside(diagnostics)
    guard let document else {
        return Fuzz.expect(diagnostics.contains { $0.severity == .error }, "no document and no error for \(file.path)")
    }
    // Drafts and future posts are let in, so every document reaches the checks.
    let (site, modelDiagnostics) = SiteModel.make(
        config: config, documents: [document], selection: ContentSelection(drafts: true, future: true), now: Fuzz.now)
    lines.expectInside(modelDiagnostics + ContentChecks.run(site))
}
