import Benchmark
import MWP
import USB

// The USB driver's host-side path, without hardware: completed bulk IN transfers handed from the event thread
// to the session's reader (`InboundStream`: the same object `USBTransport` uses) and decoded into frames, back to
// back. Kernel and libusb costs (reaping, resubmitting: one ioctl each per transfer) are not in these figures.
//
// The streams are realistic SAMPLES streams, cut into transfers of ~10 ms as the driver sizes them
// (`TransferSizing`): 32 channels at 100 kS/s (12.8 MB/s of values) in the largest frames MWP/1 allows
// (31 samples), and 16 channels at 10 kS/s in 64-sample frames.
let benchmarks: @Sendable () -> Void = {
    let megabytesPerSecond = BenchmarkMetric.custom("MB/s absorbed", polarity: .prefersLarger, useScalingFactor: false)
    let nanosPerTransfer = BenchmarkMetric.custom("ns per transfer", polarity: .prefersSmaller, useScalingFactor: false)

    /// One second of wire bytes and the transfer size the driver would use for it.
    func stream(channels: Int, rateHz: UInt32) -> (bytes: [UInt8], transferBytes: Int) {
        var encoder = FrameEncoder()
        var wire: [UInt8] = []
        let perFrame = min(64, SamplesHeader.maxCount(channels: channels))  // frames stay within 4096 bytes
        var values = [Int32](repeating: 0, count: perFrame * channels)
        var index: UInt64 = 0
        while index < UInt64(rateHz) {
            for i in values.indices { values[i] = Int32(truncatingIfNeeded: (Int(index) &* 2_654_435_761 &+ i) >> 12) }
            let header = SamplesHeader(
                firstIndex: index, deviceTimeUs: index * 1_000_000 / UInt64(rateHz),
                channelMask: channels == 32 ? UInt32.max : (1 << UInt32(channels)) - 1, count: UInt16(perFrame))
            try! values.withUnsafeBufferPointer { try encoder.encodeSamples(header, values: $0, into: &wire) }
            index += UInt64(perFrame)
        }
        return (wire, TransferSizing.transferBytes(rateHz: rateHz, channels: channels, maxPacketSize: 512))
    }

    for (channels, rate) in [(32, UInt32(100_000)), (16, UInt32(10_000))] {
        let (wire, transferBytes) = stream(channels: channels, rateHz: rate)
        let transfers = (wire.count + transferBytes - 1) / transferBytes
        Benchmark(
            "USB host path: 1 s of \(channels) ch x \(rate / 1000) kS/s in \(transferBytes / 1024) KiB transfers, delivered and decoded",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .mallocCountTotal, megabytesPerSecond, nanosPerTransfer],
                maxDuration: .seconds(10), maxIterations: 50)
        ) { benchmark in
            let inbound = InboundStream(capacity: transferBytes * 8)
            var decoder = FrameDecoder()
            var reader = [UInt8](repeating: 0, count: 1 << 16)
            var frames = 0
            let clock = ContinuousClock()
            benchmark.startMeasurement()
            let started = clock.now
            wire.withUnsafeBytes { all in
                var offset = 0
                while offset < all.count {
                    let end = min(all.count, offset + transferBytes)
                    inbound.deliver(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                    offset = end
                    // The reader drains what the completion delivered, as the session's reader thread does.
                    while true {
                        let n = reader.withUnsafeMutableBytes { (try? inbound.take(into: $0, timeoutMs: 0)) ?? 0 }
                        if n == 0 { break }
                        reader.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                        while case .frame = decoder.next() { frames += 1 }
                    }
                }
            }
            let elapsed = started.duration(to: clock.now)
            benchmark.stopMeasurement()
            precondition(decoder.counters.crcErrors == 0 && frames > 0)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            benchmark.measurement(megabytesPerSecond, Int(Double(wire.count) / seconds / 1e6))
            benchmark.measurement(nanosPerTransfer, Int(seconds * 1e9 / Double(transfers)))
            blackHole(frames)
        }
    }
}
