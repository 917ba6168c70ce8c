import Acquisition
import Device
import Foundation
import Recording
import Signal
import Simulator
import Testing

/// Newest-wins subscribers of a device's stream: they get exactly the indices the recording holds, come and go
/// while it runs, and each counts its own losses.
@Suite(.serialized) struct StreamOutletsTests {
    /// Every frame a subscription's ring holds, oldest first.
    static func indices(of subscription: StreamSubscription) -> [UInt64] {
        var out: [UInt64] = []
        subscription.ring.read { spans in
            spans.forEach { span in for k in 0..<span.count { out.append(span.indices[k]) } }
            return spans.count
        }
        return out
    }

    /// Records `uri` at 1 kHz with one subscriber large enough to hold the whole run; returns the file's
    /// indices, the subscriber's and the summary.
    static func recordWithSubscriber(
        _ uri: String, duration: Double, follow: Bool
    ) throws -> (file: [UInt64], live: [UInt64], summary: RunSummary, dropped: UInt64) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outlets-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try DeviceOpener.simulated.openSession(uri)
        defer { session.close() }
        let outlets = StreamOutlets(channelCount: session.identity!.channels.count)
        let subscription = outlets.subscribe(capacity: 1 << 14)
        var plan = AcquisitionPlan(rateHz: 1000, durationSeconds: duration, output: path, softwareVersion: "test", follow: follow)
        plan.outlets = [uri: outlets]
        let run = try AcquisitionRun(
            sessions: [(uri, session)], plan: plan, reopen: { uri, _ in try? DeviceOpener.simulated.openSession(uri) })
        try run.start()
        // The run ends on its own; the deadline only keeps a broken build from hanging the suite.
        let deadline = Date(timeIntervalSinceNow: 60)
        while !run.isDone && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let summary = run.finish()
        let reader = try HDF5RecordingReader(path: path)
        let rows = try reader.readSamples(device: 0, rows: 0 ..< (try reader.sampleCount(device: 0)))
        return (rows.index, indices(of: subscription), summary, subscription.droppedFrames)
    }

    @Test func aSubscriberGetsTheRecordedIndicesOfADeviceThatRepeatsAndReorders() throws {
        let o = try Self.recordWithSubscriber("sim?channels=2&repeat_every=7&late_every=11", duration: 0.5, follow: false)
        #expect(o.summary.devices[0].indexViolations.duplicateFrames > 0)
        #expect(o.file.count == 456)
        #expect(o.live == o.file)
        #expect(o.dropped == 0)
    }

    @Test func liveIndicesEqualRecordedIndicesAcrossAReconnect() throws {
        let o = try Self.recordWithSubscriber("sim?channels=1&disconnect_after=150", duration: 1.5, follow: true)
        let d = o.summary.devices[0]
        #expect(d.reconnects >= 1)
        // After a reconnect the device counts from 0 again; host indices go on past the outage.
        #expect((o.file.last ?? 0) > 300)
        #expect(zip(o.file, o.file.dropFirst()).allSatisfy { $0 < $1 })
        #expect(o.live == o.file)
    }

    @Test func subscribersComeAndGoMidStreamAndCountTheirOwnDrops() throws {
        let outlets = StreamOutlets(channelCount: 2)
        let h = IngestHarness(channels: 2, outlets: outlets)
        let early = outlets.subscribe(capacity: 16)
        for first in stride(from: UInt64(0), to: 40, by: 4) { try h.send(first, 4) }
        let late = outlets.subscribe(capacity: 1024)
        #expect(outlets.count == 2)
        for first in stride(from: UInt64(40), to: 80, by: 4) { try h.send(first, 4) }
        try h.send(40, 4)  // a repeated frame: delivered to nobody
        outlets.unsubscribe(early)
        #expect(outlets.count == 1)
        for first in stride(from: UInt64(80), to: 120, by: 4) { try h.send(first, 4) }
        // The early subscriber never read: it holds the newest 16 of the 80 it was sent, and counts 64 lost.
        #expect(Self.indices(of: early) == Array(64..<80))
        #expect(early.droppedFrames == 64)
        // The late one saw the stream from when it joined, each index once, and lost nothing.
        #expect(Self.indices(of: late) == Array(40..<120))
        #expect(late.droppedFrames == 0)
        // The recorder's lossless ring got everything, once.
        #expect(h.indices == Array(0..<120))
    }
}
