// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so the main build never compiles ordo-one/benchmark or its
// jemalloc/malloc interposer. Run from this folder: `swift package benchmark` (see README).

/// One benchmark executable in folder `name`, measuring the root package's `product` (the plain values of
/// `MosquitoModel` come with every product).
func benchmark(_ name: String, measuring product: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: product, package: "mosquito"),
            .product(name: "MosquitoModel", package: "mosquito"),
        ],
        path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "mosquito-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "mosquito", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        benchmark("SignalBenchmarks", measuring: "Signal"),
        benchmark("RecordingBenchmarks", measuring: "Recording"),
        benchmark("USBBenchmarks", measuring: "USB"),
        benchmark("MWPBenchmarks", measuring: "MWP"),
        benchmark("LedgerBenchmarks", measuring: "Ledger"),
    ]
)
