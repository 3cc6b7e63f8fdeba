import ArgumentParser
import LocalGovSite

extension LocalGov {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check configuration, content and templates without writing anything.",
            discussion: "Exits with 1 if there is any error.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var selection: SelectionOptions

        @Option(help: "How to write problems: text (compiler style), github (GitHub Actions annotations) or json.")
        var format: DiagnosticFormat = .text

        func run() throws {
            let result = SiteBuild.run(
                fileSystem: LocalFileSystem(root: site.root), options: selection.buildOptions,
                images: DiskImageStore.inSite(site.root))
            // Annotations and JSON go to standard output, where CI steps and tools read them.
            DiagnosticReporter.report(result.diagnostics, format: format, to: format == .text ? Terminal.error : { print($0) })
            guard result.succeeded, let built = result.site else { throw ContentFailure() }
            guard format == .text else { return }
            print("No errors: \(English.count(built.posts.count, "post")), \(English.count(built.pages.count, "page")), \(English.count(result.outputs.count, "output file")).")
            if let note = Excluded.summary(built.excluded) { print(note) }
        }
    }
}
