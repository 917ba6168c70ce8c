import Benchmark
import Foundation
import MosquitoModel
import Signal

// Run from Benchmarks/: `swift package benchmark --target SignalBenchmarks`.
// Throughput is reported per scaled iteration: see each benchmark's comment for what one unit is.

/// Allocation gate: zero mallocs in steady state (the MallocInterposer trait counts them).
var noAllocations: [BenchmarkMetric: BenchmarkThresholds] { [
    .mallocCountTotal: BenchmarkThresholds(absolute: [.p0: 0, .p50: 0, .p100: 0])
] }

/// Runs `body` on its own OS thread; `join` waits for it.
final class ConsumerThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    init(_ body: @escaping @Sendable () -> Void) {
        Thread { [done] in
            body()
            done.signal()
        }.start()
    }
    func join() { done.wait() }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(2)
    Benchmark.defaultConfiguration.maxIterations = 50

    // One unit = one frame (index, device time, one Int32 channel) moved producer → consumer thread.
    Benchmark(
        "Ring cross-thread single-element",
        configuration: .init(metrics: [.throughput, .wallClock], scalingFactor: .mega)
    ) { benchmark in
        let ring = FrameRing(capacity: 4096, channelCount: 1, policy: .lossless)
        let total = benchmark.scaledIterations.count
        let consumer = ConsumerThread {
            var received = 0
            var sum: UInt64 = 0
            while received < total {
                if ring.tryRead({ index, _, _ in sum &+= index }) { received += 1 }
            }
            blackHole(sum)
        }
        var value: Int32 = 1
        withUnsafePointer(to: &value) { v in
            let values = UnsafeBufferPointer(start: v, count: 1)
            for i in benchmark.scaledIterations {
                while !ring.tryWrite(index: UInt64(i), deviceTimeNs: UInt64(i), values: values) {}
            }
        }
        consumer.join()
    }

    // One unit = one frame, moved in batches of 256 (write(span) / read of every published frame).
    Benchmark(
        "Ring cross-thread batched (256)",
        configuration: .init(metrics: [.throughput, .wallClock], scalingFactor: .mega)
    ) { benchmark in
        let ring = FrameRing(capacity: 4096, channelCount: 1, policy: .lossless)
        let total = benchmark.scaledIterations.count
        let consumer = ConsumerThread {
            var received = 0
            var sum: UInt64 = 0
            while received < total {
                received += ring.read { spans in
                    spans.forEach { sum &+= $0.indices[0] }
                    return spans.count
                }
            }
            blackHole(sum)
        }
        let batch = FrameBuffer(capacity: 256, channelCount: 1)
        var value: Int32 = 1
        withUnsafePointer(to: &value) { v in
            for i in 0..<256 { batch.append(index: UInt64(i), deviceTimeNs: 0, values: UnsafeBufferPointer(start: v, count: 1)) }
        }
        batch.withSpan { span in
            var sent = 0
            while sent < total {
                let n = min(256, total - sent)
                var offset = 0
                while offset < n { offset += ring.write(span.slice(offset..<n)) }
                sent += n
            }
        }
        consumer.join()
    }

    // One unit = one chunk of 1000 frames × 16 channels (frames/s = units/s × 1000).
    func pipelineBenchmark(_ name: String, spec: PipelineSpec) {
        Benchmark(name, configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                             thresholds: noAllocations)) { (benchmark: Benchmark, context: (Pipeline, FrameBuffer)) in
            let (pipeline, chunk) = context
            var sink = 0.0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                chunk.withSpan { span in
                    pipeline.process(span) { output in sink += output.values.first ?? 0 }
                }
            }
            benchmark.stopMeasurement()
            blackHole(sink)
        } setup: {
            let calibration = (0..<16).map { CalibrationPolynomial(c0: Double($0), c1: 1e-6, c2: 1e-12, c3: 0) }
            let pipeline = try! Pipeline(spec: spec, calibration: calibration, inputRate: 100_000, maxFramesPerChunk: 1000)
            let chunk = FrameBuffer(capacity: 1000, channelCount: 16)
            var rng = SystemRandomNumberGenerator()
            for i in 0..<1000 {
                let values = (0..<16).map { _ in Int32.random(in: -1_000_000...1_000_000, using: &rng) }
                values.withUnsafeBufferPointer { chunk.append(index: UInt64(i), deviceTimeNs: UInt64(i) * 10_000, values: $0) }
            }
            return (pipeline, chunk)
        }
    }
    // calibrate → 4 biquad sections (the order-8 anti-alias low-pass) → keep every 10th.
    pipelineBenchmark("Pipeline 16ch calibrate→4 biquads→decimate10", spec: PipelineSpec(stages: [.decimate(factor: 10)]))
    // calibrate → lowpass order 8 (4 sections) → decimate by 10 (4 more anti-alias sections).
    pipelineBenchmark(
        "Pipeline 16ch calibrate→lowpass8→decimate10 (8 biquads)",
        spec: PipelineSpec(stages: [.lowpass(order: 8, cutoff: 4000), .decimate(factor: 10)]))

    // Allocations per chunk on the producer/consumer hot path (same thread, so only mallocs are measured).
    Benchmark(
        "Ring write+read 64-frame chunk, 16ch (allocations)",
        configuration: .init(metrics: [.mallocCountTotal, .throughput], scalingFactor: .kilo, thresholds: noAllocations)
    ) { (benchmark: Benchmark, context: (FrameRing, FrameBuffer)) in
        let (ring, chunk) = context
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            chunk.withSpan { _ = ring.write($0) }
            ring.read { $0.count }
        }
        benchmark.stopMeasurement()
    } setup: {
        let ring = FrameRing(capacity: 1024, channelCount: 16, policy: .lossless)
        let chunk = FrameBuffer(capacity: 64, channelCount: 16)
        let values = [Int32](repeating: 7, count: 64 * 16)
        values.withUnsafeBufferPointer {
            chunk.appendBlock(firstIndex: 0, clock: SampleClock(rateHz: 100_000), blockDeviceTimeUs: 0, raw: $0)
        }
        return (ring, chunk)
    }

    // Keep-newest path under permanent overrun (no consumer): drop-oldest plus gap records, allocation-free.
    Benchmark(
        "Ring keep-newest overrun 64-frame chunk, 16ch (allocations)",
        configuration: .init(metrics: [.mallocCountTotal, .throughput], scalingFactor: .kilo, thresholds: noAllocations)
    ) { (benchmark: Benchmark, context: (FrameRing, FrameBuffer)) in
        let (ring, chunk) = context
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            chunk.withSpan { ring.writeDroppingOldest($0) }
            while ring.popGap() != nil {}
        }
        benchmark.stopMeasurement()
    } setup: {
        let ring = FrameRing(capacity: 256, channelCount: 16, policy: .keepNewest)
        let chunk = FrameBuffer(capacity: 64, channelCount: 16)
        let values = [Int32](repeating: 7, count: 64 * 16)
        values.withUnsafeBufferPointer {
            chunk.appendBlock(firstIndex: 0, clock: SampleClock(rateHz: 100_000), blockDeviceTimeUs: 0, raw: $0)
        }
        return (ring, chunk)
    }

    // In-process latency from publishing a frame to the consumer holding it, frames paced at 1 kHz,
    // consumer polling the ring on its own thread. Each frame's send time rides in its device-time
    // field. Reported as the custom metric "latency (ns)": read p50/p99 off its percentiles.
    Benchmark(
        "Ring latency publish→consumer at 1 kHz",
        configuration: .init(
            metrics: [.custom("latency (ns)", polarity: .prefersSmaller, useScalingFactor: false)],
            warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 10)
    ) { benchmark in
        let frames = 200
        let ring = FrameRing(capacity: 1024, channelCount: 16, policy: .lossless)
        let latencies = UnsafeMutablePointer<Int>.allocate(capacity: frames)
        defer { latencies.deallocate() }
        let latencyAddress = Int(bitPattern: latencies)
        let consumer = ConsumerThread {
            let out = UnsafeMutablePointer<Int>(bitPattern: latencyAddress)!
            var received = 0
            while received < frames {
                if ring.tryRead({ _, sentAt, _ in
                    out[received] = Int(DispatchTime.now().uptimeNanoseconds &- sentAt)
                }) {
                    received += 1
                }
            }
        }
        let values = [Int32](repeating: 1, count: 16)
        values.withUnsafeBufferPointer { v in
            for i in 0..<frames {
                Thread.sleep(forTimeInterval: 0.001)
                _ = ring.tryWrite(index: UInt64(i), deviceTimeNs: DispatchTime.now().uptimeNanoseconds, values: v)
            }
        }
        consumer.join()
        for i in 0..<frames {
            benchmark.measurement(.custom("latency (ns)", polarity: .prefersSmaller, useScalingFactor: false), latencies[i])
        }
    }
}
