import Foundation

extension Data {
    /// Written beside `target` and renamed into place, so a build stopped halfway leaves no half
    /// file: a reader finds the old file or the new one.
    func writeAtomically(to target: URL) throws {
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString)")
        do {
            try write(to: partial)
            // rename(2) replaces the target in one step; Foundation's replaceItemAt fails on
            // Linux when there is no target yet.
            guard rename(partial.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}
