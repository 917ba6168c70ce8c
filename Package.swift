// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way, down the data's path:
//   CMWP/MWP (protocol) <- Simulator <- Device <- USB
//   Signal (knows no transport) <- Recording
//   Device + Signal <- Calibration
//   Ledger stands alone; the `mosquito` executable is a thin shell over all of them.
let package = Package(
    name: "mosquito",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mosquito", targets: ["mosquito"]),
        .library(name: "MWP", targets: ["MWP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The C99 reference codec that instrument firmware links (firmware-protocol/README.md).
        .target(
            name: "CMWP",
            path: "firmware-protocol",
            exclude: ["PROTOCOL.md", "README.md", "vectors"],
            sources: ["src"],
            publicHeadersPath: "include"
        ),
        // Vectors, C-codec seam and seeded generator shared by the CMWP and cross-check tests.
        .target(name: "CMWPTestSupport", dependencies: ["CMWP"], path: "Tests/CMWPTestSupport"),
        .testTarget(name: "CMWPTests", dependencies: ["CMWP", "CMWPTestSupport"]),
        .testTarget(name: "CodecCrossCheckTests", dependencies: ["MWP", "CMWP", "CMWPTestSupport"]),
        .target(name: "MWP"),
        .executableTarget(
            name: "mosquito",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MWPTests", dependencies: ["MWP"]),
    ]
)
