import Acquisition
import Device
import Foundation
import MWP
import Signal

/// One instrument the server holds open: idle, streaming to live views, or recording (live views still fed).
/// Device calls block for at most the session's request timeout; they are serialised by `lock`.
public final class LiveDevice: @unchecked Sendable {
    public let uri: String
    public let session: DeviceSession
    public let identity: IdentityRecord
    public let calibrations: [CalibrationRecord?]
    public let subscribers = LiveSubscribers()
    public var id: String { identity.serial }

    public enum Mode: String, Sendable, Codable { case idle, streaming, recording }

    private let lock = NSLock()
    private var mode: Mode = .idle
    private var rateHz: UInt32
    /// Whichever ingest the session streams into now: its counts are the live counters.
    private var counters: StreamIngest?
    private var run: AcquisitionRun?
    private var recordingPath: String?
    private var resumeStreamingAfterRecording = false

    public init(uri: String, session: DeviceSession) throws(WebError) {
        guard let identity = session.identity else { throw .unavailable("\(uri): instrument not identified") }
        self.uri = uri
        self.session = session
        self.identity = identity
        calibrations = identity.channels.indices.map { try? session.readCalibration(channel: UInt8($0)) }
        rateHz = min(1000, identity.maxRateHz)
    }

    public var allChannelsMask: UInt32 {
        identity.channels.count >= 32 ? .max : (UInt32(1) << UInt32(identity.channels.count)) - 1
    }

    public struct Status: Sendable, Codable, Equatable {
        public var mode: Mode
        public var rateHz: UInt32
        public var samplesReceived: UInt64
        public var nextIndex: UInt64
        public var gaps: UInt64
        public var crcErrors: UInt64
        public var samplesLost: UInt64
        /// `samplesLost` by cause, named as a recording's gaps table names them (`transport_gap`, `crc_error`, …).
        public var samplesLostByCause: [String: UInt64]
        public var clockOffsetUncertaintyNs: Double?
        public var recording: String?
        public var liveClients: Int
        public var linkError: String?
    }

    public func status() -> Status {
        lock.withLock {
            let snap = counters?.snapshot()
            return Status(
                mode: mode, rateHz: rateHz, samplesReceived: snap?.samplesReceived ?? 0, nextIndex: snap?.nextIndex ?? 0,
                gaps: snap?.gaps ?? 0, crcErrors: snap?.crcErrors ?? 0, samplesLost: snap?.loss.total ?? 0,
                samplesLostByCause: [
                    "transport_gap": snap?.loss.transportGap ?? 0, "crc_error": snap?.loss.crcError ?? 0,
                    "device_overrun": snap?.loss.deviceOverrun ?? 0, "host_overrun": snap?.loss.hostOverrun ?? 0,
                ],
                clockOffsetUncertaintyNs: run?.streams.first?.clock.mapping?.uncertaintyNanos,
                recording: recordingPath.map { ($0 as NSString).lastPathComponent }, liveClients: subscribers.count,
                linkError: snap?.linkError ?? session.linkLost?.description)
        }
    }

    /// The channel count every live frame carries (all channels are always streamed).
    public var channelCount: Int { identity.channels.count }

    public func startStreaming(rateHz requested: UInt32?) throws(WebError) {
        lock.lock()
        defer { lock.unlock() }
        do {
            guard mode == .idle else { throw .conflict("\(id) is already \(mode.rawValue)") }
            let rate = requested ?? rateHz
            try validate(rate: rate)
            do throws(DeviceError) {
                try session.configure(rateHz: rate, channelMask: allChannelsMask)
                // The ingest keeps the loss accounting; its fan-out needs one ring, which nothing reads (keep-newest,
                // so it never pushes back). Live views get their frames from the tap.
                let idle = FrameRing(capacity: 256, channelCount: channelCount, policy: .keepNewest)
                let ingest = StreamIngest(channelMask: allChannelsMask, rateHz: rate, rings: [idle], endIndex: nil)
                let tap = LiveTap(ingest: ingest, subscribers: subscribers)
                try session.start(into: tap)
                counters = ingest
            } catch {
                throw .unavailable("\(id): \(error.description)")
            }
            rateHz = rate
            mode = .streaming
        }
    }

    public func stopStreaming() throws(WebError) {
        lock.lock()
        defer { lock.unlock() }
        do {
            guard mode == .streaming else { throw .conflict("\(id) is not streaming (it is \(mode.rawValue))") }
            mode = .idle
            do throws(DeviceError) { try session.stop() } catch { throw .unavailable("\(id): \(error.description)") }
        }
    }

    /// Starts recording every channel to `path`; live views keep receiving the same frames.
    public func startRecording(path: String, rateHz requested: UInt32?, durationSeconds: Double?) throws(WebError) {
        lock.lock()
        defer { lock.unlock() }
        do {
            guard mode != .recording else { throw .conflict("\(id) is already recording") }
            let rate = requested ?? rateHz
            try validate(rate: rate)
            let wasStreaming = mode == .streaming
            if wasStreaming {
                do throws(DeviceError) { try session.stop() } catch { throw .unavailable("\(id): \(error.description)") }
                mode = .idle
            }
            let subscribers = self.subscribers
            var plan = AcquisitionPlan(
                rateHz: rate, durationSeconds: durationSeconds, output: path,
                commandLine: ["mosquito", "serve", "--device", uri], softwareVersion: WebServer.softwareVersion)
            plan.tap = { stream in LiveTap(ingest: stream.ingest, subscribers: subscribers) }
            do throws(AcquisitionError) {
                let run = try AcquisitionRun(sessions: [(uri, session)], plan: plan)
                try run.start()
                self.run = run
                counters = run.streams[0].ingest
            } catch {
                throw .badRequest(error.description)
            }
            rateHz = rate
            recordingPath = path
            resumeStreamingAfterRecording = wasStreaming
            mode = .recording
        }
    }

    /// True while a recording runs and has not reached its duration.
    public var recordingIsDone: Bool { lock.withLock { run?.isDone ?? false } }

    /// Ends the recording (the file is closed before this returns) and says what was written.
    @discardableResult
    public func stopRecording() throws(WebError) -> RunSummary {
        lock.lock()
        guard mode == .recording, let run else {
            lock.unlock()
            throw .conflict("\(id) is not recording")
        }
        let summary = run.finish()
        self.run = nil
        counters = nil
        recordingPath = nil
        mode = .idle
        let resume = resumeStreamingAfterRecording
        lock.unlock()
        if resume { try? startStreaming(rateHz: nil) }
        return summary
    }

    /// Graceful shutdown: close any recording cleanly, stop the device, close the link.
    public func shutdown() {
        if (lock.withLock { mode }) == .recording { _ = try? stopRecording() }
        lock.withLock {
            if mode == .streaming { try? session.stop() }
            mode = .idle
        }
        session.close()
    }

    private func validate(rate: UInt32) throws(WebError) {
        guard rate > 0, rate <= identity.maxRateHz else {
            throw .badRequest("rate must be 1…\(identity.maxRateHz) Hz for \(id)")
        }
    }
}
