import Foundation
import Testing

/// The output folder under stress: two builds writing it at once, and Ctrl-C at any moment of a
/// build. Either way it holds one whole site, and nothing is left beside it.
extension CLITests {
    /// The basic site with enough generated posts that writing takes a noticeable time.
    static func busySite() throws -> URL {
        let site = try copySite("basic")
        let blog = site.appendingPathComponent("content/blog")
        for index in 0..<1500 {
            let body = (1...12).map { "Paragraph \($0) of generated post \(index), about council services." }.joined(separator: "\n\n")
            let text = "---\ntitle: Generated post \(index)\ndate: 2024-01-\(String(format: "%02d", index % 28 + 1))\ntags: [t\(index % 30)]\n---\n\n\(body)\n"
            try text.write(to: blog.appendingPathComponent("generated-\(index).md"), atomically: false, encoding: .utf8)
        }
        return site
    }

    static func startBuild(_ arguments: [String], in site: URL) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["build"] + arguments
        process.currentDirectoryURL = site
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func leftovers(in site: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.contains("localgov-") }
    }

    @Test func twoBuildsAtOnceLeaveOneWholeSite() throws {
        let site = try Self.busySite()
        for name in ["a", "b"] {
            #expect(try Self.localgov(["build", "--base-url", "https://\(name).example/", "--output", "ref-\(name)"], in: site).status == 0)
        }
        let a = try Self.snapshot(site.appendingPathComponent("ref-a"))
        let b = try Self.snapshot(site.appendingPathComponent("ref-b"))
        #expect(a != b)
        // The first round starts with no output folder at all: both race to create it.
        for round in 1...3 {
            let first = try Self.startBuild(["--base-url", "https://a.example/"], in: site)
            let second = try Self.startBuild(["--base-url", "https://b.example/"], in: site)
            first.waitUntilExit()
            second.waitUntilExit()
            #expect(first.terminationStatus == 0 && second.terminationStatus == 0, "round \(round)")
            let output = try Self.snapshot(site.appendingPathComponent("public"))
            #expect(output == a || output == b, "round \(round): the output mixes the two builds")
            #expect(try Self.leftovers(in: site).isEmpty, "round \(round)")
        }
    }

    @Test func ctrlCAtAnyMomentLeavesTheLastSiteWhole() throws {
        let site = try Self.busySite()
        let started = Date()
        #expect(try Self.localgov(["build", "--base-url", "https://old.example/"], in: site).status == 0)
        let duration = Date().timeIntervalSince(started)
        let old = try Self.snapshot(site.appendingPathComponent("public"))
        #expect(try Self.localgov(["build", "--base-url", "https://new.example/", "--output", "ref-new"], in: site).status == 0)
        let new = try Self.snapshot(site.appendingPathComponent("ref-new"))

        var interrupted = 0
        // Spread over the whole build, so some land while it reads, some while it renders and some while it writes.
        for step in 1...10 {
            let build = try Self.startBuild(["--base-url", "https://new.example/"], in: site)
            Thread.sleep(forTimeInterval: duration * Double(step) / 10)
            build.interrupt()
            build.waitUntilExit()
            let status = build.terminationStatus
            #expect(status == 130 || status == 0, "step \(step): exit status \(status)")
            if status == 130 { interrupted += 1 }
            let output = try Self.snapshot(site.appendingPathComponent("public"))
            #expect(output == old || output == new, "step \(step): a half-written site")
            let left = try Self.leftovers(in: site)
            #expect(left.isEmpty, "step \(step): \(left)")
            if output == new {
                #expect(try Self.localgov(["build", "--base-url", "https://old.example/"], in: site).status == 0)
            }
        }
        #expect(interrupted > 0, "no build was stopped: the test stopped nothing")
    }
}
