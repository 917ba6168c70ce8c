import Foundation
import MosquitoModel
import TestSupport
@testable import Recording

/// A small two-device run with known content, and helpers to run h5py checks.
enum Fixtures {
    static func device(serial: String, channels: Int, rate: Double = 1000) -> RecordedDevice {
        let described = (0..<channels).map {
            ChannelDescriptor(kind: ChannelKind(name: $0 % 2 == 0 ? "voltage" : "current"), adcBits: 16,
                              unit: $0 % 2 == 0 ? "V" : "mA", name: "ch\($0)", rawMin: -32768, rawMax: 32767)
        }
        return RecordedDevice(
            uri: "sim:\(serial)",
            identity: UnitIdentity(serial: serial, design: "mosquito-4", hardwareRevision: 11, firmware: FirmwareVersion(major: 1, minor: 2, patch: 3)),
            configuration: DeviceConfiguration(rateHz: rate, channels: described),
            pipeline: ["lowpass fc=100Hz order=2", "decimate 2"],
            decimation: 2,
            calibration: (0..<channels).map {
                RecordedCalibration(channel: "ch\($0)", degree: 1, coefficients: [0.5, 1e-4 * Double($0 + 1)],
                                  calibratedAt: 1_780_000_000, technician: "Ada",
                                  certificateID: $0 == 0 ? "CERT-17" : nil)
            })
    }

    static func header(_ devices: [RecordedDevice]) -> RecordingHeader {
        RecordingHeader(softwareVersion: "0.1.0", host: "bench-1", startTime: Date(timeIntervalSince1970: 1_790_000_000.25),
                        commandLine: ["mosquito", "record", "--output", "run 1.h5"], devices: devices)
    }

    /// Samples `first..<first+count` with values that exercise exact Double round trips.
    static func block(first: UInt64, count: Int, channels: Int) throws(RecordingError) -> SampleBlock {
        let index = (0..<count).map { first + UInt64($0) }
        var raw: [Int32] = []
        var values: [Double] = []
        for i in index {
            for c in 0..<channels {
                let r = Int32(truncatingIfNeeded: Int64(i) * 7 + Int64(c) * 1000 - 30000)
                raw.append(r)
                values.append(0.1 * Double(r) + 1.0 / Double(c + 3) + Double(i) * 1e-9)
            }
        }
        return try SampleBlock(channelCount: channels, index: index, deviceTimeUs: index.map { $0 * 1000 + 17 },
                               hostTimeNs: index.map { 1_790_000_000_000_000_000 + Int64($0) * 1_000_000 },
                               raw: raw, values: values)
    }

    /// Deletes a file made at a `temporaryPath`, with the directory made for it.
    static func remove(_ path: String) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.removeItem(atPath: path)
        if directory.lastPathComponent.hasPrefix("mosquito-recording-tests-") {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mosquito-recording-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }
}

/// Runs a Python script with the test environment's interpreter (which has h5py) and returns its stdout.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "python exited \(status): \(stderr)" }
    }

    static func run(_ script: String, arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: process.terminationStatus, stderr: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Runs `script` and decodes its last stdout line as JSON.
    static func json<T: Decodable>(_ type: T.Type, _ script: String, arguments: [String] = []) throws -> T {
        let output = try run(script, arguments: arguments)
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        return try JSONDecoder().decode(T.self, from: Data(line.utf8))
    }
}
