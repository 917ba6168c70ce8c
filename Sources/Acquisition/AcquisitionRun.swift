import Device
import Foundation
import MWP
import Recording
import Signal
import Synchronization

/// What to acquire and where to put it.
public struct AcquisitionPlan: Sendable {
    public var rateHz: UInt32
    /// Device channel numbers; nil records them all.
    public var channels: [Int]?
    public var pipeline: PipelineSpec
    /// nil runs until `requestStop()`.
    public var durationSeconds: Double?
    public var output: String
    public var options: RecordingOptions
    public var commandLine: [String]
    public var softwareVersion: String
    /// How far, in seconds of data, the recorder may fall behind before the instrument is held back
    /// (back-pressure) and then, past that, samples are counted lost.
    public var bufferSeconds: Double
    /// Ring capacity in frames per device (a power of two) that `bufferSeconds` asks for at this rate.
    public var ringCapacity: Int { RingSizing.capacity(rateHz: rateHz, seconds: bufferSeconds) }
    /// Newest-wins subscribers per device URI: they get the frames the recorder gets, with the same indices.
    public var outlets: [String: StreamOutlets] = [:]
    /// The certificate behind a calibration a device holds (serial, record), written into the recording so
    /// every value can be traced to the calibration that made it.
    public var certificateLookup: @Sendable (String, DeviceCalibration) -> String?
    /// Keep recording through outages: reopen the same URI until the same instrument answers again.
    public var follow: Bool
    /// Start recording where one channel meets a condition (one device only).
    public var trigger: TriggerSpec?

    public init(
        rateHz: UInt32, channels: [Int]? = nil, pipeline: PipelineSpec = PipelineSpec(), durationSeconds: Double?,
        output: String, options: RecordingOptions = RecordingOptions(), commandLine: [String] = CommandLine.arguments,
        softwareVersion: String, bufferSeconds: Double = RingSizing.defaultSeconds,
        certificateLookup: @escaping @Sendable (String, DeviceCalibration) -> String? = { _, _ in nil },
        follow: Bool = false, trigger: TriggerSpec? = nil
    ) {
        self.trigger = trigger
        self.follow = follow
        self.certificateLookup = certificateLookup
        self.rateHz = rateHz
        self.channels = channels
        self.pipeline = pipeline
        self.durationSeconds = durationSeconds
        self.output = output
        self.options = options
        self.commandLine = commandLine
        self.softwareVersion = softwareVersion
        self.bufferSeconds = bufferSeconds
    }
}

/// One recording run over one or more identified devices: configure, start, stream through the pipeline into
/// the recording, stop, and account for every sample.
/// Unchecked: `pinger` is written once by `start()`, before the run's threads exist; the rest is immutable or locked.
public final class AcquisitionRun: @unchecked Sendable {
    public let plan: AcquisitionPlan
    public let streams: [DeviceStream]
    private let sink: any RecordingSink
    private let recorder: RecorderLoop
    private let startedNs = MonotonicClock.nowNs()
    private let stopFlag = Atomic<Bool>(false)
    private var pinger: Thread?
    /// Opens a URI again when following an instrument (URI, serial) through an outage. It may wait a while for
    /// the instrument's arrival (USB hotplug); the supervisor calls it again as long as the outage lasts.
    private let reopen: @Sendable (String, String) -> DeviceSession?

    /// Configures every device and creates the output. A refusal or a bad request throws before any file
    /// exists; a file that cannot be created leaves nothing behind.
    public init(
        sessions: [(uri: String, session: DeviceSession)], plan: AcquisitionPlan,
        reopen: @escaping @Sendable (String, String) -> DeviceSession? = { _, _ in nil }
    ) throws(AcquisitionError) {
        self.reopen = reopen
        guard !sessions.isEmpty else { throw .badRequest("no device to record from") }
        if RecordingFormat(path: plan.output) == .csv && sessions.count > 1 {
            throw .badRequest("a CSV file holds one device; record several devices to .h5")
        }
        if plan.trigger != nil && sessions.count > 1 {
            throw .badRequest("a trigger starts the recording of one device; record one device")
        }
        self.plan = plan
        var streams: [DeviceStream] = []
        for (uri, session) in sessions {
            streams.append(
                try DeviceStream(
                    uri: uri, session: session, rateHz: plan.rateHz, channels: plan.channels, spec: plan.pipeline,
                    durationSeconds: plan.durationSeconds, ringCapacity: plan.ringCapacity, follow: plan.follow,
                    outlets: plan.outlets[uri], trigger: plan.trigger))
        }
        self.streams = streams
        let header = RecordingHeader(
            softwareVersion: plan.softwareVersion, host: ProcessInfo.processInfo.hostName, startTime: Date(),
            commandLine: plan.commandLine,
            devices: streams.map { RecordingAdapter.device($0, certificate: plan.certificateLookup) })
        do throws(RecordingError) {
            sink = try openRecordingSink(path: plan.output, header: header, options: plan.options)
        } catch {
            throw .recording(error.description)
        }
        let utcMinusMono = UTCClock.nowNs() - Int64(MonotonicClock.nowNs())
        recorder = RecorderLoop(streams: streams, sink: sink, utcMinusMonotonicNs: utcMinusMono)
    }

    /// Maps the clocks, then starts every device and the recorder.
    public func start() throws(AcquisitionError) {
        for s in streams {
            s.clock.startKeepingExchanges()
            s.clock.burst(s.session, count: 8)
        }
        recorder.start()
        for s in streams {
            do throws(DeviceError) { try s.session.start(into: s.ingest) } catch {
                stopDevices()
                recorder.stop()
                recorder.wait()
                for s in streams { s.clock.stopKeepingExchanges() }
                try? sink.close(stopTime: Date())
                throw .device(s.uri, error.description)
            }
        }
        let thread = Thread { [self] in supervise() }
        thread.name = "mosquito-clock"
        thread.start()
        pinger = thread
    }

    /// Ends the run early (Ctrl-C); what was received is written.
    public func requestStop() { stopFlag.store(true, ordering: .releasing) }

    public var isDone: Bool {
        stopFlag.load(ordering: .acquiring) || streams.allSatisfy { $0.ingest.isFinished } || recorder.failure != nil
    }

    public func status() -> RunStatus {
        let elapsed = Double(MonotonicClock.nowNs() - startedNs) / 1e9
        let written = recorder.written
        let overrun = recorder.hostOverrun
        let unwritten = recorder.writeFailed
        let snaps = streams.map { $0.ingest.snapshot() }
        let accounts = snaps.indices.map { DeviceAccount(snaps[$0], hostOverrun: overrun[$0], writeFailed: unwritten[$0]) }
        // Summed across devices, each of which may count up to 2^64 - 1: saturating, never trapping.
        return RunStatus(
            elapsedSeconds: elapsed,
            samplesReceived: accounts.reduce(0) { $0.addingSaturating($1.received) },
            samplesWritten: written.reduce(0) { $0.addingSaturating($1) },
            samplesLost: accounts.reduce(0) { $0.addingSaturating($1.loss.total) },
            crcErrors: snaps.reduce(0) { $0.addingSaturating($1.crcErrors) },
            gaps: snaps.reduce(0) { $0.addingSaturating($1.gaps) })
    }

    /// Stops the devices, writes what is left, closes the file, and says exactly what happened.
    public func finish() -> RunSummary {
        stopFlag.store(true, ordering: .releasing)
        stopDevices()
        recorder.stop()
        recorder.wait()
        // The recorder took the last exchanges; a hub that goes on streaming keeps only the mapping.
        for s in streams { s.clock.stopKeepingExchanges() }
        var closeError: String?
        do throws(RecordingError) { try sink.close(stopTime: Date()) } catch { closeError = error.description }
        // Written is what the file holds now that it is closed (or went back to its last flush), not what was
        // handed to it.
        recorder.settle()
        let elapsed = Double(MonotonicClock.nowNs() - startedNs) / 1e9
        let written = recorder.written
        let overrun = recorder.hostOverrun
        let unwritten = recorder.writeFailed
        let devices = streams.enumerated().map { d, s in
            let snap = s.ingest.snapshot()
            let account = DeviceAccount(snap, hostOverrun: overrun[d], writeFailed: unwritten[d])
            return DeviceSummary(
                uri: s.uri, serial: s.identity.serial, rateHz: s.rateHz, outputRateHz: s.pipeline.outputRate,
                channels: s.channels.map { s.identity.channels[$0].name }, samplesExpected: s.ingest.endIndex,
                nextIndex: snap.nextIndex, samplesReceived: account.received, samplesWritten: written[d],
                framesReceived: snap.framesReceived, crcErrors: snap.crcErrors, malformedFrames: snap.malformedFrames,
                lost: account.loss, indexViolations: snap.violations,
                clockOffsetUncertaintyNs: s.clock.mapping?.clockOffsetUncertaintyNs, clockDriftPPM: s.clock.mapping?.driftPPM,
                linkError: snap.linkError ?? s.ingest.outageSinceNs.map { _ in "instrument still away when the run ended" },
                reconnects: snap.reconnects, triggeredAtIndex: snap.triggeredAt, bufferFrames: s.ring.capacity,
                bufferHighWaterFrames: s.ring.highWaterFrameCount)
        }
        return RunSummary(
            output: plan.output, elapsedSeconds: elapsed, devices: devices,
            recordingError: recorder.failure?.description ?? closeError)
    }

    /// A device that does not confirm STOP is said so in its file's events (it may still be sending).
    private func stopDevices() {
        for s in streams where s.session.linkLost == nil {
            do throws(DeviceError) { try s.session.stop() } catch { s.ingest.stopFailed(error.description) }
        }
    }

    /// Keeps clocks mapped and, when following, brings instruments back after an outage.
    private func supervise() {
        var lastPing = MonotonicClock.nowNs()
        var lastAttempt: UInt64 = 0
        while !isDone {
            usleep(50_000)
            let now = MonotonicClock.nowNs()
            if plan.follow, now - lastAttempt >= 250_000_000 {
                lastAttempt = now
                for s in streams { if let since = s.ingest.outageSinceNs { follow(s, outageSince: since) } }
            }
            // A round of pings every two seconds follows drift without loading the link.
            if now - lastPing >= 2_000_000_000 {
                lastPing = now
                for s in streams where s.session.linkLost == nil { s.clock.burst(s.session, count: 8) }
            }
        }
    }

    private func follow(_ s: DeviceStream, outageSince: UInt64) {
        let outage = MonotonicClock.nowNs() - outageSince
        if let end = s.ingest.endIndex,
            s.ingest.snapshot().nextIndex.addingSaturating(UInt64(Double(outage) * Double(s.rateHz) / 1e9)) >= end {
            s.ingest.endWhileAway(outageNs: outage)
            return
        }
        guard let session = reopen(s.uri, s.identity.serial) else { return }
        // The run may have ended while the reopen waited.
        if isDone {
            session.close()
            return
        }
        do throws(AcquisitionError) {
            try s.adopt(session)
        } catch {
            session.close()
            return
        }
        s.clock.reset()
        s.clock.burst(session, count: 8)
        s.ingest.reattach(
            outageNs: MonotonicClock.nowNs() - outageSince,
            detail: "\(s.identity.serial) back after \(String(format: "%.2f", Double(MonotonicClock.nowNs() - outageSince) / 1e9)) s")
        do throws(DeviceError) { try session.start(into: s.ingest) } catch {
            // Gone again at once: the next attempt starts a new outage.
            s.ingest.linkLost(.other(error.description))
        }
    }
}

/// The live status line's numbers.
public struct RunStatus: Sendable {
    public var elapsedSeconds: Double
    public var samplesReceived: UInt64
    public var samplesWritten: UInt64
    public var samplesLost: UInt64
    public var crcErrors: UInt64
    public var gaps: UInt64
}
