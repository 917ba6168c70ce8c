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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // ledger
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .executableTarget(
            name: "mosquito",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // ledger
                "Ledger",
            ]
        ),
        // ledger
        .target(
            name: "Ledger",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "mosquito"]
        ),
    ]
)
