import Benchmark
import Foundation
import MosquitoModel
import Recording

// Sustained HDF5 write rate for 16 channels: each iteration records one second of a 16 ch × 100 kS/s
// stream (100 000 samples in 1 000-sample blocks, as the acquisition loop delivers them) and flushes,
// reporting megabytes per second of sample data (raw + values + index + both clocks) and samples per second.
let benchmarks: @Sendable () -> Void = {
    let channels = 16
    let samplesPerSecond = 100_000
    let blockSamples = 1_000
    let bytesPerSample = channels * (4 + 8) + 8 + 8 + 8

    let megabytesPerSecond = BenchmarkMetric.custom("MB/s written", polarity: .prefersLarger, useScalingFactor: false)
    let samplesRate = BenchmarkMetric.custom("samples/s written", polarity: .prefersLarger, useScalingFactor: false)

    let device = RecordedDevice(
        uri: "bench:", identity: UnitIdentity(serial: "BENCH", design: "mosquito", hardwareRevision: 1, firmware: FirmwareVersion(major: 0, minor: 0, patch: 0)),
        configuration: DeviceConfiguration(rateHz: Double(samplesPerSecond), channels: (0..<channels).map {
            ChannelDescriptor(kind: .voltage, adcBits: 16, unit: "V", name: "ch\($0)", rawMin: -32768, rawMax: 32767)
        }), decimation: 1)
    let header = RecordingHeader(softwareVersion: "bench", host: "bench", startTime: Date(),
                                 commandLine: ["bench"], devices: [device])

    func blocks() -> [SampleBlock] {
        (0..<(samplesPerSecond / blockSamples)).map { blockNumber in
            let first = UInt64(blockNumber * blockSamples)
            let index = (0..<UInt64(blockSamples)).map { first + $0 }
            let raw = (0..<(blockSamples * channels)).map { Int32(truncatingIfNeeded: $0 &* 2654435761) >> 16 }
            return try! SampleBlock(channelCount: channels, index: index, deviceTimeUs: index.map { $0 * 10 },
                                    hostTimeNs: index.map { Int64($0) * 10_000 }, raw: raw,
                                    values: raw.map { Double($0) * 3.0517578125e-05 })
        }
    }

    for level: UInt32? in [nil, 1, 4] {
        Benchmark("HDF5 write 16 ch x 100 kS/s, 1 s per iteration\(level.map { ", shuffle+deflate \($0)" } ?? "")",
                  configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident, megabytesPerSecond, samplesRate],
                                       maxDuration: .seconds(10), maxIterations: 20)) { benchmark in
            let input = blocks()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mosquito-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let writer = try HDF5RecordingWriter(path: directory.appendingPathComponent("bench.h5").path, header: header,
                                                 options: .init(compress: level != nil, deflateLevel: level ?? 1))
            let clock = ContinuousClock()
            benchmark.startMeasurement()
            let started = clock.now
            for block in input { try writer.append(block, device: 0) }
            try writer.flush()
            let elapsed = clock.now - started
            benchmark.stopMeasurement()
            try writer.close(stopTime: Date())
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            benchmark.measurement(megabytesPerSecond, Int(Double(samplesPerSecond * bytesPerSample) / seconds / 1e6))
            benchmark.measurement(samplesRate, Int(Double(samplesPerSecond) / seconds))
        }
    }
}
