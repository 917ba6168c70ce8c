import MosquitoModel
import Testing
@testable import Signal

/// In the spirit of swift-collections' RigidDeque tests: every (capacity, start, count) layout,
/// so that every wrap position is exercised for batch and single-element paths.
@Suite struct RingLayoutTests {
    static let capacities = [1, 2, 4, 8, 16]

    /// Moves the ring's positions to `start` by writing and reading `start` frames.
    func advance(_ ring: FrameRing, by start: Int, channels: Int) {
        let buffer = FrameBuffer(capacity: max(1, start), channelCount: channels)
        var done = 0
        while done < start {
            let n = min(ring.capacity, start - done)
            fillFrames(buffer, first: 1_000_000 + UInt64(done), count: n)
            let written = buffer.withSpan { ring.write($0) }
            #expect(written == n)
            let read = ring.read { $0.count }
            #expect(read == n)
            done += n
        }
    }

    @Test(arguments: [OverflowPolicy.lossless, .keepNewest])
    func batchWriteThenReadEveryLayout(policy: OverflowPolicy) {
        for capacity in Self.capacities {
            for start in 0..<capacity {
                for count in 0...capacity {
                    let channels = 3
                    let ring = FrameRing(capacity: capacity, channelCount: channels, policy: policy)
                    advance(ring, by: start, channels: channels)
                    let buffer = FrameBuffer(capacity: capacity, channelCount: channels)
                    fillFrames(buffer, first: 10, count: count)
                    let written = buffer.withSpan { ring.write($0) }
                    #expect(written == count)
                    #expect(ring.consumerAvailableCount() == count)
                    let consumed = ring.read { spans in
                        let expectedFirst = min(count, capacity - start)
                        #expect(spans.first.count == expectedFirst, "cap \(capacity) start \(start) count \(count)")
                        #expect(spans.second.count == count - expectedFirst)
                        var seen: [UInt64] = []
                        spans.forEach { span in
                            for i in 0..<span.count {
                                let index = span.indices[i]
                                seen.append(index)
                                #expect(span.deviceTimesNs[i] == index * 1000)
                                for ch in 0..<channels {
                                    #expect(span.values(ofFrame: i)[ch] == ringValue(index: index, channel: ch))
                                }
                            }
                        }
                        #expect(seen == (0..<UInt64(count)).map { 10 + $0 })
                        return spans.count
                    }
                    #expect(consumed == count)
                    #expect(ring.consumerAvailableCount() == 0)
                    #expect(ring.hostOverrunSampleCount == 0)
                }
            }
        }
    }

    @Test func singleElementEveryLayout() {
        for capacity in Self.capacities {
            for start in 0..<capacity {
                for count in 0...capacity {
                    let ring = FrameRing(capacity: capacity, channelCount: 2, policy: .lossless)
                    advance(ring, by: start, channels: 2)
                    for i in 0..<count {
                        let index = UInt64(500 + i)
                        let values = [ringValue(index: index, channel: 0), ringValue(index: index, channel: 1)]
                        let ok = values.withUnsafeBufferPointer {
                            ring.tryWrite(index: index, deviceTimeNs: index * 1000, values: $0)
                        }
                        #expect(ok)
                    }
                    // Full exactly at `capacity`.
                    let extra = [Int32(0), 0].withUnsafeBufferPointer {
                        ring.tryWrite(index: 0, deviceTimeNs: 0, values: $0)
                    }
                    #expect(extra == (count < capacity))
                    let total = count + (count < capacity ? 1 : 0)
                    var received: [UInt64] = []
                    while ring.tryRead({ index, time, values in
                        received.append(index)
                        if index != 0 {
                            #expect(time == index * 1000)
                            #expect(values[1] == ringValue(index: index, channel: 1))
                        }
                    }) {}
                    #expect(received.count == total)
                    #expect(Array(received.prefix(count)) == (0..<UInt64(count)).map { 500 + $0 })
                }
            }
        }
    }

    @Test func partialConsumeKeepsTheRest() {
        let ring = FrameRing(capacity: 8, channelCount: 1, policy: .lossless)
        advance(ring, by: 6, channels: 1)
        let buffer = FrameBuffer(capacity: 8, channelCount: 1)
        fillFrames(buffer, first: 0, count: 7)
        _ = buffer.withSpan { ring.write($0) }
        let first = ring.read { spans in
            #expect(spans.count == 7)
            return 3
        }
        #expect(first == 3)
        ring.read { spans in
            #expect(spans.count == 4)
            #expect(spans.first.indices.first == 3)
            return 4
        }
    }

    @Test func losslessWriteStopsAtCapacityAndReportsNothingByItself() {
        let ring = FrameRing(capacity: 4, channelCount: 1, policy: .lossless)
        let buffer = FrameBuffer(capacity: 6, channelCount: 1)
        fillFrames(buffer, first: 0, count: 6)
        let written = buffer.withSpan { ring.write($0) }
        #expect(written == 4)
        #expect(ring.hostOverrunSampleCount == 0)
        #expect(ring.popGap() == nil)
        buffer.withSpan { ring.reportHostOverrun($0.slice(written..<$0.count)) }
        #expect(ring.hostOverrunSampleCount == 2)
        #expect(ring.popGap() == Gap(firstMissingIndex: 4, count: 2, cause: .hostOverrun))
    }

    @Test func keepNewestDropsOldestAndReportsTheirIndices() {
        let ring = FrameRing(capacity: 4, channelCount: 1, policy: .keepNewest)
        let buffer = FrameBuffer(capacity: 16, channelCount: 1)
        fillFrames(buffer, first: 0, count: 3)
        buffer.withSpan { ring.writeDroppingOldest($0) }
        fillFrames(buffer, first: 3, count: 3)
        buffer.withSpan { ring.writeDroppingOldest($0) }
        // 6 written into 4 slots: 0 and 1 dropped.
        #expect(ring.hostOverrunSampleCount == 2)
        #expect(ring.popGap() == Gap(firstMissingIndex: 0, count: 2, cause: .hostOverrun))
        var seen: [UInt64] = []
        ring.read { spans in
            spans.forEach { seen += Array($0.indices) }
            return spans.count
        }
        #expect(seen == [2, 3, 4, 5])
        // A batch larger than the ring keeps only its newest `capacity` frames.
        fillFrames(buffer, first: 100, count: 10)
        buffer.withSpan { ring.writeDroppingOldest($0) }
        #expect(ring.hostOverrunSampleCount == 8)
        #expect(ring.popGap() == Gap(firstMissingIndex: 100, count: 6, cause: .hostOverrun))
        seen = []
        ring.read { spans in
            spans.forEach { seen += Array($0.indices) }
            return spans.count
        }
        #expect(seen == [106, 107, 108, 109])
    }

    @Test func droppedRunsAcrossAnUpstreamJumpBecomeSeparateGaps() {
        let ring = FrameRing(capacity: 4, channelCount: 1, policy: .keepNewest)
        let buffer = FrameBuffer(capacity: 4, channelCount: 1)
        var v: Int32 = 0
        for index: UInt64 in [0, 1, 7, 8] {
            withUnsafePointer(to: &v) { buffer.append(index: index, deviceTimeNs: 0, values: UnsafeBufferPointer(start: $0, count: 1)) }
        }
        buffer.withSpan { ring.writeDroppingOldest($0) }
        fillFrames(buffer, first: 9, count: 4)
        buffer.withSpan { ring.writeDroppingOldest($0) }
        #expect(ring.popGap() == Gap(firstMissingIndex: 0, count: 2, cause: .hostOverrun))
        #expect(ring.popGap() == Gap(firstMissingIndex: 7, count: 2, cause: .hostOverrun))
        #expect(ring.popGap() == nil)
        #expect(ring.hostOverrunSampleCount == 4)
    }

    @Test func fanOutBackPressureThenDropExcess() {
        let recorder = FrameRing(capacity: 4, channelCount: 2, policy: .lossless)
        let live = FrameRing(capacity: 4, channelCount: 2, policy: .keepNewest)
        let fanOut = FanOut(rings: [recorder, live])
        let buffer = FrameBuffer(capacity: 3, channelCount: 2)
        fillFrames(buffer, first: 0, count: 3)
        #expect(buffer.withSpan { fanOut.publish($0, whenFull: .refuse) } == .published)
        fillFrames(buffer, first: 3, count: 3)
        // Recorder has room for 1 of 3: refused, and nobody got anything.
        #expect(buffer.withSpan { fanOut.publish($0, whenFull: .refuse) } == .backPressure)
        #expect(recorder.consumerAvailableCount() == 3)
        #expect(live.consumerAvailableCount() == 3)
        #expect(buffer.withSpan { fanOut.publish($0, whenFull: .dropExcess) } == .publishedWithLoss(droppedFrames: 2))
        #expect(recorder.popGap() == Gap(firstMissingIndex: 4, count: 2, cause: .hostOverrun))
        #expect(live.popGap() == Gap(firstMissingIndex: 0, count: 2, cause: .hostOverrun))
        var recorded: [UInt64] = []
        recorder.read { s in s.forEach { recorded += Array($0.indices) }; return s.count }
        var shown: [UInt64] = []
        live.read { s in s.forEach { shown += Array($0.indices) }; return s.count }
        #expect(recorded == [0, 1, 2, 3])
        #expect(shown == [2, 3, 4, 5])
    }

    @Test func fanOutGivesEveryConsumerItsOwnCopyAndPace() {
        let recorder = FrameRing(capacity: 8, channelCount: 1, policy: .lossless)
        let stats = FrameRing(capacity: 16, channelCount: 1, policy: .lossless)
        let fanOut = FanOut(rings: [recorder, stats])
        let buffer = FrameBuffer(capacity: 4, channelCount: 1)
        var next: UInt64 = 0
        var recorded: [UInt64] = []
        for round in 0..<6 {
            fillFrames(buffer, first: next, count: 4)
            next += 4
            #expect(buffer.withSpan { fanOut.publish($0, whenFull: .refuse) } == .published)
            // The recorder drains every round; the statistics consumer only once, at the end.
            recorder.read { s in s.forEach { recorded += Array($0.indices) }; return s.count }
            if round == 3 {
                var seen: [UInt64] = []
                stats.read { s in s.forEach { seen += Array($0.indices) }; return s.count }
                #expect(seen == Array(0..<16))
            }
        }
        #expect(recorded == Array(0..<24))
        #expect(stats.consumerAvailableCount() == 8)
        #expect(recorder.hostOverrunSampleCount == 0 && stats.hostOverrunSampleCount == 0)
    }

    /// The interleaving the keep-newest protocol exists for: the producer overruns while the consumer is
    /// in the middle of a read. Driven from one thread by writing inside the read closure.
    @Test func keepNewestNeverOverwritesSlotsBeingRead() {
        let ring = FrameRing(capacity: 4, channelCount: 1, policy: .keepNewest)
        let buffer = FrameBuffer(capacity: 4, channelCount: 1)
        fillFrames(buffer, first: 0, count: 4)
        buffer.withSpan { ring.writeDroppingOldest($0) }
        let incoming = FrameBuffer(capacity: 4, channelCount: 1)
        fillFrames(incoming, first: 4, count: 3)
        ring.read { spans in
            incoming.withSpan { ring.writeDroppingOldest($0) }
            // The frames being read are intact; the incoming batch found no room and was reported.
            var seen: [UInt64] = []
            spans.forEach { span in
                seen += Array(span.indices)
                #expect((0..<span.count).allSatisfy { span.values(ofFrame: $0)[0] == ringValue(index: span.indices[$0], channel: 0) })
            }
            #expect(seen == [0, 1, 2, 3])
            return 1  // consume only frame 0
        }
        #expect(ring.popGap() == Gap(firstMissingIndex: 4, count: 3, cause: .hostOverrun))
        // Reading is over: the next overrun drops the oldest unread frames instead.
        fillFrames(incoming, first: 7, count: 2)
        incoming.withSpan { ring.writeDroppingOldest($0) }
        #expect(ring.popGap() == Gap(firstMissingIndex: 1, count: 1, cause: .hostOverrun))
        var seen: [UInt64] = []
        ring.read { s in s.forEach { seen += Array($0.indices) }; return s.count }
        #expect(seen == [2, 3, 7, 8])
        #expect(ring.hostOverrunSampleCount == 4)
    }

    @Test func gapRecordsBeyondTheQueueAreCountedNotLost() {
        let ring = FrameRing(capacity: 2, channelCount: 1, policy: .lossless, gapRecordCapacity: 2)
        let buffer = FrameBuffer(capacity: 1, channelCount: 1)
        for i in 0..<5 {
            fillFrames(buffer, first: UInt64(10 * i), count: 1)
            buffer.withSpan { ring.reportHostOverrun($0) }
        }
        #expect(ring.hostOverrunSampleCount == 5)
        #expect(ring.lostGapRecordCount == 3)
        #expect(ring.popGap()?.firstMissingIndex == 0)
        #expect(ring.popGap()?.firstMissingIndex == 10)
        #expect(ring.popGap() == nil)
    }
}
