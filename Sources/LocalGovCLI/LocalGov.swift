import ArgumentParser
import Foundation

/// The `localgov` command. Subcommands only throw; `main` is the one place that turns
/// errors into messages and exit codes (0 ok, 1 content or config errors, 2 usage).
public struct LocalGov: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "localgov",
        abstract: "Build the LocalGov Digital site from markdown, TOML and templates.",
        version: Version.description,
        subcommands: [Init.self, Build.self, Check.self, Serve.self, New.self, Import.self, Feeds.self])

    public init() {}

    public static func run(arguments: [String]? = nil) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return 0
        } catch is ContentFailure {
            return 1
        } catch let failure as CommandFailure {
            Terminal.error("error: \(failure.message)")
            return failure.exitCode
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            Terminal.error(message)
            return code == .validationFailure ? 2 : code.rawValue
        }
    }
}

/// The build found errors in content or configuration; they have been reported already.
struct ContentFailure: Error {}

/// A command could not do what was asked, for a reason that is not in the content.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32 = 1
}

/// Where the site is: every command reads `site.toml` and `content/` from here.
struct SiteOptions: ParsableArguments {
    @Option(name: .customLong("site"), help: "The site's folder (the one holding site.toml).")
    var path: String = "."

    var root: URL {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }
}

enum Terminal {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension Duration {
    /// For the terminal: builds and reloads are reported in milliseconds.
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

/// Signals handled on a queue of their own instead of ending the process where it stands.
struct Signals {
    private let sources: [any DispatchSourceSignal]

    static func handle(_ numbers: [Int32], _ handler: @escaping @Sendable () -> Void) -> Signals {
        Signals(
            sources: numbers.map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler(handler: handler)
                source.resume()
                return source
            })
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
