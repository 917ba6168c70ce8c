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
        .library(name: "Signal", targets: ["Signal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Signal: ring, DSP, gap accounting, clock mapping. Knows no transport; depends on nothing.
        .target(name: "Signal"),
        .testTarget(
            name: "SignalTests",
            dependencies: ["Signal"],
            resources: [.copy("Fixtures")]
        ),
        .executableTarget(
            name: "mosquito",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
