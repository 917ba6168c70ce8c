import Acquisition
import ArgumentParser
import Calibration
import Device
import Foundation
import LSL
import LSLBridge
import Signal
import Synchronization

/// `--lsl` and its companions, shared by `record`, `stream` and `serve`: each device becomes an LSL stream (and a
/// Markers stream) through an ``LSLDevicePublisher``, one more newest-wins subscriber of its stream.
struct LSLOptions: ParsableArguments {
    @Flag(name: .customLong("lsl"), help: "Publish each device on the Lab Streaming Layer: its values, and a Markers stream.")
    var enabled = false
    @Option(name: .customLong("lsl-name"), help: "LSL stream name (default: Mosquito SERIAL; with several devices the serial is appended).")
    var name: String?
    @Option(name: .customLong("lsl-type"), help: "LSL stream type (default: the channels' kind, e.g. voltage; mixed kinds: mixed).")
    var type: String?
    @Option(name: .customLong("lsl-format"), help: "LSL value format: float32 or double64.")
    var format = "float32"
    @Flag(name: .customLong("lsl-raw"), help: "Also publish the raw ADC counts as a second, int32 LSL stream.")
    var raw = false
    @Option(name: .customLong("lsl-wait-inlet"), help: """
        Before the devices start, wait up to this many seconds for an inlet (LabRecorder, a script) on every \
        device's stream, so it gets the run from its first sample.
        """)
    var waitInlet: Double?
    @Option(name: .customLong("lsl-markers"), help: """
        record: also record the LSL stream matching this predicate (e.g. "name='PsychoPy'") into the recording's \
        events, at its stamps on this host's clock.
        """)
    var markers: String?

    func validate() throws {
        guard ["float32", "double64"].contains(format) else { throw ValidationError("--lsl-format must be float32 or double64") }
        if !enabled && (name != nil || type != nil || raw || format != "float32" || waitInlet != nil) {
            throw ValidationError("--lsl-name, --lsl-type, --lsl-format, --lsl-raw and --lsl-wait-inlet need --lsl")
        }
        if let w = waitInlet, !(w > 0 && w <= 86_400) { throw ValidationError("--lsl-wait-inlet must be between 0 and 86400 seconds") }
        if name?.isEmpty == true { throw ValidationError("--lsl-name must not be empty") }
        if markers?.trimmingCharacters(in: .whitespaces).isEmpty == true { throw ValidationError("--lsl-markers needs a predicate, e.g. \"name='PsychoPy'\"") }
    }

    /// `record`: before the run exists, a subscriber list per device for the publishers (the run feeds it).
    func prepare(_ plan: inout AcquisitionPlan, sessions: [(uri: String, session: DeviceSession)]) {
        guard enabled else { return }
        for (uri, session) in sessions where plan.outlets[uri] == nil {
            plan.outlets[uri] = StreamOutlets(channelCount: plan.channels?.count ?? session.identity?.channels.count ?? 1)
        }
    }

    /// `record`: publishes every device of `run` (created, not started) and says the recording starts. A failure
    /// finishes the run and removes its file, so nothing half-made is left.
    func attach(_ run: AcquisitionRun) throws -> LSLPublishing? {
        guard enabled || markers != nil else { return nil }
        let plan = run.plan
        let settings: LSLPublishSettings
        do { settings = try self.settings() } catch {
            Self.abandon(run)
            throw error
        }
        let sources = run.streams.compactMap { s in
            plan.outlets[s.uri].map { outlets in
                LSLDeviceSource(
                    stream: s, outlets: outlets, pipeline: plan.pipeline, softwareVersion: plan.softwareVersion,
                    certificateIDs: s.calibrations.map { plan.certificateLookup(s.identity.serial, $0) })
            }
        }
        let wait = waitInlet
        // Ctrl-C while waiting for an inlet ends the command before anything is recorded.
        let interrupted = WaitInterrupted()
        let watch = wait.map { _ in InterruptWatch { interrupted.flag.store(true, ordering: .releasing) } }
        let opened = Blocking.await {
            let result = await LSLPublishing.open(enabled ? sources : [], settings: settings)
            if case .success(let p) = result, let wait { await p.waitForInlets(upTo: wait, unless: interrupted) }
            return result
        }
        watch?.cancel()
        if interrupted.flag.load(ordering: .acquiring), case .success(let publishing) = opened {
            Blocking.await { await publishing.finish() }
            Self.abandon(run)
            throw CLIError("interrupted while waiting for an LSL inlet; nothing recorded")
        }
        switch opened {
        case .success(let publishing):
            publishing.mark(LSLMarker("recording_start", [("file", .text(plan.output))]))
            if let markers, let ingest = run.streams.first?.ingest {
                let inlet = LSLMarkerInlet(
                    predicate: markers, config: settings.config, say: { Console.error("lsl: \($0)") },
                    sink: { kind, detail, ns in ingest.note(kind: kind, detail: detail, hostMonotonicNs: ns) })
                publishing.markerInlet = inlet
                inlet.start()
            }
            return publishing
        case .failure(let error):
            Self.abandon(run)
            throw CLIError(error.description)
        }
    }

    /// A run that will not go ahead leaves no file. It can only be closed once started (its recorder thread is
    /// what finishing waits for): start and finish it at once, then remove what it made.
    private static func abandon(_ run: AcquisitionRun) {
        try? run.start()
        _ = run.finish()
        try? FileManager.default.removeItem(atPath: run.plan.output)
    }

    /// `serve` and `stream`: publishes every hub's device (streaming at `rateHz`, or at the rate it streams now).
    func attach(_ hubs: [StreamHub], rateHz: UInt32? = nil, pipeline: PipelineSpec = PipelineSpec()) async throws -> LSLPublishing? {
        // Markers go into a recording's events: only `record` has one for the whole run.
        if markers != nil { throw CLIError("--lsl-markers records into a file: use it with `mosquito record`") }
        guard enabled else { return nil }
        let settings = try settings()
        let sources = hubs.map { LSLDeviceSource(hub: $0, rateHz: rateHz, pipeline: pipeline) }
        switch await LSLPublishing.open(sources, settings: settings) {
        case .success(let publishing):
            if let waitInlet { await publishing.waitForInlets(upTo: waitInlet, unless: WaitInterrupted()) }
            return publishing
        case .failure(let error): throw CLIError(error.description)
        }
    }

    private func settings() throws -> LSLPublishSettings {
        let config: LSLConfig
        do throws(LSLConfigError) { config = try LSLConfig.load() } catch { throw CLIError(error.description) }
        return LSLPublishSettings(
            name: name, type: type, format: format == "double64" ? .double64 : .float32, raw: raw, config: config)
    }
}

/// The publishers of one command, opened and finished together, and `record`'s markers inlet.
final class LSLPublishing: @unchecked Sendable {
    // Invariant for @unchecked: `markerInlet` is set once, by the command's thread, before anything else reads it.
    let publishers: [LSLDevicePublisher]
    var markerInlet: LSLMarkerInlet?

    private init(_ publishers: [LSLDevicePublisher]) { self.publishers = publishers }

    static func open(_ sources: [LSLDeviceSource], settings: LSLPublishSettings) async -> Result<LSLPublishing, LSLPublishError> {
        var publishers: [LSLDevicePublisher] = []
        for source in sources {
            do throws(LSLPublishError) {
                publishers.append(try await LSLDevicePublisher.open(source, settings: settings, devices: sources.count))
            } catch {
                for p in publishers { await p.finish() }
                return .failure(error)
            }
        }
        for p in publishers {
            FileHandle.standardError.write(Data(
                "lsl: publishing \"\(p.values.info.name)\" (source_id \(p.values.info.sourceID), port \(p.values.info.v4DataPort)) and \"\(p.markers.info.name)\"\n".utf8))
        }
        return .success(LSLPublishing(publishers))
    }

    func mark(_ marker: LSLMarker) { for p in publishers { p.mark(marker) } }

    /// `--lsl-wait-inlet`: returns once every device's stream has an inlet, after `seconds` (said so), or once
    /// `interrupted` is set.
    func waitForInlets(upTo seconds: Double, unless interrupted: WaitInterrupted) async {
        guard !publishers.isEmpty else { return }
        Console.error("lsl: waiting up to \(seconds) s for an inlet on every stream")
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !publishers.allSatisfy(\.values.hasConsumers), !interrupted.flag.load(ordering: .acquiring) {
            guard Date() < deadline else {
                Console.error("lsl: no inlet on every stream after \(seconds) s; starting anyway")
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// For the status line: inlets connected now and samples they missed.
    var statusText: String {
        let inlets = publishers.flatMap(\.values.inlets)
        let dropped = inlets.reduce(UInt64(0)) { $0.addingSaturating($1.samplesDropped) }
        return "lsl inlets \(inlets.filter(\.connected).count)  inlet drops \(dropped)"
    }

    /// Publishes what is left, closes the outlets, and says per inlet what it got and what it missed.
    func finish(_ final: LSLMarker? = nil) async {
        markerInlet?.stop()
        for p in publishers {
            await p.finish(final)
            // Every stream's inlets, the raw counts and the Markers as well as the values.
            for outlet in p.outlets {
                for i in outlet.inlets {
                    FileHandle.standardError.write(Data(
                        "lsl: \(outlet.info.name) inlet \(i.id) (\(i.peer) \(i.hostname)): sent \(i.samplesSent), dropped \(i.samplesDropped)\n".utf8))
                }
            }
            if p.droppedFrames > 0 {
                FileHandle.standardError.write(Data("lsl: \(p.values.info.name): \(p.droppedFrames) samples not published (the LSL bridge fell behind)\n".utf8))
            }
        }
    }

    /// `record`: the last marker names the file and what it holds.
    func finish(recording summary: RunSummary) {
        let marker = LSLMarker("recording_stop", [
            ("file", .text(summary.output)), ("samples_written", .number(summary.devices.reduce(0) { $0.addingSaturating($1.samplesWritten) })),
            ("samples_lost", .number(summary.samplesLost)),
        ])
        Blocking.await { await self.finish(marker) }
    }
}

/// Ctrl-C during `--lsl-wait-inlet`.
final class WaitInterrupted: Sendable {
    let flag = Atomic<Bool>(false)
}

/// Runs async work from a synchronous command (`record` runs on a plain thread, never inside the concurrency pool).
enum Blocking {
    static func `await`<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
