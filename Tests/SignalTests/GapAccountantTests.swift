import MosquitoModel
import TestSupport
import Testing
@testable import Signal

@Suite struct GapAccountantTests {
    @Test func contiguousBlocksMakeNoGaps() {
        var accountant = GapAccountant()
        var gaps: [Gap] = []
        for b in 0..<100 {
            #expect(accountant.observeBlock(firstIndex: UInt64(b * 64), count: 64) { gaps.append($0) } == .contiguous)
        }
        #expect(gaps.isEmpty)
        #expect(accountant.samplesReceived == 6400)
        #expect(accountant.totals.total == 0)
        #expect(accountant.expectedNextIndex == 6400)
    }

    @Test func aJumpIsATransportGapWithExactIndices() {
        var accountant = GapAccountant()
        var gaps: [Gap] = []
        accountant.observeBlock(firstIndex: 0, count: 64) { gaps.append($0) }
        #expect(accountant.observeBlock(firstIndex: 192, count: 64) { gaps.append($0) } == .afterGap(missing: 128))
        #expect(gaps == [Gap(firstMissingIndex: 64, count: 128, cause: .transportGap)])
        #expect(accountant.totals[.transportGap] == 128)
    }

    @Test func firstBlockAfterStartMustBeginAtZero() {
        var accountant = GapAccountant()
        var gaps: [Gap] = []
        accountant.observeBlock(firstIndex: 10, count: 5) { gaps.append($0) }
        #expect(gaps == [Gap(firstMissingIndex: 0, count: 10, cause: .transportGap)])
    }

    @Test func crcErrorBeforeAJumpIsBlamedForIt() {
        var accountant = GapAccountant()
        var gaps: [Gap] = []
        accountant.observeBlock(firstIndex: 0, count: 32) { gaps.append($0) }
        accountant.noteCRCError()
        accountant.observeBlock(firstIndex: 64, count: 32) { gaps.append($0) }
        // A CRC error followed by a contiguous block (it was not a SAMPLES frame) blames nothing later.
        accountant.noteCRCError()
        accountant.observeBlock(firstIndex: 96, count: 32) { gaps.append($0) }
        accountant.observeBlock(firstIndex: 160, count: 32) { gaps.append($0) }
        #expect(gaps == [
            Gap(firstMissingIndex: 32, count: 32, cause: .crcError),
            Gap(firstMissingIndex: 128, count: 32, cause: .transportGap),
        ])
        #expect(accountant.crcErrorCount == 2)
        #expect(accountant.totals[.crcError] == 32)
        #expect(accountant.totals[.transportGap] == 32)
    }

    @Test func deviceOverrunTakesTheFrontOfTheJump() {
        var accountant = GapAccountant()
        var gaps: [Gap] = []
        accountant.noteDeviceStatus(droppedTotal: 0)
        accountant.observeBlock(firstIndex: 0, count: 10) { gaps.append($0) }
        accountant.noteDeviceStatus(droppedTotal: 6)
        accountant.noteCRCError()
        accountant.observeBlock(firstIndex: 30, count: 10) { gaps.append($0) }
        #expect(gaps == [
            Gap(firstMissingIndex: 10, count: 6, cause: .deviceOverrun),
            Gap(firstMissingIndex: 16, count: 14, cause: .crcError),
        ])
        #expect(accountant.totals.total == 20)
    }

    @Test func deviceDroppedCounterWraps() {
        var accountant = GapAccountant()
        var gaps: [Gap] = []
        accountant.noteDeviceStatus(droppedTotal: UInt32.max - 1)
        accountant.observeBlock(firstIndex: UInt64(UInt32.max - 1), count: 1) { gaps.append($0) }
        accountant.noteDeviceStatus(droppedTotal: 2)  // wrapped: 4 more dropped
        accountant.observeBlock(firstIndex: UInt64(UInt32.max) + 4, count: 1) { gaps.append($0) }
        #expect(gaps.last == Gap(firstMissingIndex: UInt64(UInt32.max), count: 4, cause: .deviceOverrun))
    }

    @Test func randomDropsAreAccountedExactly() {
        var rng = SplitMix64(seed: 42)
        var accountant = GapAccountant()
        var gaps: [Gap] = []
        var index: UInt64 = 0
        var dropped: UInt64 = 0
        var delivered: UInt64 = 0
        for _ in 0..<2000 {
            let count = UInt64.random(in: 1...64, using: &rng)
            if Int.random(in: 0..<10, using: &rng) == 0 {
                dropped += count
            } else {
                accountant.observeBlock(firstIndex: index, count: count) { gaps.append($0) }
                delivered += count
            }
            index += count
        }
        accountant.observeBlock(firstIndex: index, count: 1) { gaps.append($0) }
        #expect(accountant.totals[.transportGap] == dropped)
        #expect(gaps.reduce(0) { $0 + $1.count } == dropped)
        #expect(accountant.samplesReceived == delivered + 1)
        #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $0.endIndex < $1.firstMissingIndex })
    }
}
