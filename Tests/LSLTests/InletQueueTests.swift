import NIOCore
import Testing

@testable import LSL

/// One inlet's bounded queue: the oldest samples go when it is full, they are counted, and the first sample after
/// a loss carries its stamp.
@Suite struct InletQueueTests {
    func chunk(first: UInt64, count: Int) -> LSLEncodedChunk {
        let t = (0..<count).map { 100.0 + Double(Int(first) + $0) / 100.0 }
        let plan = LSLStampPlan(timestamps: t, indices: nil, interval: 1.0 / 100.0, tolerance: 1e-7)
        return LSLEncodedChunk(firstSequence: first, samples: .int32((0..<count).map { Int32(Int(first) + $0) }), channels: 1, plan: plan)
    }

    /// Decodes int32 single-channel samples: (tag, stamp if any, value).
    func decode(_ b: inout ByteBuffer) -> [(UInt8, Double?, Int32)] {
        var out: [(UInt8, Double?, Int32)] = []
        while let tag = b.readInteger(as: UInt8.self) {
            let stamp = tag == 2 ? Double(bitPattern: b.readInteger(endianness: .little, as: UInt64.self)!) : nil
            out.append((tag, stamp, b.readInteger(endianness: .little, as: Int32.self)!))
        }
        return out
    }

    @Test func keepsTheNewestAndCountsTheRest() {
        var q = LSLInletQueue(capacity: 5)
        q.append(chunk(first: 0, count: 4))
        q.append(chunk(first: 4, count: 4))
        #expect(q.count == 5 && q.dropped == 3)
        var out = ByteBuffer()
        #expect(q.write(maxBytes: .max, into: &out) == 5)
        let samples = decode(&out)
        #expect(samples.map(\.2) == [3, 4, 5, 6, 7])
        // 3 follows a loss: stamped; 4 starts a new push: stamped; 5…7 deduced.
        #expect(samples.map(\.0) == [2, 2, 1, 1, 1])
        #expect(abs(samples[0].1! - 100.03) < 1e-9)
        #expect(q.sent == 5 && q.count == 0)
    }

    @Test func aLossBetweenWritesRestampsTheNextSample() {
        var q = LSLInletQueue(capacity: 3)
        q.append(chunk(first: 0, count: 3))
        var out = ByteBuffer()
        q.write(maxBytes: 1, into: &out)  // one sample at least, then stop
        q.append(chunk(first: 3, count: 0))
        var rest = ByteBuffer()
        q.write(maxBytes: .max, into: &rest)
        #expect(decode(&rest).map(\.0) == [1, 1])
        q.append(chunk(first: 3, count: 10))
        var late = ByteBuffer()
        q.write(maxBytes: .max, into: &late)
        let s = decode(&late)
        #expect(s.map(\.2) == [10, 11, 12] && s.map(\.0) == [2, 1, 1] && q.dropped == 7)
        #expect(abs(s[0].1! - 100.10) < 1e-9)
    }

    @Test func writesStopAtTheByteBudget() {
        var q = LSLInletQueue(capacity: 100)
        q.append(chunk(first: 0, count: 50))
        var out = ByteBuffer()
        let n = q.write(maxBytes: 60, into: &out)
        #expect(n > 1 && out.readableBytes <= 60 && q.count == 50 - n)
    }
}

/// Pushes waiting for the event loop: one drain scheduled at a time, and a bound even when the loop stalls.
@Suite struct PendingPushesTests {
    func chunk(_ first: UInt64, _ count: Int) -> LSLEncodedChunk {
        let plan = LSLStampPlan(timestamps: (0..<count).map(Double.init), indices: nil, interval: 1, tolerance: 0)
        return LSLEncodedChunk(firstSequence: first, samples: .int8([Int8](repeating: 0, count: count)), channels: 1, plan: plan)
    }

    @Test func schedulesOneDrainAndDropsTheOldestBeyondTheLimit() {
        var p = LSLPendingPushes()
        let scheduled = [p.add(chunk(0, 4), limit: 10), p.add(chunk(4, 4), limit: 10), p.add(chunk(8, 4), limit: 10)]
        #expect(scheduled == [true, false, false])
        let (chunks, dropped) = p.take()
        #expect(chunks.map(\.firstSequence) == [4, 8] && dropped == 4)  // 12 > 10: the first push went
        let again = p.add(chunk(12, 50), limit: 10)  // after a drain the next push schedules again; the newest stays
        #expect(again && p.take().chunks.count == 1)
    }

    /// Samples lost before reaching an inlet's queue count as its drops, and its next sample carries its stamp.
    @Test func lossesBeforeTheQueueAreCountedAndRestamp() {
        var q = LSLInletQueue(capacity: 100)
        q.append(chunk(0, 2))
        var out = ByteBuffer()
        q.write(maxBytes: .max, into: &out)
        q.lost(3)
        q.append(chunk(5, 2))
        var later = ByteBuffer()
        q.write(maxBytes: .max, into: &later)
        #expect(q.dropped == 3 && later.readableBytesView.first == 2)
    }
}
