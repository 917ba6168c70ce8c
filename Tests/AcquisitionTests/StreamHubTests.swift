import Acquisition
import Device
import Dispatch
import Foundation
import MWP
import Simulator
import Testing

/// The hub's mode machine and the reader thread's request/reply, in process over the simulator.
@Suite(.serialized) struct StreamHubTests {
    /// Holds the reader thread in its first `samples` call until released, as a recorder that is behind does.
    final class HeldConsumer: StreamConsumer, @unchecked Sendable {
        // Unchecked: `first` is touched by the session's reader thread only; the semaphores are thread-safe.
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        private var first = true
        func samples(_ view: SamplesView) {
            guard first else { return }
            first = false
            entered.signal()
            release.wait()
        }
        func status(_ status: DeviceStatus) {}
        func log(level: UInt8, text: String) {}
        func frameError(_ error: FrameError) {}
        func linkLost(_ error: TransportError) {}
    }

    final class Outcome: @unchecked Sendable {
        // Unchecked: written by the pinging thread before `done` is signalled, read after.
        var result: Result<PingRoundTrip, DeviceError>?
        let done = DispatchSemaphore(value: 0)
    }

    @Test func aReplyArrivingWhileTheReaderIsHeldUpByBackPressureDoesNotTimeOut() throws {
        let session = try DeviceOpener.simulated.openSession("sim?channels=1", requestTimeoutMs: 200)
        defer { session.close() }
        try session.configure(rateHz: 1000, channelMask: 1)
        let held = HeldConsumer()
        try session.start(into: held)
        held.entered.wait()
        let outcome = Outcome()
        Thread.detachNewThread {
            outcome.result = Result { () throws(DeviceError) in try session.ping() }
            outcome.done.signal()
        }
        // Held for three request timeouts: before, the PONG sat unread and the ping failed after 200 ms.
        // A slower machine only holds it longer.
        Thread.sleep(forTimeInterval: 0.6)
        held.release.signal()
        outcome.done.wait()
        if case .failure(let error) = outcome.result { Issue.record("ping failed: \(error)") }
        #expect(throws: Never.self) { try session.stop() }
    }

    @Test func modesChangeWhileSubscribersStayAndConflictsAreRefused() throws {
        let uri = "sim?channels=2&serial=MQ-HUB-1"
        let hub = try StreamHub(uri: uri, session: try DeviceOpener.simulated.openSession(uri), softwareVersion: "test")
        defer { hub.shutdown() }
        let subscription = hub.outlets.subscribe(capacity: 1 << 12)
        #expect(hub.status().mode == .idle && hub.status().liveClients == 1)
        #expect(throws: StreamHub.Refusal.conflict("MQ-HUB-1 is not streaming (it is idle)")) { try hub.stopStreaming() }
        try hub.startStreaming(rateHz: 1000)
        #expect(throws: StreamHub.Refusal.self) { try hub.startStreaming(rateHz: 1000) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hub-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try hub.startRecording(path: path, rateHz: 1000, durationSeconds: 0.2)
        #expect(hub.status().mode == .recording)
        #expect(throws: StreamHub.Refusal.conflict("MQ-HUB-1 is already recording")) {
            try hub.startRecording(path: path, rateHz: 1000, durationSeconds: 0.2)
        }
        // The recording ends on its own; the deadline only keeps a broken build from hanging the suite.
        let deadline = Date(timeIntervalSinceNow: 60)
        while !hub.recordingIsDone && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let summary = try hub.stopRecording()
        #expect(summary.devices[0].samplesWritten == 200)
        #expect(hub.status().mode == .streaming, "streaming resumes after a recording that interrupted it")
        // The subscription outlived both mode changes and was fed by the recording.
        #expect(subscription.ring.consumerAvailableCount() >= 200)
        #expect(hub.status().liveClients == 1)
    }

    /// Polls the status (an event: the burst's last PONG); the deadline only keeps a broken build from hanging.
    func waitForClock(_ hub: StreamHub) -> Double? {
        let deadline = Date(timeIntervalSinceNow: 60)
        while hub.status().clockOffsetUncertaintyNs == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return hub.status().clockOffsetUncertaintyNs
    }

    @Test func aStreamingHubMapsTheClockAndKeepsOneMappingAcrossARecording() throws {
        let uri = "sim?channels=2&serial=MQ-HUB-CLOCK"
        let hub = try StreamHub(uri: uri, session: try DeviceOpener.simulated.openSession(uri), softwareVersion: "test")
        defer { hub.shutdown() }
        #expect(hub.status().clockOffsetUncertaintyNs == nil, "idle and never pinged: nothing measured")
        try hub.startStreaming(rateHz: 1000)
        // Before, only a recording pinged: a streaming hub said nil forever and this waited out its deadline.
        let streaming = try #require(waitForClock(hub), "no clock mapping while streaming")
        #expect(streaming.isFinite && streaming >= 0)
        // Subscribers read the same mapping the status reports.
        #expect(hub.clock.mapping != nil && hub.outlets.clock === hub.clock)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hub-clock-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try hub.startRecording(path: path, rateHz: 1000, durationSeconds: 0.2)
        #expect(hub.status().clockOffsetUncertaintyNs != nil, "recording keeps the session's mapping")
        let deadline = Date(timeIntervalSinceNow: 60)
        while !hub.recordingIsDone && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let summary = try hub.stopRecording()
        #expect(summary.devices[0].clockOffsetUncertaintyNs != nil, "the run used the hub's clock")
        #expect(hub.status().mode == .streaming)
        #expect(hub.status().clockOffsetUncertaintyNs != nil, "streaming again: the mapping did not go back to unknown")
        try hub.stopStreaming()
        #expect(hub.status().clockOffsetUncertaintyNs != nil, "idle: the last mapping is still the session's")
    }

    @Test func aClockKeepsExchangesOnlyWhileARecordingTakesThem() throws {
        let session = try DeviceOpener.simulated.openSession("sim?channels=1")
        defer { session.close() }
        let clock = ClockSync()
        clock.burst(session, count: 3)
        #expect(clock.mapping != nil)
        #expect(clock.takeExchanges().isEmpty, "streaming without a recording: nothing piles up")
        clock.startKeepingExchanges()
        clock.burst(session, count: 3)
        #expect(clock.takeExchanges().count == 3)
        clock.stopKeepingExchanges()
        clock.ping(session)
        #expect(clock.takeExchanges().isEmpty)
    }
}
