import Foundation
import LocalGovSite
import Testing

@testable import DevServer

@Suite struct LiveSiteTests {
    func file(_ path: String, _ text: String) -> OutputFile { OutputFile(path: path, text: text, origin: "a test") }

    /// An update tells which files are new, changed or gone, whatever else stayed; a failed build
    /// changes every page (its errors show on each) and keeps the files.
    @Test func anUpdateTellsTheFilesNewChangedAndGone() {
        let live = LiveSite()
        let files = [file("index.html", "A"), file("blog/index.html", "B"), file("style.css", "C")]
        let first = live.update(files: files, errors: [], basePath: "/")
        #expect(first.files == ["index.html", "blog/index.html", "style.css"] && !first.everything)
        #expect(live.update(files: files, errors: [], basePath: "/").isEmpty)

        let changed = live.update(
            files: [file("index.html", "A"), file("blog/index.html", "B2"), file("new/index.html", "D")], errors: [], basePath: "/")
        #expect(changed.files == ["blog/index.html", "style.css", "new/index.html"])
        // As many files as before, one of them in another place.
        let moved = live.update(
            files: [file("index.html", "A"), file("blog/index.html", "B2"), file("old/index.html", "D")], errors: [], basePath: "/")
        #expect(moved.files == ["new/index.html", "old/index.html"])

        let failed = live.update(files: nil, errors: [Diagnostic(.error, code: "test.error", "broken", at: nil)], basePath: nil)
        #expect(failed.everything && failed.files.isEmpty)
        #expect(live.hasErrors)
        let mended = live.update(
            files: [file("index.html", "A"), file("blog/index.html", "B2"), file("old/index.html", "D")], errors: [], basePath: "/")
        #expect(mended.everything && mended.files.isEmpty && !live.hasErrors)
    }
}
