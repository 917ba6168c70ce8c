import Recording
import Signal
import Testing
@testable import Acquisition

/// The run's accounting in process: a device's account, the summary's sums across devices, and the causes the
/// recorder writes into the file's gaps table.
@Suite struct RunSummaryTests {
    func snapshot(received: UInt64, loss: LossTotals = LossTotals()) -> IngestSnapshot {
        IngestSnapshot(
            samplesReceived: received, nextIndex: received.addingSaturating(loss.total), framesReceived: 0, gaps: 0,
            crcErrors: 0, malformedFrames: 0, loss: loss, violations: IndexViolations(), linkError: nil, reconnects: 0)
    }

    @Test func hostOverrunMovesSamplesFromReceivedToLostAndTheSumStays() {
        var loss = LossTotals()
        loss.transportGap = 7
        let account = DeviceAccount(snapshot(received: 100, loss: loss), hostOverrun: 30)
        #expect(account.received == 70)
        #expect(account.loss.hostOverrun == 30 && account.loss.transportGap == 7)
        #expect(account.received + account.loss.total == 107)
    }

    @Test func anOverrunCountedBeforeItsSamplesWereIsClampedNotTrapped() {
        // Read live, the recorder may have popped a drop the ingest's snapshot does not count as received yet.
        let account = DeviceAccount(snapshot(received: 5, loss: LossTotals()), hostOverrun: 9)
        #expect(account.received == 0 && account.loss.hostOverrun == 5)
        let extreme = DeviceAccount(snapshot(received: .max, loss: LossTotals()), hostOverrun: .max)
        #expect(extreme.received == 0 && extreme.loss.hostOverrun == .max)
    }

    func device(lost: UInt64, duplicates: UInt64, link: String? = nil) -> DeviceSummary {
        var totals = LossTotals()
        totals.transportGap = lost
        var violations = IndexViolations()
        violations.duplicateFrames = duplicates
        violations.duplicateSamples = duplicates
        violations.overflowFrames = 1
        return DeviceSummary(
            uri: "sim", serial: "MQ", rateHz: 1000, outputRateHz: 1000, channels: ["a"], samplesExpected: nil, nextIndex: 0,
            samplesReceived: 0, samplesWritten: 0, framesReceived: 0, crcErrors: 0, malformedFrames: 0, lost: LossCounts(totals),
            indexViolations: violations, clockOffsetUncertaintyNs: nil, clockDriftPPM: nil, linkError: link, reconnects: 0,
            triggeredAtIndex: nil, bufferFrames: 16, bufferHighWaterFrames: 0)
    }

    @Test func sumsAcrossDevicesSaturateAt2To64() {
        let near = UInt64.max - 1
        let summary = RunSummary(
            output: "x.h5", elapsedSeconds: 1, devices: [device(lost: near, duplicates: near), device(lost: 5, duplicates: 5)],
            recordingError: nil)
        #expect(summary.samplesLost == .max)
        #expect(summary.indexViolations.duplicateFrames == .max && summary.indexViolations.duplicateSamples == .max)
        #expect(summary.indexViolations.overflowFrames == 2)
        #expect(!summary.linkLost)
        let small = RunSummary(
            output: "x.h5", elapsedSeconds: 1, devices: [device(lost: 2, duplicates: 0), device(lost: 3, duplicates: 0, link: "gone")],
            recordingError: nil)
        #expect(small.samplesLost == 5 && small.linkLost)
    }

    @Test func everyLossCauseKeepsItsNameInTheFile() {
        for cause in Signal.Gap.Cause.allCases {
            let written = RecorderLoop.recorded(Signal.Gap(firstMissingIndex: 40, count: 2, cause: cause))
            #expect(written.firstMissingIndex == 40 && written.count == 2)
            #expect(written.cause.rawValue == cause.rawValue.snakeCased)
        }
    }
}

extension String {
    /// `transportGap` → `transport_gap`: the file's spelling of a cause.
    fileprivate var snakeCased: String {
        reduce(into: "") { out, c in out += c.isUppercase ? "_" + c.lowercased() : String(c) }
    }
}
