import ArgumentParser
import Foundation
import LocalGovSite

#if canImport(Glibc)
import Glibc
#endif

/// Options shared by `build` and `check`: they must agree on what the site contains.
struct SelectionOptions: ParsableArguments {
    @Flag(help: "Include posts marked `draft: true`.")
    var drafts = false

    @Flag(help: "Include posts dated in the future.")
    var future = false

    @Option(help: "Use this base URL instead of base_url in site.toml (for preview deployments).")
    var baseURL: String?

    var buildOptions: BuildOptions {
        BuildOptions(selection: ContentSelection(drafts: drafts, future: future), baseURL: baseURL)
    }
}

extension LocalGov {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the whole site into the output folder.",
            discussion: "The new site replaces the old one only if the build succeeds.")

        @OptionGroup var site: SiteOptions
        @OptionGroup var selection: SelectionOptions

        @Option(help: "The output folder, relative to the site's folder.")
        var output: String = "public"

        @Flag(help: "Also write X.gz beside every text file of 1 KiB or more, for servers that send them as they are (nginx gzip_static).")
        var precompress = false

        @Flag(help: "Print how long each stage of the build took.")
        var timings = false

        @Flag(help: "Render every page afresh, without reading or writing the build cache in .localgov/cache/build/.")
        var noCache = false

        func run() throws {
            let started = Date()
            let root = site.root
            let destination = URL(fileURLWithPath: output, relativeTo: root).standardizedFileURL
            try OutputGuard.check(destination, siteRoot: root)
            let interruption = Interruption()
            // Ctrl-C stops at once while nothing is on disk yet; while the new site is being
            // written it asks the writer to stop and tidy up first.
            let signals = Signals.handle([SIGINT, SIGTERM]) {
                guard interruption.request() else { return }
                FileHandle.standardError.write(Data("Stopped; the previous site was left as it was.\n".utf8))
                _exit(130)
            }
            defer { signals.cancel() }

            let (store, storeWarnings) =
                noCache ? (nil, []) : BuildStore.inSite(root, tool: Version.identity)
            let cache = BuildCache(store: store)
            var result = SiteBuild.run(
                fileSystem: LocalFileSystem(root: root), options: selection.buildOptions, cache: cache,
                images: DiskImageStore.inSite(root))
            result.diagnostics.append(contentsOf: storeWarnings)
            DiagnosticReporter.report(result.diagnostics)
            guard result.succeeded, let built = result.site else { throw ContentFailure() }
            let twins = try reportingFailure { () throws(PrecompressError) in
                precompress ? try Precompress.gzipped(result.outputs) : []
            }
            result.timings.finish("precompress")
            // The cache is tidied and saved beside the writing of the site: the site only links
            // pages this build used, which the cache keeps, and the cache does not touch the site.
            // One that cannot be saved only costs the next build time.
            let saving = store.map { store in WorkAside { Result { try store.commit() } } }
            do {
                try OutputWriter.write(
                    result.outputs + twins, to: destination, spare: store?.spareSite, interruption: interruption)
            } catch {
                DiagnosticReporter.report(Diagnostics([error.diagnostic]))
                if case .interrupted = error { throw ExitCode(130) }
                throw ContentFailure()
            }
            result.timings.finish("write")
            if case .failure(let error) = saving?.wait() {
                DiagnosticReporter.report(Diagnostics([BuildCacheError.unsaved(reason: error.localizedDescription).diagnostic]))
            }
            if store != nil { result.timings.finish("save the build cache, after the rest") }
            if timings { Self.timingLines(result.timings).forEach { print($0) } }
            let pages = result.outputs.count { $0.path.hasSuffix(".html") }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            let gzipped = precompress ? ", \(twins.count) gzipped" : ""
            let counters = cache.takeCounters()
            let reused =
                counters.renderReused + counters.parseReused > 0
                ? "; \(English.count(counters.renderReused, "unchanged page")) and \(English.count(counters.parseReused, "unchanged content file")) came from the cache"
                : ""
            print("Built \(pages) pages (\(result.outputs.count) files\(gzipped)) into \(output)/ in \(seconds) s\(reused).")
            if let note = Excluded.summary(built.excluded) { print(note) }
            // The process ends here, and the system takes its memory back whole: freeing a large
            // site's pages, parses and index object by object took a third of a second at
            // 10,000 posts. Compilers leave their memory to the system at exit for the same reason.
            _ = Unmanaged.passRetained(Unfreed((result, cache, built)))
        }

        /// One line per stage, for `--timings`.
        static func timingLines(_ timings: BuildTimings) -> [String] {
            timings.phases.map { String(format: "%9.1f ms  ", $0.duration.milliseconds) + $0.phase }
        }

        private func reportingFailure<T, E: DiagnosticConvertible>(_ step: () throws(E) -> T) throws -> T {
            do {
                return try step()
            } catch {
                DiagnosticReporter.report(Diagnostics([error.diagnostic]))
                throw ContentFailure()
            }
        }
    }
}

/// Something left for the system to free when the process ends.
final class Unfreed<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
}

enum Excluded {
    static func summary(_ excluded: ExcludedPosts) -> String? {
        var parts: [String] = []
        if excluded.drafts > 0 { parts.append("\(English.count(excluded.drafts, "draft")) (--drafts includes them)") }
        if excluded.future > 0 {
            parts.append("\(English.count(excluded.future, "future-dated post")) (--future includes them)")
        }
        return parts.isEmpty ? nil : "Left out " + parts.joined(separator: " and ") + "."
    }
}

/// Swapping the output folder replaces it whole, so it must never be the site itself.
enum OutputGuard {
    static func check(_ output: URL, siteRoot: URL) throws {
        let out = output.path.hasSuffix("/") ? output.path : output.path + "/"
        let protected = [siteRoot] + ["content", "themes", "templates", "static"].map { siteRoot.appendingPathComponent($0) }
        for folder in protected {
            let path = folder.standardizedFileURL.path
            let protectedPath = path.hasSuffix("/") ? path : path + "/"
            if protectedPath.hasPrefix(out) || out.hasPrefix(protectedPath) && folder != siteRoot {
                throw CommandFailure(
                    message: "--output \(output.path) would replace \(folder.path); choose a separate folder such as public",
                    exitCode: 2)
            }
        }
    }
}
