import Signal
import TestSupport


/// Channel value that frame `index` carries on `channel` in the ring tests: recognisable, not constant.
func ringValue(index: UInt64, channel: Int) -> Int32 {
    Int32(truncatingIfNeeded: index &* 31 &+ UInt64(channel) &* 7)
}

/// Fills `buffer` with `count` frames starting at sample index `first`.
func fillFrames(_ buffer: FrameBuffer, first: UInt64, count: Int) {
    buffer.removeAll()
    var values = [Int32](repeating: 0, count: buffer.channelCount)
    for i in 0..<count {
        let index = first + UInt64(i)
        for ch in 0..<buffer.channelCount { values[ch] = ringValue(index: index, channel: ch) }
        values.withUnsafeBufferPointer {
            buffer.append(index: index, deviceTimeNs: index * 1000, values: $0)
        }
    }
}

/// Splits `total` into random chunk sizes (1...maxChunk), always covering it exactly.
func randomChunking(total: Int, maxChunk: Int, using rng: inout SplitMix64) -> [Int] {
    var sizes: [Int] = []
    var left = total
    while left > 0 {
        let n = min(left, Int.random(in: 1...maxChunk, using: &rng))
        sizes.append(n)
        left -= n
    }
    return sizes
}

/// A deterministic multi-channel test signal with tones, a step and noise.
func testSignal(frames: Int, channels: Int, seed: UInt64) -> [Double] {
    var rng = SplitMix64(seed: seed)
    var out = [Double](repeating: 0, count: frames * channels)
    for f in 0..<frames {
        for c in 0..<channels {
            let t = Double(f)
            out[f * channels + c] = (Double(c) + 1) * sin(0.01 * t * Double(c + 1)) + 0.3 * sin(0.9 * t)
                + (f > frames / 2 ? 1.5 : 0) + Double.random(in: -0.2...0.2, using: &rng)
        }
    }
    return out
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
