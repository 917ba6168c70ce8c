import Testing
@testable import Signal

/// The backlog high-water mark the recorder reports: the largest count a batch read found, never lowered.
@Suite struct RingHighWaterTests {
    func write(_ ring: FrameRing, first: UInt64, count: Int) -> Int {
        let buffer = FrameBuffer(capacity: count, channelCount: ring.channelCount)
        fillFrames(buffer, first: first, count: count)
        return buffer.withSpan { ring.write($0) }
    }

    @Test(arguments: [OverflowPolicy.lossless, .keepNewest])
    func peakBacklogIsKept(policy: OverflowPolicy) {
        let ring = FrameRing(capacity: 64, channelCount: 2, policy: policy)
        #expect(ring.highWaterFrameCount == 0)
        #expect(write(ring, first: 0, count: 5) == 5)
        ring.read { $0.count }
        #expect(ring.highWaterFrameCount == 5)
        #expect(write(ring, first: 5, count: 40) == 40)
        ring.read { _ in 10 }  // a partial read: 30 frames stay behind
        #expect(ring.highWaterFrameCount == 40)
        #expect(write(ring, first: 45, count: 3) == 3)
        ring.read { $0.count }
        #expect(ring.highWaterFrameCount == 40)
        // A full lossless ring is the most a reader can find.
        #expect(write(ring, first: 48, count: 64) == 64)
        ring.read { $0.count }
        #expect(ring.highWaterFrameCount == 64)
    }
}
