import Foundation
import Testing

@testable import LocalGovSite

/// The sample site is the network's own: the Local Government Digital Service Standard's 15
/// points as the network publishes them (version 1, April 2016), the draft digital principles of
/// 9 June 2016 as posted, and the network's story. These fail on content that drifts from them.
@Suite struct SampleContentTests {
    static let built: BuildResult = SiteBuild.run(fileSystem: LocalFileSystem(root: Paths.repository), clock: testClock)

    func text(_ path: String) throws -> String {
        String(decoding: try #require(Self.built.outputs.first { $0.path == path }, "no \(path)").bytes, as: UTF8.self)
    }

    /// The short titles the network uses; 10 to 14 are ours, chosen from the statement, where the
    /// network's own short title is not confirmed.
    static let titles = [
        "Understand user needs", "Have a multidisciplinary team", "Use agile methods", "Iterate and improve regularly",
        "Evaluate appropriate tools and systems", "Evaluate what user data and information", "Use open standards",
        "Test the end-to-end service", "Make a plan for being offline", "Make sure users succeed first time",
        "Be consistent with government services", "Encourage maximum usage", "Identify performance indicators",
        "Do ongoing user research", "Test with senior manager",
    ]

    /// Words each point's statement (its summary and first paragraph) keeps from the Standard.
    static let keyTerms: [[String]] = [
        ["users", "research", "design"],
        ["multidisciplinary", "senior service manager", "decision-making"],
        ["agile", "iterative", "user-centred", "Government Service Design Manual"],
        ["user need", "capacity", "resources", "technical flexibility"],
        ["build", "host", "operate", "measure", "procure", "reuse"],
        ["security level", "legal responsibilities", "privacy", "risks"],
        ["open standards", "registers", "authoritative data", "source code", "licences"],
        ["end to end", "like the live", "browsers", "devices"],
        ["temporarily offline", "test"],
        ["first time", "unaided"],
        ["common government platforms", "design patterns"],
        ["assisted digital"],
        ["performance indicators", "performance platform"],
        ["ongoing user research", "usability testing", "performance data"],
        ["senior manager", "council member"],
    ]

    @Test func theSampleSiteBuildsWithoutErrors() {
        #expect(Self.built.succeeded, "\(Self.built.errorLines)")
    }

    @Test func theStandardIsTheLGDSSsFifteenPointsInOrder() throws {
        let standard = try #require(Self.built.site?.standard)
        #expect(standard.points.map(\.title) == Self.titles)
        #expect(standard.points.map(\.number) == Array(1...15))
        for (point, terms) in zip(standard.points, Self.keyTerms) {
            let statement = (point.summary + " " + point.body.firstParagraph).lowercased()
            for term in terms {
                #expect(statement.contains(term.lowercased()), "point \(point.number) should say \"\(term)\"")
            }
        }
        for gone in ["Make it accessible", "Make all new source code open", "Make sure the service has an owner", "Measure performance and publish it"] {
            #expect(!standard.points.contains { $0.title == gone })
        }
    }

    @Test func theStandardSaysWhereItCameFromAndWhichVersionThisIs() throws {
        let standard = try #require(Self.built.site?.standard)
        #expect(standard.version == "1")
        let intro = try #require(standard.intro).body.html
        for fact in ["Government Digital Service", "60 councils", "5 February 2016", "18 March 2016", "April 2016"] {
            #expect(intro.contains(fact), "the Standard's intro should say \"\(fact)\"")
        }
        let changes = try text("standard/changes/index.html")
        #expect(changes.contains("<time datetime=\"2016-04-08\">8 April 2016</time>"))
        #expect(changes.contains("<time datetime=\"2016-03-18\">18 March 2016</time>"))
        let adopting = try text("adopting-the-standard/index.html")
        #expect(adopting.contains("peer review"))
        #expect(adopting.contains("South West"))
    }
}

extension SampleContentTests {
    /// The rows of the draft of 9 June 2016, in its order, and none that is not in it.
    static let principleRows = [
        "digital-by-default", "joined-up-to-a-national-standard", "measure-user-satisfaction", "redesign-processes",
        "discover-the-solution", "agile-where-appropriate", "reuse-existing-functionality", "work-with-other-councils",
        "keep-improving", "team-skills-first",
    ]

    @Test func thePrinciplesAreTheCreditedDraftOfJune2016() throws {
        let set = try #require(Self.built.site?.principles?.sets.first)
        #expect(Self.built.site?.principles?.sets.count == 1)
        #expect(set.rows.map(\.id) == Self.principleRows)
        let page = try text("principles/index.html")
        for fact in ["mystery shopper", "peer network", "<time datetime=\"2016-06-09\">9 June 2016</time>"] + ["Phil Rumens", "Ben Cheetham", "James Gore", "Rob Miller"] {
            #expect(page.contains(fact), "the principles page should say \"\(fact)\"")
        }
        #expect(page.contains("Draft"))
    }

    @Test func theAboutPageTellsTheNetworksOwnStory() throws {
        let about = try text("about/index.html")
        for fact in ["September 2012", "LocalGovCamp", "think, do, share", "Unmentoring", "Pipeline", "peer groups"] {
            #expect(about.contains(fact), "the about page should say \"\(fact)\"")
        }
    }

    @Test func everySampleAuthorHasAProfileShownOnTheirPage() throws {
        let site = try #require(Self.built.site)
        let named = Set(site.posts.flatMap(\.authors))
        #expect(!named.isEmpty)
        for author in named {
            let profile = try #require(site.profiles[author.slug], "no profile for \(author.name)")
            let page = try text("blog/authors/\(author.slug)/index.html")
            #expect(page.contains(">\(author.name)</h1>"))
            #expect(page.contains(profile.bio.html), "\(author.name)'s page should show the profile")
        }
    }
}
