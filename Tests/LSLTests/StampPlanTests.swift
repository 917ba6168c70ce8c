import Testing

@testable import LSL

/// Which stamps an inlet may deduce: only inside a contiguous run, and only where its arithmetic lands within the
/// tolerance of the pushed stamp.
@Suite struct StampPlanTests {
    let interval = 1.0 / 250.0

    @Test func latticeRunIsDeducedAfterTheFirst() {
        let t = (0..<5).map { 10.0 + Double($0) / 250.0 }
        let plan = LSLStampPlan(timestamps: t, indices: Array(100..<105), interval: interval, tolerance: 1e-7)
        #expect(plan.deducible == [false, true, true, true, true])
        for (w, x) in zip(plan.wire, t) { #expect(abs(w - x) <= 1e-7) }
    }

    @Test func anIndexGapForcesAStampEvenOnTheLattice() {
        let t = (0..<4).map { 10.0 + Double($0) / 250.0 }
        let plan = LSLStampPlan(timestamps: t, indices: [7, 8, 12, 13], interval: interval, tolerance: 1e-7)
        #expect(plan.deducible == [false, true, false, true])
        #expect(plan.wire[2] == t[2])
    }

    @Test func indexAtTheTopOfUInt64IsAGapNotATrap() {
        let plan = LSLStampPlan(timestamps: [1, 1 + interval], indices: [.max, 0], interval: interval, tolerance: 1e-7)
        #expect(plan.deducible == [false, false])
    }

    @Test func jitterBeyondTheToleranceIsTransmitted() {
        let t = [10.0, 10.0 + interval + 2e-7, 10.0 + 2 * interval + 2e-7]
        let plan = LSLStampPlan(timestamps: t, indices: nil, interval: interval, tolerance: 1e-7)
        #expect(plan.deducible == [false, false, true])
        #expect(plan.wire[1] == t[1])
    }

    /// Deduced stamps are chained from the previous wire stamp, so the error never accumulates past the tolerance
    /// even when every period is a little long (a device clock 50 ppm slow).
    @Test func slowClockNeverDriftsPastTheTolerance() {
        let t = (0..<1000).map { 5.0 + Double($0) * interval * (1 + 50e-6) }
        let plan = LSLStampPlan(timestamps: t, indices: nil, interval: interval, tolerance: 1e-6)
        #expect(zip(plan.wire, t).allSatisfy { abs($0 - $1) <= 1e-6 })
        #expect(plan.deducible.filter { $0 }.count >= 750)
    }

    @Test func irregularStreamsDeduceOnlyARepeatedStamp() {
        let plan = LSLStampPlan(timestamps: [3, 3, 4], indices: nil, interval: 0, tolerance: 1e-7)
        #expect(plan.deducible == [false, true, false])
    }
}
