import ArgumentParser
import LocalGovSite

extension LocalGov {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check configuration, content and templates without writing anything.",
            discussion: "Exits with 1 if there is any error.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var selection: SelectionOptions

        func run() throws {
            let result = SiteBuild.run(fileSystem: LocalFileSystem(root: site.root), options: selection.buildOptions)
            DiagnosticReporter.report(result.diagnostics)
            guard result.succeeded, let built = result.site else { throw ContentFailure() }
            print("No errors: \(English.count(built.posts.count, "post")), \(English.count(built.pages.count, "page")), \(English.count(result.outputs.count, "output file")).")
            if let note = Excluded.summary(built.excluded) { print(note) }
        }
    }
}
