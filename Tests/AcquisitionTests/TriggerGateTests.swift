import Acquisition
import Signal
import Testing

/// A trigger holds the recorder's ring back until one channel meets its condition, then lets through exactly
/// the run's length from the triggering index, even when it fires in the middle of a frame.
@Suite struct TriggerGateTests {
    /// Channel 0 carries 7 × the wire index (see `IngestHarness.value`): rising through 700 fires at index 100,
    /// inside the frame of 7 samples that starts at 98.
    func harness(runLength: UInt64?, condition: Trigger.Condition = .risingEdge, level: Double = 700) -> IngestHarness {
        let spec = TriggerSpec(channel: 0, condition: condition, level: level)
        return IngestHarness(trigger: TriggerGate(spec: spec, column: 0, polynomial: .identity, runLength: runLength))
    }

    @Test func recordsExactlyTheRunLengthFromTheTriggeringSample() throws {
        let h = harness(runLength: 10)
        try h.send((0..<20).map { (UInt64($0 * 7), 7) })
        #expect(h.indices == Array(100..<110))
        #expect(h.ingest.endIndex == 110)
        #expect(h.ingest.isFinished)
        let snap = h.ingest.snapshot()
        #expect(snap.triggeredAt == 100)
        // Every index of the run, before the trigger too, is accounted for; nothing past its end is.
        #expect(snap.samplesReceived == 110 && snap.nextIndex == 110 && snap.loss.total == 0)
        let fired = h.events.filter { $0.kind == "trigger" }
        #expect(fired.map(\.afterIndex) == [100])
        #expect(fired.first?.detail == "channel 0 rising through 700.0: recording starts at index 100")
    }

    @Test func withoutALengthRecordsUntilStoppedAndFiresOnce() throws {
        let h = harness(runLength: nil, condition: .levelAbove, level: 70)
        try h.send((0..<10).map { (UInt64($0 * 4), 4) })
        #expect(h.indices == Array(10..<40))
        #expect(h.ingest.endIndex == nil && !h.ingest.isFinished)
        #expect(h.events.filter { $0.kind == "trigger" }.count == 1)
    }

    @Test func nothingReachesTheRecorderBeforeItFires() throws {
        let h = harness(runLength: 10, level: 1e12)
        try h.send((0..<20).map { (UInt64($0 * 7), 7) })
        #expect(h.indices.isEmpty)
        #expect(h.ingest.snapshot().triggeredAt == nil)
        #expect(h.ingest.snapshot().samplesReceived == 140)
    }

    @Test func parsesTheCommandLineForm() throws {
        #expect(try TriggerSpec(parsing: "2:falling:-1.5") == TriggerSpec(channel: 2, condition: .fallingEdge, level: -1.5))
        for bad in ["", "0:rising", "x:rising:1", "-1:rising:1", "0:sideways:1", "0:rising:nan", "0:rising:1:2"] {
            #expect(throws: AcquisitionError.self) { try TriggerSpec(parsing: bad) }
        }
    }
}
