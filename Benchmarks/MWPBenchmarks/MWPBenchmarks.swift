import Benchmark
import MWP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This thread's CPU time in seconds: on a shared machine wall time includes other processes' turns, CPU time does not.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

// Decode throughput of a realistic SAMPLES stream: 16 channels at the largest frame MWP/1 allows for them.
// (Issue 2 asks for 64 samples per frame, but 64 × 16 × 4 bytes of values + 22 header + 8 frame overhead is 4126
// bytes, over the 4096-byte frame limit; 63 is the most a 16-channel frame can carry: PROTOCOL.md §4.2.)
//
// Each iteration decodes `framesPerIteration` frames, fed in 16 KiB reads as a USB bulk pipe delivers them. Timed,
// per frame: appending the read to the decoder, finding the 0x00 delimiter, COBS decode, CRC-32C check, frame
// header parse, SAMPLES header parse and validation (SamplesView), and copying every value into a preallocated
// Int32 buffer (SamplesView.copyValues), as the acquisition pipeline does; plus folding two values per frame into a
// checksum so nothing is optimised away. Not timed: building the wire stream. The decoder and the value buffer are
// created and warmed up before measurement starts, so `mallocCountTotal` counts steady-state allocations only:
// allocations per frame = mallocCountTotal / framesPerIteration (target 0). MB/s counts wire (encoded) bytes.
let benchmarks: @Sendable () -> Void = {
    let channels = 16
    let samplesPerFrame = SamplesHeader.maxCount(channels: channels)
    let framesPerIteration = 1024
    let readSize = 16 * 1024

    let megabytesPerSecond = BenchmarkMetric.custom("MB/s decoded", polarity: .prefersLarger, useScalingFactor: false)
    let framesPerSecond = BenchmarkMetric.custom("frames/s decoded", polarity: .prefersLarger, useScalingFactor: false)
    let megabytesPerCPUSecond = BenchmarkMetric.custom(
        "MB/CPU-s decoded", polarity: .prefersLarger, useScalingFactor: false)

    /// `framesPerIteration` consecutive SAMPLES frames of plausible 24-bit ADC values, as one wire byte stream.
    func stream() -> [UInt8] {
        var encoder = FrameEncoder()
        var wire: [UInt8] = []
        var values = [Int32](repeating: 0, count: samplesPerFrame * channels)
        for frame in 0..<framesPerIteration {
            for i in values.indices {
                values[i] = Int32(truncatingIfNeeded: (frame &* 7919 &+ i &* 2_654_435_761) % 16_777_216) - 8_388_608
            }
            let header = SamplesHeader(
                firstIndex: UInt64(frame * samplesPerFrame), deviceTimeUs: UInt64(frame * samplesPerFrame * 100),
                channelMask: 0xFFFF, count: UInt16(samplesPerFrame))
            try! values.withUnsafeBufferPointer { try encoder.encodeSamples(header, values: $0, into: &wire) }
        }
        return wire
    }

    /// Feeds `wire` to `decoder`, copying each frame's values into `values`, and returns (frames, a checksum of the
    /// first and last value of every frame) so nothing is optimised away.
    func decodeAll(
        _ wire: [UInt8], with decoder: inout FrameDecoder, into values: UnsafeMutableBufferPointer<Int32>
    ) -> (Int, Int64) {
        var frames = 0
        var checksum: Int64 = 0
        wire.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + readSize, bytes.count)
                decoder.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                offset = end
                while case .frame(let frame) = decoder.next() {
                    frame.payload.withUnsafeBytes { payload in
                        guard let view = try? SamplesView(payload: payload) else { return }
                        view.copyValues(into: values)
                        checksum &+= Int64(values[0]) &+ Int64(values[view.header.valueCount - 1])
                    }
                    frames += 1
                }
            }
        }
        return (frames, checksum)
    }

    Benchmark(
        "MWP decode SAMPLES 16 ch x \(samplesPerFrame) samples, \(framesPerIteration) frames per iteration",
        configuration: .init(
            metrics: [
                .wallClock, .cpuTotal, .mallocCountTotal, megabytesPerSecond,
                megabytesPerCPUSecond, framesPerSecond,
            ],
            maxDuration: .seconds(10), maxIterations: 200)
    ) { benchmark in
        let wire = stream()
        var decoder = FrameDecoder()
        let values = UnsafeMutableBufferPointer<Int32>.allocate(capacity: samplesPerFrame * channels)
        defer { values.deallocate() }
        let (warmFrames, _) = decodeAll(wire, with: &decoder, into: values)
        precondition(warmFrames == framesPerIteration, "benchmark stream decoded to \(warmFrames) frames")
        let clock = ContinuousClock()
        benchmark.startMeasurement()
        let started = clock.now
        let startedCPU = threadCPUSeconds()
        let (frames, checksum) = decodeAll(wire, with: &decoder, into: values)
        let cpuSeconds = threadCPUSeconds() - startedCPU
        let elapsed = clock.now - started
        benchmark.stopMeasurement()
        blackHole(checksum)
        precondition(frames == framesPerIteration)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        benchmark.measurement(megabytesPerSecond, Int(Double(wire.count) / seconds / 1e6))
        benchmark.measurement(framesPerSecond, Int(Double(frames) / seconds))
        benchmark.measurement(megabytesPerCPUSecond, Int(Double(wire.count) / cpuSeconds / 1e6))
    }
}
