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
        .library(name: "Recording", targets: ["Recording"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // HDF5 (Debian libhdf5-dev 1.10, the non-MPI "serial" flavour): the system library gives include path and link flags;
        // the shim exposes what the C API only offers as macros (H5T_NATIVE_*, H5P_*, H5F_ACC_*).
        .systemLibrary(
            name: "CHDF5System",
            path: "Sources/CHDF5/System",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        .target(
            name: "CHDF5",
            dependencies: ["CHDF5System"],
            path: "Sources/CHDF5/Shim"
        ),
        .target(
            name: "Recording",
            dependencies: ["CHDF5"]
        ),
        .testTarget(
            name: "RecordingTests",
            dependencies: ["Recording"]
        ),
        .executableTarget(
            name: "mosquito",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
