// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way, down the data's path:
//   MWP (protocol) <- Simulator <- Device <- USB
//   Signal (knows no transport) <- Recording
//   Device + Signal + Recording <- Acquisition <- Calibration
//   Ledger stands alone; the `mosquito` executable is a thin shell over all of them.
let package = Package(
    name: "mosquito",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mosquito", targets: ["mosquito"]),
        .library(name: "MWP", targets: ["MWP"]),
        .library(name: "Signal", targets: ["Signal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The wire protocol: values and codecs, no I/O.
        .target(name: "MWP"),
        // Firmware, emulated: speaks only MWP/1 bytes.
        .target(name: "Simulator", dependencies: ["MWP"]),
        // Transports (tty, in-process simulator), device sessions, discovery.
        .target(name: "Device", dependencies: ["MWP", "Simulator"]),
        // Ring, DSP, gap accounting, clock mapping. Knows no transport; depends on nothing.
        .target(name: "Signal"),
        .executableTarget(
            name: "mosquito",
            dependencies: [
                "MWP", "Simulator", "Device", "Signal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MWPTests", dependencies: ["MWP"]),
        .testTarget(name: "DeviceTests", dependencies: ["Device", "Simulator", "MWP"]),
        .testTarget(name: "SignalTests", dependencies: ["Signal"], resources: [.copy("Fixtures")]),
    ]
)
