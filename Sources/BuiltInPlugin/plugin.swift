import Foundation
import PackagePlugin

/// Puts the default theme into the library, so a binary installed without the repository builds
/// a site that has no `themes/` folder, and the commit being built into the command line, so it
/// can say what it is. Kept apart so that a new commit recompiles only the small CLI target.
@main struct BuiltInPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let theme = root.appending(path: "themes/default")
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltIn.swift")
        var inputs: [URL] = []
        let what: String
        if target.name == "LocalGovCLI" {
            what = "commit"
            // The files a new commit or checkout changes, so the commit is read again after either.
            var names = [".git/HEAD", ".git/packed-refs"]
            if let head = try? String(contentsOf: root.appending(path: ".git/HEAD"), encoding: .utf8), head.hasPrefix("ref: ") {
                names.append(".git/" + head.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
            }
            for name in names {
                let url = root.appending(path: name)
                if FileManager.default.fileExists(atPath: url.path) { inputs.append(url) }
            }
        } else {
            what = "theme"
            let walker = FileManager.default.enumerator(at: theme, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = walker?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { inputs.append(url) }
            }
        }
        return [
            .buildCommand(
                displayName: "Building in the \(what)",
                executable: try context.tool(named: "BuiltInTool").url,
                arguments: [what, root.path, theme.path, output.path],
                inputFiles: inputs.sorted { $0.path < $1.path },
                outputFiles: [output])
        ]
    }
}
