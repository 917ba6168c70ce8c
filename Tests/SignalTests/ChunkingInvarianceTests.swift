import MosquitoModel
import TestSupport
import Testing
@testable import Signal

/// Every streaming block, fed one signal in random chunkings, must produce output bit-identical to
/// feeding it in one piece (`==` on Doubles, not a tolerance).
@Suite struct ChunkingInvarianceTests {
    static let frames = 3000
    static let channels = 3
    static let seeds: [UInt64] = [1, 2, 3, 4, 5]

    /// Feeds `signal` through a fresh block made by `make`, in `chunks`, collecting what `run` emits.
    static func fed<T>(_ chunks: [Int], _ make: () -> T, _ run: (T, UnsafeMutablePointer<Double>, Int, Int, inout [Double]) -> Void) -> [Double] {
        var signal = testSignal(frames: frames, channels: channels, seed: 99)
        let block = make()
        var out: [Double] = []
        var start = 0
        signal.withUnsafeMutableBufferPointer { buffer in
            for n in chunks {
                run(block, buffer.baseAddress! + start * channels, n, start, &out)
                start += n
            }
        }
        return out
    }

    static func chunkings(seed: UInt64) -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        return [
            randomChunking(total: frames, maxChunk: 7, using: &rng),
            randomChunking(total: frames, maxChunk: 500, using: &rng),
            Array(repeating: 1, count: frames),
        ]
    }

    @Test(arguments: seeds)
    func biquadCascade(seed: UInt64) throws {
        let sections = try Butterworth.sections(order: 6, response: .bandpass(low: 5, high: 80), sampleRate: 1000)
            + [try Notch.section(frequency: 50, sampleRate: 1000)]
        let make = { BiquadCascade(sections: sections, channelCount: Self.channels) }
        let run: (BiquadCascade, UnsafeMutablePointer<Double>, Int, Int, inout [Double]) -> Void = { f, p, n, _, out in
            f.process(p, frameCount: n)
            out += UnsafeBufferPointer(start: p, count: n * Self.channels)
        }
        let whole = Self.fed([Self.frames], make, run)
        for chunks in Self.chunkings(seed: seed) { #expect(Self.fed(chunks, make, run) == whole) }
    }

    @Test(arguments: seeds)
    func decimator(seed: UInt64) throws {
        let make = { try! Decimator(factor: 7, channelCount: Self.channels, inputRate: 1000) }
        let run: (Decimator, UnsafeMutablePointer<Double>, Int, Int, inout [Double]) -> Void = { d, p, n, start, out in
            let (kept, first) = d.process(p, frameCount: n)
            for j in 0..<kept {
                out.append(Double(start + first + j * 7))  // stream position of the kept frame
                out += UnsafeBufferPointer(start: p + j * Self.channels, count: Self.channels)
            }
        }
        let whole = Self.fed([Self.frames], make, run)
        let positions = stride(from: 0, to: whole.count, by: 1 + Self.channels).map { whole[$0] }
        #expect(positions == stride(from: 0, to: Self.frames, by: 7).map(Double.init))
        for chunks in Self.chunkings(seed: seed) { #expect(Self.fed(chunks, make, run) == whole) }
    }

    @Test(arguments: seeds)
    func calibrator(seed: UInt64) {
        let calibrator = Calibrator(polynomials: [
            .init(c0: 1.5, c1: 0.001, c2: -2e-9, c3: 1e-15), .identity, .init(c0: -3, c1: 2.5e-4),
        ])
        var rng = SplitMix64(seed: seed)
        let raw = (0..<(Self.frames * Self.channels)).map { _ in Int32.random(in: -8_388_608...8_388_607, using: &rng) }
        func run(_ chunks: [Int]) -> [Double] {
            var out = [Double](repeating: 0, count: raw.count)
            var start = 0
            raw.withUnsafeBufferPointer { r in
                out.withUnsafeMutableBufferPointer { o in
                    for n in chunks {
                        calibrator.process(
                            raw: UnsafeBufferPointer(rebasing: r[(start * Self.channels)..<((start + n) * Self.channels)]),
                            into: o.baseAddress! + start * Self.channels)
                        start += n
                    }
                }
            }
            return out
        }
        let whole = run([Self.frames])
        let r = Double(raw[0])
        let powerSum = 1.5 + 0.001 * r - 2e-9 * (r * r) + 1e-15 * (r * r * r)
        #expect(abs(whole[0] - powerSum) <= 1e-12 * max(1, abs(powerSum)))
        #expect(whole[1] == Double(raw[1]))
        for chunks in Self.chunkings(seed: seed) { #expect(run(chunks) == whole) }
    }

    @Test(arguments: seeds)
    func trigger(seed: UInt64) {
        for condition in [Trigger.Condition.risingEdge, .fallingEdge, .levelAbove, .levelBelow] {
            let make = { Box(Trigger(channel: 1, condition: condition, level: 0.5, hysteresis: 0.2, holdoff: 5)) }
            let run: (Box<Trigger>, UnsafeMutablePointer<Double>, Int, Int, inout [Double]) -> Void = { t, p, n, start, out in
                t.value.process(p, frameCount: n, channelCount: Self.channels, firstIndex: UInt64(start)) { out.append(Double($0)) }
            }
            let whole = Self.fed([Self.frames], make, run)
            #expect(!whole.isEmpty, "\(condition) never fired")
            for chunks in Self.chunkings(seed: seed) { #expect(Self.fed(chunks, make, run) == whole, "\(condition)") }
        }
    }

    @Test(arguments: seeds)
    func wholePipeline(seed: UInt64) throws {
        let spec = try PipelineSpec(filters: ["highpass:2:0.5", "lowpass:4:100", "notch:50"], decimate: 4)
        let calibration = [CalibrationPolynomial(c0: 0.1, c1: 1e-3), .identity, .init(c0: 0, c1: -2e-3, c2: 1e-9)]
        var rng = SplitMix64(seed: seed)
        let buffer = FrameBuffer(capacity: Self.frames, channelCount: Self.channels)
        for i in 0..<Self.frames {
            let v = (0..<Self.channels).map { _ in Int32.random(in: -100_000...100_000, using: &rng) }
            v.withUnsafeBufferPointer { buffer.append(index: UInt64(i), deviceTimeNs: UInt64(i) * 1_000_000, values: $0) }
        }
        func run(_ chunks: [Int], maxChunk: Int) throws -> [Double] {
            let pipeline = try Pipeline(spec: spec, calibration: calibration, inputRate: 1000, maxFramesPerChunk: maxChunk)
            var out: [Double] = []
            var start = 0
            buffer.withSpan { span in
                for n in chunks {
                    pipeline.process(span.slice(start..<(start + n))) { o in
                        for k in 0..<o.frameCount {
                            out.append(Double(o.sourceIndex(ofFrame: k)))
                            out.append(Double(o.deviceTimeNs(ofFrame: k)))
                            out += o.values[(k * Self.channels)..<((k + 1) * Self.channels)]
                        }
                    }
                    start += n
                }
            }
            return out
        }
        let whole = try run([Self.frames], maxChunk: 4096)
        for chunks in Self.chunkings(seed: seed) {
            #expect(try run(chunks, maxChunk: 64) == whole)
        }
        // Output frames come from every 4th input sample.
        let indices = stride(from: 0, to: whole.count, by: 2 + Self.channels).map { whole[$0] }
        #expect(indices == stride(from: 0, to: Self.frames, by: 4).map(Double.init))
    }
}

final class Box<T> {
    var value: T
    init(_ value: T) { self.value = value }
}
