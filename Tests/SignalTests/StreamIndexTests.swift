import MosquitoModel
import Testing
import Signal

/// The index rule, frame by frame: each index delivered at most once, in order; what is not delivered is lost
/// with a cause or counted as a violation; nothing the wire says traps.
@Suite struct StreamIndexTests {
    /// Admits `(first, count)` frames in order and returns what each was told.
    func admit(_ frames: [(UInt64, Int)], into index: inout StreamIndex, gaps: inout [Gap]) -> [StreamIndex.Admission] {
        frames.map { first, count in index.admit(firstIndex: first, count: count) { gaps.append($0) } }
    }

    @Test func theIssueTableDeliversEachIndexOnceAndCountsTheRest() {
        var index = StreamIndex(), gaps: [Gap] = []
        let frames: [(UInt64, Int)] = [(0, 20), (20, 20), (40, 20), (0, 20), (60, 20), (60, 20), (80, 20)]
        #expect(admit(frames, into: &index, gaps: &gaps) == [
            .deliver(firstIndex: 0, skip: 0, count: 20), .deliver(firstIndex: 20, skip: 0, count: 20),
            .deliver(firstIndex: 40, skip: 0, count: 20), .duplicate(samples: 20),
            .deliver(firstIndex: 60, skip: 0, count: 20), .duplicate(samples: 20),
            .deliver(firstIndex: 80, skip: 0, count: 20),
        ])
        #expect(index.samplesReceived == 100)
        #expect(index.nextIndex == 100)
        #expect(index.loss.total == 0 && gaps.isEmpty)
        #expect(index.violations.duplicateFrames == 2)
        #expect(index.violations.duplicateSamples == 40)
        #expect(index.violations.overflowFrames == 0)
    }

    @Test func aPartlyRepeatedFrameDeliversOnlyItsNewTail() {
        var index = StreamIndex(), gaps: [Gap] = []
        #expect(admit([(0, 100), (90, 20)], into: &index, gaps: &gaps).last == .deliver(firstIndex: 100, skip: 10, count: 10))
        #expect(index.samplesReceived == 110)
        #expect(index.violations.duplicateFrames == 1)
        #expect(index.violations.duplicateSamples == 10)
    }

    @Test func aBackwardsFrameFarIntoThePastIsWhollyDiscarded() {
        var index = StreamIndex(), gaps: [Gap] = []
        #expect(admit([(0, 20), (20, 20), (40, 20), (10, 40)], into: &index, gaps: &gaps).last == .duplicate(samples: 40))
        #expect(index.nextIndex == 60)
        #expect(index.samplesReceived == 60)
    }

    @Test func aLateFrameInsideAProvenGapStaysLost() {
        var index = StreamIndex(), gaps: [Gap] = []
        let admitted = admit([(0, 20), (40, 20), (20, 20)], into: &index, gaps: &gaps)
        #expect(gaps == [Gap(firstMissingIndex: 20, count: 20, cause: .transportGap)])
        #expect(admitted.last == .duplicate(samples: 20))
        #expect(index.samplesReceived + index.loss.total == index.nextIndex)
        #expect(index.loss[.transportGap] == 20)
        #expect(index.violations.duplicateSamples == 20)
    }

    @Test func indicesUpTo2To64Minus2AreDeliveredAndAFrameReachingTheLastIsRefused() {
        var index = StreamIndex(), gaps: [Gap] = []
        let top = UInt64.max
        let frames: [(UInt64, Int)] = [(top - 40, 20), (top - 20, 20), (top, 1), (top - 1, 1)]
        let expected: [StreamIndex.Admission] = [
            .deliver(firstIndex: top - 40, skip: 0, count: 20), .deliver(firstIndex: top - 20, skip: 0, count: 20),
            .overflow, .duplicate(samples: 1),
        ]
        #expect(admit(frames, into: &index, gaps: &gaps) == expected)
        #expect(gaps == [Gap(firstMissingIndex: 0, count: top - 40, cause: .transportGap)])
        #expect(index.nextIndex == .max)
        #expect(index.samplesReceived == 40)
        #expect(index.samplesReceived + index.loss.total == .max)
        #expect(index.violations.overflowFrames == 1 && index.violations.overflowSamples == 1)
    }

    @Test func aFrameThatWouldWrapIsRefusedAndWhatCameBeforeStays() {
        var index = StreamIndex(), gaps: [Gap] = []
        let admitted = admit([(0, 10), (.max - 5, 10), (10, 10)], into: &index, gaps: &gaps)
        #expect(admitted == [.deliver(firstIndex: 0, skip: 0, count: 10), .overflow, .deliver(firstIndex: 10, skip: 0, count: 10)])
        #expect(gaps.isEmpty)
        #expect(index.violations.overflowSamples == 10)
        #expect(index.samplesReceived == 20)
    }

    @Test func aReconnectRebasesPastTheOutageAndTheOldIndicesStayOld() {
        var index = StreamIndex(), gaps: [Gap] = []
        _ = admit([(0, 20)], into: &index, gaps: &gaps)
        index.deviceRestarted(missing: 50) { gaps.append($0) }
        #expect(index.base == 70)
        #expect(gaps == [Gap(firstMissingIndex: 20, count: 50, cause: .transportGap)])
        #expect(admit([(0, 20), (0, 20)], into: &index, gaps: &gaps) == [.deliver(firstIndex: 70, skip: 0, count: 20), .duplicate(samples: 20)])
        #expect(index.samplesReceived + index.loss.total == index.nextIndex)
    }

    @Test func aReconnectNear2To64SaturatesAndEveryLaterFrameIsRefused() {
        var index = StreamIndex(), gaps: [Gap] = []
        _ = admit([(.max - 30, 10)], into: &index, gaps: &gaps)
        index.deviceRestarted(missing: .max) { gaps.append($0) }
        #expect(index.base == .max)
        #expect(index.nextIndex == .max)
        #expect(admit([(0, 1), (5, 3)], into: &index, gaps: &gaps) == [.overflow, .overflow])
        #expect(index.samplesReceived + index.loss.total == .max)
    }

    @Test func theRunsEndClipsAFrameAndAFrameBeyondItProvesTheRestMissing() {
        var index = StreamIndex(endIndex: 50), gaps: [Gap] = []
        #expect(admit([(0, 20), (20, 20), (40, 20)], into: &index, gaps: &gaps).last == .deliver(firstIndex: 40, skip: 0, count: 10))
        #expect(index.isComplete)
        #expect(admit([(60, 20)], into: &index, gaps: &gaps) == [.pastEnd])
        var late = StreamIndex(endIndex: 50), lateGaps: [Gap] = []
        #expect(admit([(0, 10), (100, 20)], into: &late, gaps: &lateGaps).last == .pastEnd)
        #expect(lateGaps == [Gap(firstMissingIndex: 10, count: 40, cause: .transportGap)])
        #expect(late.isComplete)
        #expect(late.violations.isEmpty)
    }

    @Test func aFrameOfNoSamplesSaysNothing() {
        var index = StreamIndex(), gaps: [Gap] = []
        #expect(admit([(.max, 0), (40, 0)], into: &index, gaps: &gaps) == [.empty, .empty])
        #expect(index.nextIndex == 0 && gaps.isEmpty && index.violations.isEmpty)
    }
}
