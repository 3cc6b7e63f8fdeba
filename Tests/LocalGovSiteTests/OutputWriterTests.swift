import Foundation
import Testing

@testable import LocalGovSite

/// The writer bringing the site before last up to date instead of writing every file afresh:
/// the output must be exactly what a fresh write gives, whatever the spare holds.
@Suite struct OutputWriterTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
    var output: URL { root.appendingPathComponent("public") }
    var spare: URL { root.appendingPathComponent("cache/spare-site") }
    var kept: URL { root.appendingPathComponent("cache/pages") }

    init() throws {
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
    }

    /// Every file below `folder` with its bytes, and every folder (as a path ending in `/`).
    static func tree(_ folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        let base = folder.standardizedFileURL.path + "/"
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
            let path = String(url.standardizedFileURL.path.dropFirst(base.count))
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
            if isFolder.boolValue { found[path + "/"] = Data() } else { found[path] = try Data(contentsOf: url) }
        }
        return found
    }

    static func inode(_ url: URL) -> UInt64 {
        var info = stat()
        return lstat(url.path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    /// A page kept in the cache, as the build store keeps it: a file never changed in place.
    func keptPage(_ name: String, _ text: String) throws -> OutputFile.Content {
        let file = kept.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return .file(file.path)
    }

    func bytes(_ path: String, _ text: String) -> OutputFile { OutputFile(path: path, text: text, origin: "test") }

    /// Writes `files` with the spare and, apart, without it; the two outputs must be the same.
    func writeBothWays(_ files: [OutputFile]) throws {
        try OutputWriter.write(files, to: output, spare: spare)
        let fresh = root.appendingPathComponent("fresh")
        try OutputWriter.write(files, to: fresh)
        #expect(try Self.tree(output) == Self.tree(fresh))
        try FileManager.default.removeItem(at: fresh)
    }

    @Test func theSiteBeforeLastIsBroughtUpToDate() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let first = [
            bytes("index.html", "home 1"), bytes("feed.xml", "feed"), bytes("gone/index.html", "gone"),
            bytes("becomes-folder", "a file first"), bytes("becomes-file/index.html", "a folder first"),
            OutputFile(path: "blog/post/index.html", content: try keptPage("a", "post 1"), origin: "test"),
        ]
        try writeBothWays(first)
        #expect(!FileManager.default.fileExists(atPath: spare.path), "there was no site before the first")
        try writeBothWays(first)
        #expect(FileManager.default.fileExists(atPath: spare.path.appending("/gone/index.html")), "the replaced site is kept")

        // The kept site also holds what someone put into the published one by hand.
        try Data("stray".utf8).write(to: spare.appendingPathComponent("stray.txt"))
        try FileManager.default.createDirectory(at: spare.appendingPathComponent("stray/deep"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: spare.appendingPathComponent("blog/link"), withDestinationURL: URL(fileURLWithPath: "/"))
        let unchangedFeed = Self.inode(spare.appendingPathComponent("feed.xml"))
        let linkedPost = kept.appendingPathComponent("a")

        let second = [
            bytes("index.html", "home 2"), bytes("feed.xml", "feed"),
            bytes("becomes-folder/index.html", "a folder now"), bytes("becomes-file", "a file now"),
            OutputFile(path: "blog/post/index.html", content: try keptPage("b", "post 2"), origin: "test"),
            bytes("blog/other/index.html", "new"),
        ]
        try writeBothWays(second)
        #expect(Self.inode(output.appendingPathComponent("feed.xml")) == unchangedFeed, "unchanged bytes are not rewritten")
        #expect(
            Self.inode(output.appendingPathComponent("blog/post/index.html")) == Self.inode(kept.appendingPathComponent("b")),
            "a kept page is linked")
        #expect(try String(contentsOf: linkedPost, encoding: .utf8) == "post 1", "the cache's file is not written through")

        // The page the spare linked from the cache now becomes bytes at the same address.
        try writeBothWays([bytes("index.html", "home 3"), bytes("blog/post/index.html", "post 3")])
        #expect(try String(contentsOf: linkedPost, encoding: .utf8) == "post 1")
        #expect(try String(contentsOf: kept.appendingPathComponent("b"), encoding: .utf8) == "post 2")
        try writeBothWays(first)
    }

    @Test func aSpareThatIsNotAFolderOnlyCostsTheSaving() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: spare.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not a site".utf8).write(to: spare)
        try writeBothWays([bytes("index.html", "home"), bytes("blog/index.html", "blog")])
        #expect(!FileManager.default.fileExists(atPath: spare.path))
    }

    /// Foundation's `NSString.deletingLastPathComponent` crashed on a path of one or two
    /// characters, so a file called `x` in `static/` stopped the whole build.
    @Test func namesOfOneOrTwoCharactersAreWritten() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try writeBothWays([bytes("x", "one"), bytes("é", "two"), bytes("a/b", "three"), bytes("index.html", "home")])
        #expect(try String(contentsOf: output.appendingPathComponent("x"), encoding: .utf8) == "one")
    }

}

/// Writing a file whole or not at all, by path, as the build cache does for every entry.
@Suite struct AtomicWriteTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")

    @Test func aFileIsReplacedWholeAndNothingIsLeftBeside() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("page").path
        try Data("first".utf8).writeAtomically(toPath: target)
        let linked = folder.appendingPathComponent("linked").path
        #expect(link(target, linked) == 0)
        let stamp = try Data(repeating: 7, count: 300_000).writeAtomically(toPath: target)
        // The stamp a write returns is the file's as a later look at it finds it.
        #expect(stamp == FileStamp(target, size: 300_000))
        #expect(stamp != FileStamp(linked, size: 5))
        try Data().writeAtomically(toPath: folder.appendingPathComponent("empty").path)
        #expect(try Data(readingFileAt: target) == Data(repeating: 7, count: 300_000))
        // A new file, not the old one written through: a link to the old one keeps its bytes.
        #expect(try Data(readingFileAt: linked) == Data("first".utf8))
        #expect(try Data(readingFileAt: folder.appendingPathComponent("empty").path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["empty", "linked", "page"])
    }

    @Test func aNewFileIsNeverWrittenOverAnOldOne() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("entry").path
        #expect(try Data("first".utf8).writeNewFile(atPath: target) == FileStamp(target, size: 5))
        let error = try #require(throws: CocoaError.self) { try Data("second".utf8).writeNewFile(atPath: target) }
        #expect((error.userInfo[NSUnderlyingErrorKey] as? POSIXError)?.code == .EEXIST)
        #expect(try Data(readingFileAt: target) == Data("first".utf8))
    }

    @Test func aFailedWriteSaysWhereAndWhy() throws {
        let target = folder.appendingPathComponent("missing-folder/page").path
        let error = try #require(throws: CocoaError.self) { try Data("x".utf8).writeAtomically(toPath: target) }
        #expect(error.code == .fileNoSuchFile)
        #expect(error.userInfo[NSFilePathErrorKey] as? String == target)
        #expect((error.userInfo[NSUnderlyingErrorKey] as? POSIXError)?.code == .ENOENT)
    }
}
