import Foundation
import Testing

@testable import LocalGovSite

/// The digests the build cache on disk is keyed by: the same in every process, different for
/// different values, and complete for the types whose digest is written by hand.
@Suite struct StableHasherTests {
    func digest(_ build: (inout StableHasher) -> Void) -> String {
        var hasher = StableHasher()
        build(&hasher)
        return hasher.finalize().description
    }

    /// A fixed value, so a digest that changed between processes, machines or Swift versions
    /// (as `Hasher`'s does) fails here rather than in a cache that never hits. The expected value
    /// is Python's `hashlib.sha256` over the same bytes: each value a tag byte and a little-endian
    /// 64-bit length or number, then a string's UTF-8.
    @Test func aDigestIsTheSameInEveryProcess() {
        let value = digest {
            $0.combine("LocalGov Digital")
            $0.combine(15)
            $0.combine(true)
            $0.combine(["think", "do", "share"])
        }
        #expect(value == "925ee83e43c7dd6c3214707438cf1410c8d219c35fd7fc3eac255b4bd8b72da5")
    }

    /// A digest inside another is its 32 bytes in order, and digests sort as their bytes do:
    /// the expected values are Python's `hashlib.sha256`.
    @Test func aFingerprintIsItsBytesInOrder() {
        let abc = Fingerprint.sha256(of: Data("abc".utf8))
        #expect(abc.description == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest { $0.combine(abc) } == "e2a8e90e52fe2c0742e0e84c5d97b82e006eac6d91fd791513dcf003d7d2069b")
        let many = (0..<200).map { Fingerprint.sha256(of: Data(String($0).utf8)) }
        #expect(many.sorted().map(\.description) == many.map(\.description).sorted())
        #expect(Set(many).count == 200)
    }

    @Test func valuesAreNotRunTogether() {
        #expect(digest { $0.combine("ab"); $0.combine("c") } != digest { $0.combine("a"); $0.combine("bc") })
        #expect(digest { $0.combine(["a", "b"]) } != digest { $0.combine(["a"]); $0.combine("b") })
        #expect(digest { $0.combine(1) } != digest { $0.combine(true) })
        #expect(digest { $0.combine(nil as String?) } != digest { $0.combine("") })
    }

    @Test func dictionariesAndSetsDigestTheSameInAnyOrder() {
        var forwards: [String: Int] = [:]
        var backwards: [String: Int] = [:]
        let keys = (0..<200).map { "key \($0)" }
        for (index, key) in keys.enumerated() { forwards[key] = index }
        for (index, key) in keys.enumerated().reversed() { backwards[key] = index }
        #expect(digest { $0.combine(reflecting: forwards) } == digest { $0.combine(reflecting: backwards) })
        #expect(digest { $0.combine(reflecting: Set(keys)) } == digest { $0.combine(reflecting: Set(keys.reversed())) })
        backwards["key 7"] = 8
        #expect(digest { $0.combine(reflecting: forwards) } != digest { $0.combine(reflecting: backwards) })
        let context: [String: Any] = ["title": "A", "posts": [["n": 1], ["n": 2]], "flag": true]
        let other: [String: Any] = ["flag": true, "posts": [["n": 1], ["n": 2]], "title": "A"]
        #expect(ContextFingerprint.of(context, template: nil) == ContextFingerprint.of(other, template: nil))
        #expect(ContextFingerprint.of(context, template: nil) != ContextFingerprint.of(["title": "A"], template: nil))
    }

    @Test func aLeafTypeItDoesNotKnowIsDigestedByItsValue() {
        #expect(digest { $0.combine(reflecting: UInt8(1)) } != digest { $0.combine(reflecting: UInt8(2)) })
        #expect(digest { $0.combine(reflecting: Float(1)) } != digest { $0.combine(reflecting: Float(2)) })
    }

    /// `StablyHashed` digests are written by hand; each must name every stored property.
    @Test func handWrittenDigestsCoverEveryProperty() throws {
        let result = try buildInMemory([
            "content/blog/p.md": "---\ntitle: P\ndate: 2024-05-01\ntags: [a]\n---\n\n## Part\n\nSee [the Standard](/standard/).\n\n![A map](map.png)\n"
        ])
        let post = try #require(result.site?.posts.first)
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        #expect(
            labels(post) == [
                "source", "slug", "path", "aliases", "importedUnedited", "title", "date", "updated", "image", "authors",
                "tags", "summary", "draft", "language", "body", "extra",
            ])
        // A body is digested by its `fingerprint`, made from every property before it (the
        // texts' HTML and plain text) but `hasReferences`, which is worked out from `links`.
        #expect(
            labels(post.body) == [
                "texts", "headings", "links", "hasReferences", "images", "firstParagraph", "tablesWithoutHeaders", "imageMark",
                "fingerprint",
            ])
        #expect(labels(BodyTexts.Texts(html: "", plainText: "")) == ["html", "plainText"])
        #expect(labels(try #require(post.body.headings.first)) == ["level", "text", "id", "location"])
        #expect(labels(try #require(post.body.links.first)) == ["destination", "text", "location"])
        #expect(labels(try #require(post.body.images.first)) == ["source", "alt", "title", "location"])
        #expect(labels(post.date) == ["instant", "year", "month", "day"])
        #expect(labels(try #require(post.tags.first)) == ["name", "slug"])
        #expect(labels(SourceLocation(file: "x")) == ["file", "line", "column"])
        #expect(labels(MarkdownOptions()) == ["unsafeHTML", "smartPunctuation", "reservedIDs"])
        #expect(labels(YearArchive(year: 2024, posts: [0])) == ["year", "posts"])
        #expect(labels(Alias(written: "/old/", page: nil, location: SourceLocation(file: "x"))) == ["written", "page", "location"])
        #expect(labels(ShareImage(source: "a.png", alt: "A", location: SourceLocation(file: "x"))) == ["source", "alt", "location"])
    }

    @Test func aPostsDigestChangesWithWhatItShows() throws {
        let text = "---\ntitle: P\ndate: 2024-05-01\n---\n\nWords.\n"
        let one = try #require(try buildInMemory(["content/blog/p.md": text]).site?.posts.first)
        let two = try #require(try buildInMemory(["content/blog/p.md": text]).site?.posts.first)
        #expect(digest { one.combine(into: &$0) } == digest { two.combine(into: &$0) })
        for (was, now) in [("title: P", "title: Q"), ("date: 2024-05-01", "date: 2024-05-02"), ("Words.", "Other words.")] {
            let changed = text.replacingOccurrences(of: was, with: now)
            let other = try #require(try buildInMemory(["content/blog/p.md": changed]).site?.posts.first)
            #expect(digest { one.combine(into: &$0) } != digest { other.combine(into: &$0) }, "\(now)")
        }
    }
}
