// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the parsers that read what contributors and members' blogs write.
// A package of its own, so the site's `swift build` and `swift test` never see fuzzer flags.
// Build and run them with scripts/fuzz, which explains the flags they need.
let package = Package(
    name: "localgov-fuzz",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "document", targets: ["FuzzDocument"]),
        .executable(name: "feed", targets: ["FuzzFeed"]),
        .executable(name: "sanitiser", targets: ["FuzzSanitiser"]),
        .executable(name: "site-config", targets: ["FuzzSiteConfig"]),
        .executable(name: "members", targets: ["FuzzMembers"]),
    ],
    dependencies: [.package(name: "localgov", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "LocalGovSite", package: "localgov")]),
        .executableTarget(name: "FuzzDocument", dependencies: ["FuzzSupport", .product(name: "LocalGovSite", package: "localgov")]),
        .executableTarget(name: "FuzzFeed", dependencies: ["FuzzSupport", .product(name: "LocalGovSite", package: "localgov")]),
        .executableTarget(name: "FuzzSanitiser", dependencies: ["FuzzSupport", .product(name: "LocalGovSite", package: "localgov")]),
        .executableTarget(name: "FuzzSiteConfig", dependencies: ["FuzzSupport", .product(name: "LocalGovSite", package: "localgov")]),
        .executableTarget(name: "FuzzMembers", dependencies: ["FuzzSupport", .product(name: "LocalGovSite", package: "localgov")]),
    ]
)
