import Recording
import Testing

@testable import Replay

/// Frames end at index jumps, at the frame size, and where the host would derive another device time.
@Suite struct FrameCutterTests {
    func block(index: [UInt64], times: [UInt64]) throws -> SampleBlock {
        try SampleBlock(channelCount: 1, index: index, deviceTimeUs: times,
                                  hostTimeNs: index.map { _ in 0 }, raw: index.map { Int32($0) },
                                  values: index.map { Double($0) })
    }

    @Test func aFrameIsAboutTwoMillisecondsOfContiguousSamples() throws {
        let cutter = FrameCutter(rateHz: 2000, channels: 1)
        #expect(cutter.maxSamples == 4)
        let rows = try block(index: Array(0..<10), times: (0..<10).map { 1_000 + $0 * 500 })
        #expect(cutter.frameLength(in: rows, from: 0) == 4)
        #expect(cutter.frameLength(in: rows, from: 8) == 2)
    }

    @Test func aGapEndsTheFrame() throws {
        let cutter = FrameCutter(rateHz: 2000, channels: 1)
        let rows = try block(index: [0, 1, 4, 5], times: [0, 500, 2000, 2500])
        #expect(cutter.frameLength(in: rows, from: 0) == 2)
        #expect(cutter.frameLength(in: rows, from: 2) == 2)
    }

    @Test func aTimeTheHostWouldNotDeriveEndsTheFrame() throws {
        // 3000 Hz: periods of 333.33 µs. The host derives 333 and 666 µs from a frame starting at 0; a row
        // recorded at 667 µs (it began its own frame on the device) must begin a new frame here too.
        let cutter = FrameCutter(rateHz: 3000, channels: 1)
        let rows = try block(index: [0, 1, 2, 3], times: [0, 333, 667, 1000])
        #expect(cutter.frameLength(in: rows, from: 0) == 2)
        let derived = try block(index: [0, 1, 2, 3], times: [0, 333, 666, 1000])
        #expect(cutter.frameLength(in: derived, from: 0) == 4)
    }

    @Test func anIndexOrTimeThatWouldOverflowEndsTheFrameInsteadOfTrapping() throws {
        // A crafted file: the row after index 2^64 - 1, and a time too large for nanoseconds.
        func rows(_ index: [UInt64], _ times: [UInt64]) throws -> SampleBlock {
            try SampleBlock(channelCount: 1, index: index, deviceTimeUs: times, hostTimeNs: [0, 0],
                                      raw: [0, 0], values: [0, 0])
        }
        let cutter = FrameCutter(rateHz: 2000, channels: 1)
        #expect(cutter.frameLength(in: try rows([.max, 0], [0, 500]), from: 0) == 1)
        #expect(cutter.frameLength(in: try rows([0, 1], [.max / 100, .max / 100]), from: 0) == 1)
    }
}
