import Acquisition
import MosquitoModel
import Signal
import Testing

/// The recorder's side of a device's ring, fed frames that repeat, go backwards, arrive late and run up to 2^64:
/// what reaches it is each index once, in order, and what does not is lost with a cause or reported.
@Suite struct StreamIngestTests {
    @Test func theIssueTableReachesTheRecorderAsOneHundredUniqueSamples() throws {
        let h = IngestHarness()
        try h.send([(0, 20), (20, 20), (40, 20), (0, 20), (60, 20), (60, 20), (80, 20)])
        #expect(h.indices == Array(0..<100))
        for sample in h.delivered {
            #expect(sample.values == (0..<2).map { IngestHarness.value(wire: sample.index, channel: $0) })
            #expect(sample.timeNs == sample.index * 1_000_000)
        }
        let snap = h.ingest.snapshot()
        #expect(snap.samplesReceived == 100)
        #expect(snap.nextIndex == 100)
        #expect(snap.violations.duplicateFrames == 2)
        #expect(snap.violations.duplicateSamples == 40)
        #expect(snap.framesReceived == 7)
        #expect(h.gaps.isEmpty)
        let reported = h.events.filter { $0.kind == "duplicate" }
        #expect(reported.map(\.afterIndex) == [60, 80])
        #expect(reported.allSatisfy { $0.detail.contains("20 already accounted for, discarded") })
    }

    @Test func aPartlyRepeatedFrameDeliversItsTailWithItsOwnDeviceTimes() throws {
        let h = IngestHarness()
        try h.send([(0, 20), (10, 20)])
        #expect(h.indices == Array(0..<30))
        for sample in h.delivered {
            #expect(sample.values == (0..<2).map { IngestHarness.value(wire: sample.index, channel: $0) })
            #expect(sample.timeNs == sample.index * 1_000_000)
        }
        #expect(h.ingest.snapshot().violations.duplicateSamples == 10)
        #expect(h.events.map(\.detail) == ["frame of 20 samples from index 10 begins before 20, the next expected index: 10 already accounted for, discarded; 10 new delivered"])
    }

    @Test func aLateFrameAfterAProvenGapNeverLandsInsideIt() throws {
        let h = IngestHarness()
        try h.send([(0, 20), (40, 20), (20, 20), (60, 20)])
        #expect(h.gaps == [Gap(firstMissingIndex: 20, count: 20, cause: .transportGap)])
        #expect(h.indices == Array(0..<20) + Array(40..<80))
        let snap = h.ingest.snapshot()
        #expect(snap.samplesReceived + snap.loss.total == snap.nextIndex)
        #expect(snap.violations.duplicateSamples == 20)
        #expect(tile(runs(h.indices) + h.gaps.map { ($0.firstMissingIndex, $0.count) }, exactly: snap.nextIndex))
    }

    @Test func indicesNear2To64AreKeptAndTheFrameThatWouldWrapIsRefused() throws {
        let h = IngestHarness()
        let start = UInt64.max - 60
        try h.send([(start, 20), (start + 20, 20), (start + 40, 20), (start + 60, 20), (0, 20), (start + 40, 20)])
        // The frame ending just below 2^64 - 1 is the last delivered; the next would hold 2^64 - 1 and wrap: refused.
        #expect(h.indices == Array(start..<start + 60))
        let snap = h.ingest.snapshot()
        #expect(snap.violations.overflowFrames == 1 && snap.violations.overflowSamples == 20)
        #expect(snap.violations.duplicateFrames == 2 && snap.violations.duplicateSamples == 40)
        #expect(snap.nextIndex == .max)
        #expect(snap.samplesReceived + snap.loss.total == snap.nextIndex)
        #expect(h.gaps == [Gap(firstMissingIndex: 0, count: start, cause: .transportGap)])
        #expect(h.events.map(\.kind) == ["index_overflow", "duplicate", "duplicate"])
    }

    @Test func afterAReconnectTheRebasedIndicesFollowTheSameRule() throws {
        let h = IngestHarness()
        try h.send([(0, 20)])
        // One second away at 1 kHz: 1000 samples the instrument would have produced.
        h.ingest.reattach(outageNs: 1_000_000_000, detail: "back")
        try h.send([(0, 20), (0, 20), (20, 20)])
        h.drain()
        #expect(h.indices == Array(0..<20) + Array(1020..<1060))
        #expect(h.gaps == [Gap(firstMissingIndex: 20, count: 1000, cause: .transportGap)])
        let snap = h.ingest.snapshot()
        #expect(snap.violations.duplicateSamples == 20)
        #expect(snap.samplesReceived + snap.loss.total == snap.nextIndex)
    }

    @Test func aRunsEndStillHoldsWhenFramesRepeatAcrossIt() throws {
        let h = IngestHarness(endIndex: 50)
        try h.send([(0, 20), (20, 20), (20, 20), (40, 20), (40, 20)])
        #expect(h.indices == Array(0..<50))
        #expect(h.ingest.isFinished)
        #expect(h.ingest.snapshot().violations.duplicateSamples == 30)
    }

    @Test func aDeviceThatRepeatsForeverWritesBoundedEvents() throws {
        let h = IngestHarness(channels: 1)
        try h.send(0, 1)
        for _ in 0..<1500 { try h.send(0, 1) }
        #expect(h.events.count == 1000)
        #expect(h.events.last?.detail.hasSuffix("counted in the run summary, not listed") == true)
        #expect(h.ingest.snapshot().violations.duplicateFrames == 1500)
    }
}
