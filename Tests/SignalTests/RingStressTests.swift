import MosquitoModel
import TestSupport
import Foundation
import Testing
@testable import Signal

/// Two real threads, producer and consumer, hammering one ring. These are the tests `make tsan` runs
/// under ThreadSanitizer.
@Suite struct RingStressTests {
    /// Runs `body` on a new OS thread (not the cooperative pool, which these spin loops would starve).
    final class Joinable: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        init(_ body: @escaping @Sendable () -> Void) {
            let thread = Thread { [done] in
                body()
                done.signal()
            }
            thread.start()
        }
        func join() { done.wait() }
    }

    static let total = 200_000

    @Test func losslessEveryFrameArrivesOnceInOrder() {
        let channels = 4
        let ring = FrameRing(capacity: 256, channelCount: channels, policy: .lossless)
        let producer = Joinable {
            var rng = SplitMix64(seed: 1)
            let buffer = FrameBuffer(capacity: 97, channelCount: channels)
            var next: UInt64 = 0
            while next < UInt64(Self.total) {
                let n = min(Int.random(in: 1...97, using: &rng), Self.total - Int(next))
                fillFrames(buffer, first: next, count: n)
                var offset = 0
                while offset < n {
                    let written = buffer.withSpan { ring.write($0.slice(offset..<n)) }
                    offset += written
                    if written == 0 { sched_yield() }
                }
                next += UInt64(n)
            }
        }
        var expected: UInt64 = 0
        var badValues = 0
        var rng = SplitMix64(seed: 2)
        while expected < UInt64(Self.total) {
            let consumed = ring.read { spans in
                // Sometimes consume only part, to exercise partial release.
                let take = spans.count == 0 ? 0 : Int.random(in: 1...spans.count, using: &rng)
                var taken = 0
                spans.forEach { span in
                    for i in 0..<span.count where taken < take {
                        if span.indices[i] != expected || span.deviceTimesNs[i] != expected * 1000
                            || span.values(ofFrame: i)[channels - 1] != ringValue(index: expected, channel: channels - 1)
                        {
                            badValues += 1
                        }
                        expected += 1
                        taken += 1
                    }
                }
                return take
            }
            if consumed == 0 { sched_yield() }
        }
        producer.join()
        #expect(badValues == 0)
        #expect(expected == UInt64(Self.total))
        #expect(ring.consumerAvailableCount() == 0)
        #expect(ring.hostOverrunSampleCount == 0)
    }

    @Test func singleElementEveryFrameArrivesOnceInOrder() {
        let ring = FrameRing(capacity: 64, channelCount: 1, policy: .lossless)
        let producer = Joinable {
            for i in 0..<UInt64(Self.total) {
                var v = ringValue(index: i, channel: 0)
                while !withUnsafePointer(to: &v, {
                    ring.tryWrite(index: i, deviceTimeNs: i, values: UnsafeBufferPointer(start: $0, count: 1))
                }) { sched_yield() }
            }
        }
        var expected: UInt64 = 0
        var bad = 0
        while expected < UInt64(Self.total) {
            let got = ring.tryRead { index, time, values in
                if index != expected || time != expected || values[0] != ringValue(index: expected, channel: 0) { bad += 1 }
                expected += 1
            }
            if !got { sched_yield() }
        }
        producer.join()
        #expect(bad == 0)
    }

    /// The live path under pressure: nothing arrives twice or out of order, and every sample is either
    /// received or inside exactly one reported gap.
    @Test func keepNewestEverySampleReceivedOrReportedExactlyOnce() {
        let channels = 2
        let ring = FrameRing(capacity: 64, channelCount: channels, policy: .keepNewest, gapRecordCapacity: 1 << 16)
        let producer = Joinable {
            var rng = SplitMix64(seed: 3)
            let buffer = FrameBuffer(capacity: 100, channelCount: channels)
            var next: UInt64 = 0
            while next < UInt64(Self.total) {
                let n = min(Int.random(in: 1...100, using: &rng), Self.total - Int(next))
                fillFrames(buffer, first: next, count: n)
                buffer.withSpan { ring.writeDroppingOldest($0) }
                next += UInt64(n)
            }
        }
        var received: [UInt64] = []
        received.reserveCapacity(Self.total)
        var gaps: [Gap] = []
        var corrupt = 0
        var rng = SplitMix64(seed: 4)
        func drain() -> Int {
            while let gap = ring.popGap() { gaps.append(gap) }
            return ring.read { spans in
                spans.forEach { span in
                    for i in 0..<span.count {
                        let index = span.indices[i]
                        if span.values(ofFrame: i)[1] != ringValue(index: index, channel: 1) { corrupt += 1 }
                        received.append(index)
                    }
                }
                return spans.count
            }
        }
        // Let the producer overrun the idle consumer first, so the drop path is certainly exercised.
        while ring.hostOverrunSampleCount == 0 { sched_yield() }
        var accounted: UInt64 = 0
        while accounted < UInt64(Self.total) {
            if drain() == 0 || Int.random(in: 0..<8, using: &rng) == 0 {
                // A slow consumer, so the producer really does drop.
                for _ in 0..<Int.random(in: 0..<2000, using: &rng) { _ = rng.next() }
            }
            accounted = UInt64(received.count) + gaps.reduce(0) { $0 + $1.count }
        }
        producer.join()
        _ = drain()
        #expect(corrupt == 0)
        #expect(zip(received, received.dropFirst()).allSatisfy { $0 < $1 })
        var covered = Set(received)
        for gap in gaps {
            for index in gap.missingIndices { #expect(covered.insert(index).inserted, "index \(index) both received and dropped") }
        }
        #expect(covered.count == Self.total)
        #expect(ring.hostOverrunSampleCount == gaps.reduce(0) { $0 + $1.count })
        #expect(ring.lostGapRecordCount == 0)
    }
}
