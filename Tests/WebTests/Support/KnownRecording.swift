import Foundation
import MosquitoModel
import Recording
import TestSupport
import Testing

/// A recording written in process with content the tests know: 1 kHz, three channels with units, samples
/// 0..<3000 with a transport gap at [1000, 1200) (1.0 s to 1.2 s after the first sample) and a CRC-error gap of
/// 10 samples after the last one, a marker at sample 500 and a reconnect at 1200. Device time starts at 5 s (so
/// "seconds after the first sample" differs from device time); values are deterministic but rough, with spikes, so
/// a min or max taken over the wrong samples shows.
enum KnownRecording {
    static let serial = "MQ-VIEW-1"
    static let channels = [("force", "force", "N"), ("displacement", "displacement", "um"), ("temperature", "temperature", "degC")]
    static let gap = (first: UInt64(1000), count: UInt64(200))
    static let samples: [UInt64] = Array(0..<1000) + Array(1200..<3000)

    static func value(_ index: UInt64, _ channel: Int) -> Double {
        var x = index &* 6364136223846793005 &+ UInt64(channel) &* 1442695040888963407
        x ^= x >> 29
        let noise = Double(x % 10_000) / 10_000 - 0.5
        let spike = index % 397 == UInt64(channel * 11) ? 40.0 : 0
        return sin(Double(index) * 0.013 * Double(channel + 1)) * 10 * Double(channel + 1) + noise + spike + Double(channel) * 100
    }

    static func device() -> RecordedDevice {
        RecordedDevice(
            uri: "sim?serial=\(serial)",
            identity: UnitIdentity(serial: serial, design: "MQ-FORCE", hardwareRevision: 2, firmware: FirmwareVersion(major: 1, minor: 0, patch: 0)),
            configuration: DeviceConfiguration(rateHz: 1000, channels: channels.map {
                ChannelDescriptor(kind: ChannelKind(name: $0.1), adcBits: 16, unit: $0.2, name: $0.0, rawMin: -32768, rawMax: 32767)
            }),
            pipeline: [],
            decimation: 1,
            calibration: channels.enumerated().map { c, ch in
                RecordedCalibration(channel: ch.0, degree: 1, coefficients: [Double(c), 0.001], calibratedAt: 1_780_000_000,
                                  technician: "Ada", certificateID: c == 0 ? "MQC-TEST-1" : nil)
            })
    }

    /// Writes the recording at `path`, closed cleanly.
    static func write(_ path: String) throws {
        let header = RecordingHeader(softwareVersion: "0.1.0", host: "bench-1", startTime: Date(timeIntervalSince1970: 1_790_000_000),
                                     commandLine: ["mosquito", "record", "--output", "known.h5"], devices: [device()])
        let writer = try HDF5RecordingWriter(path: path, header: header)
        for chunk in stride(from: 0, to: samples.count, by: 700) {
            try writer.append(try block(Array(samples[chunk..<min(samples.count, chunk + 700)])), device: 0)
        }
        try writer.record(Gap(firstMissingIndex: gap.first, count: gap.count, cause: .transportGap), device: 0)
        try writer.record(Gap(firstMissingIndex: 3000, count: 10, cause: .crcError), device: 0)
        try writer.record(RecordingEvent(sampleIndex: 500, hostTimeNs: hostNs(500), kind: "marker", detail: "lid closed"), device: 0)
        try writer.record(RecordingEvent(sampleIndex: 1200, hostTimeNs: hostNs(1200), kind: "reconnect", detail: "back"), device: 0)
        try writer.close(stopTime: Date(timeIntervalSince1970: 1_790_000_004))
    }

    static func deviceUs(_ index: UInt64) -> UInt64 { 5_000_000 + index * 1000 }
    static func hostNs(_ index: UInt64) -> Int64 { 1_790_000_000_000_000_000 + Int64(index) * 1_000_000 }

    static func block(_ indices: [UInt64]) throws -> SampleBlock {
        var raw: [Int32] = [], values: [Double] = []
        for i in indices {
            for c in channels.indices {
                let v = value(i, c)
                values.append(v)
                raw.append(Int32(clamping: Int64((v * 100).rounded())))
            }
        }
        return try SampleBlock(channelCount: channels.count, index: indices, deviceTimeUs: indices.map(deviceUs),
                               hostTimeNs: indices.map(hostNs), raw: raw, values: values)
    }
}

/// Runs a Python script with the test environment's interpreter (h5py, numpy) and returns its exit status and
/// everything it printed.
func runPythonScript(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: TestEnvironment.python)
    p.arguments = ["-c", script] + arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Where tests leave what a reviewer should look at (screenshots): `.build/artifacts/web` in the package.
enum Artifacts {
    static let folder: String = {
        let folder = TestEnvironment.packageRoot + "/.build/artifacts/web"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()
}
