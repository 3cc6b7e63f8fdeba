// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "localgov",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "localgov", targets: ["localgov"]),
        .library(name: "LocalGovSite", targets: ["LocalGovSite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        .target(name: "VipsShim", dependencies: ["CVips"]),
        .target(
            name: "LocalGovSite",
            dependencies: [
                "CCmarkGFM",
                "CLibXML2",
                "VipsShim",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Yams", package: "Yams"),
            ],
            plugins: ["BuiltInPlugin"]
        ),
        .executableTarget(name: "BuiltInTool", path: "Sources/BuiltInTool"),
        .plugin(
            name: "BuiltInPlugin", capability: .buildTool(), dependencies: ["BuiltInTool"], path: "Sources/BuiltInPlugin"),
        .target(
            name: "FeedFetch",
            dependencies: [
                "LocalGovSite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "DevServer",
            dependencies: [
                "LocalGovSite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LocalGovCLI",
            dependencies: [
                "LocalGovSite",
                "FeedFetch",
                "DevServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuiltInPlugin"]
        ),
        // gperftools' tcmalloc in place of glibc's malloc: a build makes millions of short-lived
        // strings and arrays on both cores, and with tcmalloc a first build of 10,000 posts took
        // 14 % less time at the same peak memory. Named by the runtime file Debian's
        // libtcmalloc-minimal4 installs, so no -dev package (with libunwind's headers) is needed.
        .executableTarget(
            name: "localgov", dependencies: ["LocalGovCLI"],
            linkerSettings: [.linkedLibrary(":libtcmalloc_minimal.so.4", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "LocalGovSiteTests",
            dependencies: ["LocalGovSite", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "FeedFetchTests",
            dependencies: ["FeedFetch", "LocalGovSite", "TestSupport"]
        ),
        .testTarget(
            name: "DevServerTests",
            dependencies: ["DevServer", "LocalGovSite"]
        ),
        .testTarget(
            name: "LocalGovCLITests",
            dependencies: ["LocalGovCLI", "LocalGovSite", "TestSupport"]
        ),
    ]
)
