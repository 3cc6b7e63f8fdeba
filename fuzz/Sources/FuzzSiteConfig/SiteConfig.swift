import Foundation
import FuzzSupport
import LocalGovSite

/// `site.toml`, read and decoded as the build reads it, through the configuration parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSiteConfig(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let file = OneFileSystem.sourceFile(Fuzz.data(bytes, count), at: SiteConfigParser.fileName) else { return 0 }
    let (config, diagnostics) = SiteConfigParser.parse(file.text, file: file.path)
    FileLines(file).expectInside(diagnostics)
    let failed = diagnostics.contains { $0.severity == .error }
    Fuzz.expect((config == nil) == failed, "a configuration \(config == nil ? "missing without" : "given despite") an error")
    if let config { Fuzz.expect(SiteConfig.normalisedBaseURL(config.baseURL) == config.baseURL, "base_url \(config.baseURL)") }
    return 0
}
