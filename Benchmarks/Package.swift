// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so the main build never compiles ordo-one/benchmark or its
// jemalloc/malloc interposer. Run from this folder: `swift package benchmark` (see README).
let package = Package(
    name: "mosquito-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "mosquito", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SignalBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Signal", package: "mosquito"),
            ],
            path: "SignalBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RecordingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Recording", package: "mosquito"),
            ],
            path: "RecordingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "USBBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "USB", package: "mosquito"),
            ],
            path: "USBBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
