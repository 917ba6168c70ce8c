import Device
import Foundation
import MWP
import MosquitoModel
import Signal
import Synchronization

/// One instrument held open, and the one owner of its stream: idle, streaming to subscribers, or recording
/// (subscribers still fed). Whatever the mode, frames go through one ``StreamIngest`` (the index rule, the loss
/// accounting) to the recorder, if one runs, and to ``outlets``, whose newest-wins subscribers (live views,
/// network outlets) come and go at any time and keep their subscription across mode changes.
///
/// Mode changes block on device I/O for up to the session's request timeout and are serialised by
/// `transitions`; ``status()`` never waits for them (it reads `state`, held only to copy a few fields).
///
/// One clock mapping for the session (``clock``, the outlets' own): pinged by a ``StreamingPinger`` while
/// streaming and by the ``AcquisitionRun`` while recording, which is handed the same ``ClockSync`` through the
/// outlets, so the mapping survives every mode change and subscribers can stamp host times in any mode.
public final class StreamHub: Sendable {
    public let uri: String
    public let session: DeviceSession
    public let identity: IdentityRecord
    public let calibrations: [CalibrationRecord?]
    public let outlets: StreamOutlets
    /// The device→host clock mapping for the whole session, whatever the mode.
    public var clock: ClockSync { outlets.clock }
    /// Written into every recording's header.
    public let softwareVersion: String
    public var id: String { identity.serial }

    public enum Mode: String, Sendable, Codable { case idle, streaming, recording }

    /// What a mode change is refused for.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The hub is in the wrong mode for the request.
        case conflict(String)
        /// The instrument did not do what it was asked.
        case unavailable(String)
        /// The request itself is wrong (a rate out of range, a file that cannot be created).
        case badRequest(String)

        public var description: String {
            switch self {
            case .conflict(let why), .unavailable(let why), .badRequest(let why): why
            }
        }
    }

    struct State: Sendable {
        var mode: Mode = .idle
        var rateHz: UInt32
        /// Whichever ingest the session streams into now: its counts are the live counters.
        var ingest: StreamIngest?
        var run: AcquisitionRun?
        var recordingPath: String?
        var resumeStreamingAfterRecording = false
        /// Pings while streaming without a recording.
        var pinger: StreamingPinger?
    }

    private let state: Mutex<State>
    /// Held across device I/O by mode changes only, never by readers of the status.
    private let transitions = Mutex<Void>(())

    public init(uri: String, session: DeviceSession, softwareVersion: String) throws(Refusal) {
        guard let identity = session.identity else { throw .unavailable("\(uri): instrument not identified") }
        self.uri = uri
        self.session = session
        self.identity = identity
        self.softwareVersion = softwareVersion
        calibrations = identity.channels.indices.map { try? session.readCalibration(channel: UInt8($0)) }
        outlets = StreamOutlets(channelCount: identity.channels.count)
        state = Mutex(State(rateHz: min(1000, identity.maxRateHz)))
    }

    public var allChannelsMask: UInt32 {
        identity.channels.count >= 32 ? .max : (UInt32(1) << UInt32(identity.channels.count)) - 1
    }

    /// The channel count every subscriber's frames carry (all channels are always streamed).
    public var channelCount: Int { identity.channels.count }

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
        /// Readers of network subscribers (LSL inlets), each with the samples it missed.
        public var networkReaders: [NetworkReader]
        public var linkError: String?
    }

    /// Never waits for a mode change or the device.
    public func status() -> Status {
        let s = state.withLock { $0 }
        let snap = s.ingest?.snapshot()
        return Status(
            mode: s.mode, rateHz: s.rateHz, samplesReceived: snap?.samplesReceived ?? 0, nextIndex: snap?.nextIndex ?? 0,
            gaps: snap?.gaps ?? 0, crcErrors: snap?.crcErrors ?? 0, samplesLost: snap?.loss.total ?? 0,
            samplesLostByCause: (snap?.loss ?? LossTotals()).byName,
            clockOffsetUncertaintyNs: clock.mapping?.clockOffsetUncertaintyNs,
            recording: s.recordingPath.map { ($0 as NSString).lastPathComponent }, liveClients: outlets.count,
            networkReaders: outlets.networkReaders, linkError: snap?.linkError ?? session.linkLost?.description)
    }

    public func startStreaming(rateHz requested: UInt32?) throws(Refusal) {
        try transitions.withLock { _ throws(Refusal) in try startStreamingLocked(rateHz: requested) }
    }

    private func startStreamingLocked(rateHz requested: UInt32?) throws(Refusal) {
        let current = state.withLock { $0 }
        guard current.mode == .idle else { throw .conflict("\(id) is already \(current.mode.rawValue)") }
        let rate = requested ?? current.rateHz
        try validate(rate: rate)
        // No recorder: the ingest's fan-out has no lossless ring, only the subscribers.
        let ingest = StreamIngest(channelMask: allChannelsMask, rateHz: rate, rings: [], endIndex: nil, outlets: outlets)
        do throws(DeviceError) {
            try session.configure(rateHz: rate, channelMask: allChannelsMask)
            try session.start(into: ingest)
        } catch {
            throw .unavailable("\(id): \(error.description)")
        }
        let pinger = StreamingPinger(clock: clock, session: session)
        state.withLock { s in
            s.ingest = ingest
            s.rateHz = rate
            s.mode = .streaming
            s.pinger = pinger
        }
    }

    /// Leaving streaming: the pinger stops (a recording's run pings from here on).
    private func enterIdle() {
        state.withLock { s in
            s.pinger?.stop()
            s.pinger = nil
            s.mode = .idle
        }
    }

    public func stopStreaming() throws(Refusal) {
        try transitions.withLock { _ throws(Refusal) in
            let mode = state.withLock { $0.mode }
            guard mode == .streaming else { throw .conflict("\(id) is not streaming (it is \(mode.rawValue))") }
            enterIdle()
            do throws(DeviceError) { try session.stop() } catch { throw .unavailable("\(id): \(error.description)") }
        }
    }

    /// Starts recording every channel to `path`; subscribers keep receiving the same frames.
    public func startRecording(path: String, rateHz requested: UInt32?, durationSeconds: Double?) throws(Refusal) {
        try transitions.withLock { _ throws(Refusal) in
            let current = state.withLock { $0 }
            guard current.mode != .recording else { throw .conflict("\(id) is already recording") }
            let rate = requested ?? current.rateHz
            try validate(rate: rate)
            let wasStreaming = current.mode == .streaming
            if wasStreaming {
                do throws(DeviceError) { try session.stop() } catch { throw .unavailable("\(id): \(error.description)") }
                enterIdle()
            }
            var plan = AcquisitionPlan(
                rateHz: rate, durationSeconds: durationSeconds, output: path,
                commandLine: ["mosquito", "serve", "--device", uri], softwareVersion: softwareVersion)
            plan.outlets = [uri: outlets]
            let run: AcquisitionRun
            do throws(AcquisitionError) {
                run = try AcquisitionRun(sessions: [(uri, session)], plan: plan)
                try run.start()
            } catch {
                throw .badRequest(error.description)
            }
            state.withLock { s in
                s.run = run
                s.ingest = run.streams[0].ingest
                s.rateHz = rate
                s.recordingPath = path
                s.resumeStreamingAfterRecording = wasStreaming
                s.mode = .recording
            }
        }
    }

    /// True while a recording runs and has reached its duration (or lost its instrument).
    public var recordingIsDone: Bool { state.withLock { $0.run }?.isDone ?? false }

    /// Ends the recording (the file is closed before this returns) and says what was written. Streaming
    /// resumes if it ran before the recording started.
    @discardableResult
    public func stopRecording() throws(Refusal) -> RunSummary {
        try transitions.withLock { _ throws(Refusal) -> RunSummary in
            let current = state.withLock { $0 }
            guard current.mode == .recording, let run = current.run else { throw .conflict("\(id) is not recording") }
            let summary = run.finish()
            state.withLock { s in
                s.run = nil
                s.ingest = nil
                s.recordingPath = nil
                s.mode = .idle
            }
            if current.resumeStreamingAfterRecording { try? startStreamingLocked(rateHz: nil) }
            return summary
        }
    }

    /// Graceful shutdown: close any recording cleanly, stop the device, close the link.
    public func shutdown() {
        if state.withLock({ $0.mode }) == .recording { _ = try? stopRecording() }
        transitions.withLock { _ in
            if state.withLock({ $0.mode }) == .streaming { try? session.stop() }
            enterIdle()
        }
        session.close()
    }

    private func validate(rate: UInt32) throws(Refusal) {
        guard rate > 0, rate <= identity.maxRateHz else {
            throw .badRequest("rate must be 1…\(identity.maxRateHz) Hz for \(id)")
        }
    }
}
