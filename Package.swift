// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way, down the data's path:
//   MosquitoModel (plain values: identity, channels, calibration polynomial, gaps and loss by cause, clock
//     exchanges, the version) depends on nothing; every target below but CMWP, Ledger, LSL and MQTT may use it.
//   CMWP (C reference codec, for firmware) / MWP (protocol) <- Device <- Simulator, USB (each registers its URI scheme)
//   Signal (knows no transport) <- Recording
//   Device + Signal + Recording <- Acquisition <- Calibration (points are taken as a subscriber of the stream);  Recording + Device <- Replay
//   Ledger and LSL (Lab Streaming Layer, on SwiftNIO) stand alone; Acquisition + LSL <- LSLBridge;
//   MQTT (libmosquitto) knows no device; Acquisition + MQTT <- Publish (a device's stream on a broker);
//   Publish + Recording <- Archive;
//   the `mosquito` executable is a thin shell over all of them.
/// Where Debian keeps this machine's libraries (HDF5's static archive among them).
#if arch(arm64)
let debianMultiarch = "aarch64-linux-gnu"
#else
let debianMultiarch = "x86_64-linux-gnu"
#endif

let package = Package(
    name: "mosquito",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mosquito", targets: ["mosquito"]),
        .library(name: "MosquitoModel", targets: ["MosquitoModel"]),
        .library(name: "MWP", targets: ["MWP"]),
        .library(name: "Signal", targets: ["Signal"]),
        .library(name: "Recording", targets: ["Recording"]),
        .library(name: "USB", targets: ["USB"]),
        .library(name: "Ledger", targets: ["Ledger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
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
        // Where tests find the `mosquito` binary, the package root and the test environment's Python.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CMWPTests", dependencies: ["CMWP", "CMWPTestSupport", "TestSupport"]),
        .testTarget(name: "CodecCrossCheckTests", dependencies: ["MosquitoModel", "MWP", "CMWP", "CMWPTestSupport", "TestSupport"]),
        // Hardware CRC-32C (SSE4.2) behind a runtime CPU check: Swift cannot call intrinsics itself.
        .target(name: "CMWPAccel"),
        // Plain values every layer shares (one type per concept, one spelling per unit). Depends on nothing.
        .target(name: "MosquitoModel"),
        // The wire protocol: values and codecs, no I/O.
        .target(name: "MWP", dependencies: ["CMWPAccel", "MosquitoModel"]),
        // Transports (tty; others register their URI scheme with the opener), device sessions, discovery.
        .target(name: "Device", dependencies: ["MosquitoModel", "MWP"]),
        // Firmware, emulated (speaks only MWP/1 bytes), reached in process or on a pty as the `sim` scheme.
        .target(name: "Simulator", dependencies: ["MosquitoModel", "MWP", "Device"]),
        // USB on libusb-1.0: async bulk streaming, discovery, hotplug, reconnect.
        .systemLibrary(
            name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .target(name: "USB", dependencies: ["Device", "MWP", "CLibUSB"]),
        // Test support only: umockdev's in-process testbed and a usbdevfs emulator on its ioctl-handler API.
        .systemLibrary(
            name: "CUMockdev", pkgConfig: "umockdev-1.0", providers: [.apt(["libumockdev-dev", "umockdev"])]),
        .target(name: "CUSBEmulator", dependencies: ["CUMockdev"]),
        // Ring, DSP, gap accounting, clock mapping. Knows no transport; depends on nothing.
        .target(name: "Signal", dependencies: ["MosquitoModel"]),
        // HDF5 (Debian libhdf5-dev, 1.10 serial), linked statically: Debian's shared libhdf5 needs libcurl and
        // OpenSSL for its S3 driver, which loads the whole TLS stack (≈5 MB resident) into every process, `record`
        // included; the static archive pulls in only what the recorder calls. The shim exposes what the C API only
        // offers as macros (H5T_NATIVE_*, H5P_*, H5F_ACC_*).
        .systemLibrary(name: "CHDF5System", path: "Sources/CHDF5/System", providers: [.apt(["libhdf5-dev"])]),
        .target(
            name: "CHDF5", dependencies: ["CHDF5System"], path: "Sources/CHDF5/Shim",
            linkerSettings: [
                .unsafeFlags(["-L/usr/lib/\(debianMultiarch)/hdf5/serial"]),
                .linkedLibrary(":libhdf5.a"), .linkedLibrary("sz"), .linkedLibrary("z"), .linkedLibrary("dl"), .linkedLibrary("m"),
            ]),
        // Recordings: HDF5 with provenance, CSV; reading them back.
        .target(name: "Recording", dependencies: ["CHDF5", "MosquitoModel"]),
        // Device streams through the pipeline into recordings, with exact loss accounting.
        .target(name: "Acquisition", dependencies: ["MosquitoModel", "Device", "Signal", "Recording", "MWP"]),
        .target(name: "Calibration", dependencies: ["MosquitoModel", "Acquisition", "Device", "MWP", "Signal"]),
        // A recording played back as an instrument (`replay:run.h5[:speed]`), speaking MWP/1.
        .target(name: "Replay", dependencies: ["MosquitoModel", "Recording", "Device", "MWP"]),
        // MQTT on Eclipse libmosquitto: one seam, typed errors, broker URLs. Knows no device. Its header comes from
        // Debian libmosquitto-dev; the library (libmosquitto1) is loaded when the first client is made, not linked.
        .target(name: "CMosquitto"),
        .target(name: "MQTT", dependencies: ["CMosquitto"]),
        // A device's stream on a broker: one more newest-wins subscriber of its StreamOutlets.
        .target(
            name: "Publish",
            dependencies: [
                "MosquitoModel", "Acquisition", "MQTT", "Device", "MWP", "Signal",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // `mosquito archive`: the published streams of a site, back into recordings.
        // It fetches back-fill from an edge's `serve` API over SwiftNIO: FoundationNetworking (libcurl) stays out of the binary.
        .target(
            name: "Archive",
            dependencies: [
                "MosquitoModel", "Publish", "MQTT", "Recording",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .testTarget(
            name: "MQTTTests", dependencies: ["MQTT", "Publish", "Archive", "TestSupport"],
            exclude: ["Support/subscriber.py", "Support/compare_archive.py", "Support/stream_rows.py"]),
        .systemLibrary(name: "CMalloc"),
        .executableTarget(
            name: "mosquito",
            dependencies: [
                "CMalloc", "MosquitoModel", "MWP", "Simulator", "Device", "Signal", "Recording", "Acquisition",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "Calibration", "Ledger", "USB", "Replay", "Web", "LSL", "LSLBridge", "MQTT", "Publish", "Archive",
            ]
        ),
        // `mosquito serve`: REST + WebSocket API and pages over the libraries above.
        .target(
            name: "Web",
            dependencies: [
                "MosquitoModel", "MWP", "Device", "Signal", "Recording", "Acquisition", "Calibration", "Ledger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("openapi.json"), .copy("Pages")]
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "MosquitoModel", "Simulator", "Device", "MWP", "Ledger", "Signal", "Calibration", "Recording", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ],
            // Python helpers the tests run by path.
            exclude: ["Support/validate_responses.py", "Support/through_proxy.py"]
        ),
        // The contribution ledger stands alone: it knows a unit's serial and design, not the driver.
        .target(
            name: "Ledger",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "MWPTests", dependencies: ["MosquitoModel", "MWP", "TestSupport"]),
        // Lab Streaming Layer, protocol 110, natively: a pure core (info XML, XPath, wire codecs, config) and
        // its I/O on SwiftNIO. Knows nothing of acquisition: the stream hub feeds it samples.
        .target(
            name: "LSL",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The LSL outlet alone pushing synthetic samples, for Benchmarks/lsl/lsl_bench.py (`make bench-lsl`).
        .executableTarget(name: "lsl-outlet-bench", dependencies: ["LSL"], path: "Benchmarks/lsl/OutletBench"),
        // A device published on LSL: a newest-wins subscriber of its stream, through the recorder's pipeline, with
        // host-clock stamps and a Markers stream. The one place that sees both a device and LSL.
        .target(name: "LSLBridge", dependencies: ["MosquitoModel", "Acquisition", "LSL", "Signal", "MWP", "Device"]),
        .testTarget(
            name: "LSLTests",
            dependencies: [
                "LSL", "LSLBridge", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Support"]
        ),
        .testTarget(name: "DeviceTests", dependencies: ["MosquitoModel", "Device", "Simulator", "MWP"]),
        .testTarget(name: "SignalTests", dependencies: ["MosquitoModel", "Signal", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RecordingTests", dependencies: ["MosquitoModel", "Recording", "TestSupport"]),
        .testTarget(name: "ReplayTests", dependencies: ["MosquitoModel", "Replay", "Recording", "MWP"]),
        .testTarget(
            name: "AcquisitionTests",
            dependencies: ["MosquitoModel", "Acquisition", "Device", "MWP", "Signal", "Recording", "Simulator", "TestSupport"]),
        // Runs the built `mosquito` binary as separate processes (simulator on a pty, recorder against it).
        .testTarget(name: "EndToEndTests", dependencies: ["MosquitoModel", "Simulator", "MWP", "TestSupport"]),
        .testTarget(
            name: "CalibrationTests", dependencies: ["MosquitoModel", "Calibration", "Acquisition", "Device", "Simulator", "MWP", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "mosquito", "TestSupport"]),
        .testTarget(
            name: "USBTests",
            dependencies: ["USB", "Device", "Simulator", "MWP", "CLibUSB", "CUSBEmulator"],
            exclude: ["Fixtures"]),
    ]
)
