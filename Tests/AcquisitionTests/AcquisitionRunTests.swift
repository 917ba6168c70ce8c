import Acquisition
import Device
import Foundation
import MosquitoModel
import Recording
import Simulator
import Testing

/// A whole run in process: the in-process simulator misbehaving on purpose, the real recorder and HDF5 file,
/// and the run summary, each checked against the others.
@Suite(.serialized) struct AcquisitionRunTests {
    struct Outcome {
        let summary: RunSummary
        let index: [UInt64]
        let gaps: [Gap]
        let events: [RecordingEvent]
    }

    /// Records `uri` at 1 kHz until the run ends by itself (its duration, or the link closing), then reads the file.
    func record(_ uri: String, duration: Double?) throws -> Outcome {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("acq-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try DeviceOpener.simulated.openSession(uri)
        defer { session.close() }
        let plan = AcquisitionPlan(rateHz: 1000, durationSeconds: duration, output: path, softwareVersion: "test")
        let run = try AcquisitionRun(sessions: [(uri, session)], plan: plan)
        try run.start()
        // The run ends on its own; the deadline only keeps a broken build from hanging the suite.
        let deadline = Date(timeIntervalSinceNow: 60)
        while !run.isDone && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let summary = run.finish()
        let reader = try HDF5RecordingReader(path: path)
        let rows = try reader.readSamples(device: 0, rows: 0 ..< (try reader.sampleCount(device: 0)))
        return Outcome(summary: summary, index: rows.index, gaps: try reader.gaps(device: 0), events: try reader.events(device: 0))
    }

    /// The file holds each index once, in order, never inside a gap it declares; the summary agrees with it.
    func expectConsistent(_ o: Outcome) {
        let d = o.summary.devices[0]
        #expect(zip(o.index, o.index.dropFirst()).allSatisfy { $0 < $1 })
        #expect(UInt64(o.index.count) == d.samplesWritten)
        #expect(d.samplesWritten == d.samplesReceived)
        #expect(d.samplesReceived.addingReportingOverflow(d.lost.total) == (d.nextIndex, false))
        #expect(o.gaps.allSatisfy { gap in
            !o.index.contains { $0 >= gap.firstMissingIndex && $0 - gap.firstMissingIndex < gap.count }
        })
        #expect(o.gaps.reduce(0) { $0 + $1.count } == d.lost.total)
    }

    @Test func repeatedAndLateFramesAreWrittenOnceAndReportedInTheSummaryAndTheEvents() throws {
        // 250 frames of 2 samples: every 7th sent twice, every 11th after the one that follows it.
        let o = try record("sim?channels=2&repeat_every=7&late_every=11", duration: 0.5)
        expectConsistent(o)
        let d = o.summary.devices[0]
        #expect(d.nextIndex == 500 && d.samplesExpected == 500)
        // 22 late frames: their 2 samples are a proven gap when the next frame arrives, and stay lost.
        #expect(d.lost[.transportGap] == 44)
        #expect(d.samplesReceived == 456)
        // 35 repeats and 22 late arrivals (frames 77, 154 and 231 are both, and arrive late twice).
        #expect(d.indexViolations.duplicateFrames == 57)
        #expect(d.indexViolations.duplicateSamples == 114)
        #expect(o.events.filter { $0.kind == "duplicate" }.count == 57)
        let json = String(decoding: try JSONEncoder().encode(o.summary), as: UTF8.self)
        #expect(json.contains("\"duplicateSamples\":114"))
    }

    @Test func aDeviceCountingFromNear2To64KeepsItsGoodSamplesAndEndsCleanly() throws {
        // 2^64 - 500: frame 250 would hold 2^64 - 1 and wrap; the 50 after it come from index 0 again.
        let o = try record("sim?channels=1&first_index=18446744073709551116&disconnect_after=300", duration: nil)
        expectConsistent(o)
        let d = o.summary.devices[0]
        #expect(o.index == Array(UInt64.max - 499 ..< UInt64.max - 1))
        #expect(d.nextIndex == UInt64.max - 1)
        #expect(d.lost[.transportGap] == UInt64.max - 499)
        #expect(d.indexViolations.overflowFrames == 1 && d.indexViolations.overflowSamples == 2)
        #expect(d.indexViolations.duplicateFrames == 50 && d.indexViolations.duplicateSamples == 100)
        #expect(o.events.filter { $0.kind == "index_overflow" }.count == 1)
        #expect(d.linkError != nil)
        #expect(o.summary.recordingError == nil)
    }
}
