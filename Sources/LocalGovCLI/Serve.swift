import ArgumentParser
import DevServer
import Foundation
import LocalGovSite

#if canImport(Glibc)
import Glibc
#endif

extension LocalGov {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the site, serve it on this computer and rebuild it as you edit.",
            discussion: """
                Serves from memory: nothing is written to the output folder. Open tabs reload after \
                each rebuild. While the site has errors, pages show them with their file, line and \
                column; the last good version of a page is one link away.
                """)

        @OptionGroup var site: SiteOptions

        // Unlike build, a preview shows drafts unless told not to: a post just made with
        // `new post` is a draft, and the writer wants to see it. Each says it is a draft.
        @Flag(inversion: .prefixedNo, help: "Show posts marked `draft: true`, each marked as a draft.")
        var drafts = true

        @Flag(help: "Include posts dated in the future.")
        var future = false

        @Option(help: "The port to listen on (0 picks a free one).")
        var port: Int = 8000

        @Option(help: "The address to listen on. Only this computer can reach the default.")
        var bind: String = "127.0.0.1"

        @Flag(help: "Notice changes by comparing file times, for folders where change events do not arrive (network drives).")
        var poll = false

        @Flag(help: "Print how long each stage of every build took.")
        var timings = false

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        }

        func run() async throws {
            let server = DevServer(
                .init(
                    root: site.root, host: bind, port: port, options: BuildOptions(selection: ContentSelection(drafts: drafts, future: future)),
                    watch: poll ? .polling(interval: .milliseconds(300)) : .automatic))
            let stop = StopSignal()
            let signals = Signals.handle([SIGINT, SIGTERM]) { stop.stop() }
            defer { signals.cancel() }
            do {
                try await server.run(
                    listening: { address in
                        Self.say("Serving the site at \(address) (Ctrl-C stops).")
                    },
                    report: { [timings] report in
                        switch report {
                        case .built(let build):
                            if timings { Build.timingLines(build.timings).forEach(Self.say) }
                            Self.show(build)
                        case .previewed(let preview):
                            Self.show(preview)
                        }
                    }, stop: stop)
            } catch {
                throw CommandFailure(message: "could not serve on \(bind):\(port): \(error)")
            }
            Self.say("Stopped.")
        }

        /// One line per build, after its diagnostics.
        static func show(_ report: DevServer.BuildReport) {
            DiagnosticReporter.report(report.diagnostics)
            let milliseconds = { (duration: Duration) in String(format: "%.1f ms", duration.milliseconds) }
            var line: String
            if report.succeeded {
                line = "Built \(report.files) files in \(milliseconds(report.duration))"
                line += " (\(English.count(report.counters.parsed, "file")) parsed, "
                line += "\(English.count(report.counters.rendered, "page")) rendered, \(report.counters.renderReused) reused)"
            } else {
                line = "The site has errors; still serving the last good build"
            }
            if let since = report.sinceChange {
                line += report.reloaded ? "; reload sent to \(English.count(report.tabs, "tab")) \(milliseconds(since)) after the change" : "; nothing changed"
            }
            say(line + ".")
        }

        static func show(_ preview: DevServer.PreviewReport) {
            let since = String(format: "%.1f ms", preview.sinceChange.milliseconds)
            say("Previewed \(preview.path); reload sent to \(English.count(preview.tabs, "tab")) \(since) after the change.")
        }

        /// At once, not when a buffer fills: whoever watches the terminal (or a test) sees each build.
        static func say(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
