import Foundation
import MosquitoModel
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
        loss[.transportGap] = 7
        let account = DeviceAccount(snapshot(received: 100, loss: loss), hostOverrun: 30)
        #expect(account.received == 70)
        #expect(account.loss[.hostOverrun] == 30 && account.loss[.transportGap] == 7)
        #expect(account.received + account.loss.total == 107)
    }

    /// A write that failed took the file back to its last flush: the samples taken after it moved from received to
    /// lost as `write_failed`, so received is what the file holds and every index is still counted once.
    @Test func aFailedWriteMovesWhatTheFileLostFromReceivedToLost() {
        var loss = LossTotals()
        loss[.transportGap] = 7
        let account = DeviceAccount(snapshot(received: 100, loss: loss), hostOverrun: 30, writeFailed: 50)
        #expect(account.received == 20)
        #expect(account.loss[.writeFailed] == 50 && account.loss[.hostOverrun] == 30 && account.loss[.transportGap] == 7)
        #expect(account.received + account.loss.total == 107)
        let clamped = DeviceAccount(snapshot(received: 10, loss: LossTotals()), hostOverrun: 4, writeFailed: .max)
        #expect(clamped.received == 0 && clamped.loss[.writeFailed] == 6 && clamped.loss.total == 10)
    }

    @Test func anOverrunCountedBeforeItsSamplesWereIsClampedNotTrapped() {
        // Read live, the recorder may have popped a drop the ingest's snapshot does not count as received yet.
        let account = DeviceAccount(snapshot(received: 5, loss: LossTotals()), hostOverrun: 9)
        #expect(account.received == 0 && account.loss[.hostOverrun] == 5)
        let extreme = DeviceAccount(snapshot(received: .max, loss: LossTotals()), hostOverrun: .max)
        #expect(extreme.received == 0 && extreme.loss[.hostOverrun] == .max)
    }

    func device(lost: UInt64, duplicates: UInt64, link: String? = nil) -> DeviceSummary {
        var totals = LossTotals()
        totals[.transportGap] = lost
        var violations = IndexViolations()
        violations.duplicateFrames = duplicates
        violations.duplicateSamples = duplicates
        violations.overflowFrames = 1
        return DeviceSummary(
            uri: "sim", serial: "MQ", rateHz: 1000, outputRateHz: 1000, channels: ["a"], samplesExpected: nil, nextIndex: 0,
            samplesReceived: 0, samplesWritten: 0, framesReceived: 0, crcErrors: 0, malformedFrames: 0, lost: totals,
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

    /// The acquisition declares gaps in the type the file stores, so each cause's name is the file's: these
    /// are the names recordings already on disk hold, and `record --json` keeps its camel-case keys.
    @Test func everyLossCauseKeepsItsNameInTheFileAndTheJSON() throws {
        #expect(GapCause.allCases.map(\.rawValue)
                == ["transport_gap", "crc_error", "device_overrun", "host_overrun", "network", "write_failed"])
        var totals = LossTotals()
        for (k, cause) in GapCause.acquisition.enumerated() { totals[cause] = UInt64(k + 1) }
        #expect(totals.byName == ["transport_gap": 1, "crc_error": 2, "device_overrun": 3, "host_overrun": 4])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(totals)) as? [String: UInt64]
        #expect(json == ["transportGap": 1, "crcError": 2, "deviceOverrun": 3, "hostOverrun": 4, "total": 10])
        totals[.network] = 5
        #expect(totals.byName["network"] == 5 && totals.total == 15)
        // A failed write's loss is named only when there is one, so every other run's JSON keeps its keys.
        #expect(totals.byName["write_failed"] == nil)
        totals[.writeFailed] = 6
        #expect(totals.byName["write_failed"] == 6 && totals.total == 21)
        let failed = try JSONSerialization.jsonObject(with: JSONEncoder().encode(totals)) as? [String: UInt64]
        #expect(failed?["writeFailed"] == 6 && failed?["total"] == 21)
        #expect(try JSONDecoder().decode(LossTotals.self, from: JSONEncoder().encode(totals)) == totals)
    }

    /// A summary written before `network` and `writeFailed` existed reads back with them zero; one without an
    /// acquisition cause is not a summary.
    @Test func lossJSONFromEarlierVersionsReadsBack() throws {
        let earlier = #"{"transportGap":1,"crcError":2,"deviceOverrun":3,"hostOverrun":4,"total":10}"#
        let read = try JSONDecoder().decode(LossTotals.self, from: Data(earlier.utf8))
        #expect(read[.network] == 0 && read[.writeFailed] == 0 && read.total == 10 && read[.hostOverrun] == 4)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LossTotals.self, from: Data(#"{"transportGap":1,"crcError":2,"deviceOverrun":3}"#.utf8))
        }
    }

    /// Totals of several devices add cause by cause and saturate: each device may count up to 2⁶⁴ − 1.
    @Test func lossTotalsAddCauseByCause() {
        var a = LossTotals(), b = LossTotals()
        a[.crcError] = 5
        a[.hostOverrun] = .max - 1
        b[.crcError] = 7
        b[.hostOverrun] = 3
        b[.network] = 2
        let sum = a.addingSaturating(b)
        #expect(sum[.crcError] == 12 && sum[.hostOverrun] == .max && sum[.network] == 2 && sum[.transportGap] == 0)
        #expect(sum.reported == [.transportGap, .crcError, .deviceOverrun, .hostOverrun, .network])
    }
}
