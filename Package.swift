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
        .library(name: "USB", targets: ["USB"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "MWP"),
        .target(name: "Simulator", dependencies: ["MWP"]),
        .target(name: "Device", dependencies: ["MWP", "Simulator"]),
        .systemLibrary(
            name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .target(name: "USB", dependencies: ["Device", "MWP", "CLibUSB"]),
        // Test support only: umockdev's in-process testbed and a usbdevfs emulator on its ioctl-handler API.
        .systemLibrary(
            name: "CUMockdev", pkgConfig: "umockdev-1.0", providers: [.apt(["libumockdev-dev", "umockdev"])]),
        .target(name: "CUSBEmulator", dependencies: ["CUMockdev"]),
        .executableTarget(
            name: "mosquito",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MWPTests", dependencies: ["MWP"]),
        .testTarget(name: "DeviceTests", dependencies: ["Device", "Simulator", "MWP"]),
        .testTarget(
            name: "USBTests",
            dependencies: ["USB", "Device", "Simulator", "MWP", "CLibUSB", "CUSBEmulator"],
            exclude: ["Fixtures"]),
    ]
)
