import Foundation
import FuzzSupport
import LocalGovSite

/// `content/voice/members.toml`, read and decoded as the build reads it, through the members parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMembers(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let file = OneFileSystem.sourceFile(Fuzz.data(bytes, count), at: MembersParser.path) else { return 0 }
    let (members, diagnostics) = MembersParser.parse(file)
    let lines = FileLines(file)
    lines.expectInside(diagnostics)
    for member in members { lines.expectInside(member.location, "member \(member.name)") }
    checkMembers(members)
    return 0
}

/// Each member becomes a page and a cache file named by its slug, and is fetched from its feed.
private func checkMembers(_ members: [Member]) {
    Fuzz.expect(Set(members.map(\.slug)).count == members.count, "two members share a slug")
    Fuzz.expect(Set(members.map(\.feed)).count == members.count, "two members share a feed")
    for member in members {
        Fuzz.expect(Slug.isSafe(member.slug) && Slug.make(member.slug) == member.slug, "slug \(member.slug)")
        for address in [member.url, member.feed] {
            Fuzz.expect(["http", "https"].contains(URL(string: address)?.scheme?.lowercased()), "address \(address)")
        }
        Fuzz.expect(!member.name.isEmpty, "a member without a name")
    }
}
