import Acquisition
import Device
import Foundation
import LSL
import MWP
import MosquitoModel
import Signal
import Synchronization

/// Publishes one instrument on the Lab Streaming Layer: a newest-wins subscriber of its ``StreamOutlets`` whose
/// thread runs the recorder's pipeline over the raw frames, stamps each sample with its host time from the
/// device→host clock mapping, and pushes the values (and optionally the raw counts) to LSL outlets; a Markers
/// outlet says what the samples cannot (gaps with their cause, reconnects, recordings, triggers, inlets that miss
/// samples).
///
/// A slow network never slows the device or the recorder: the subscription drops its own oldest frames (counted,
/// announced as `lsl_overrun` gaps) and each inlet its own oldest samples (counted per inlet).
/// Unchecked: `pipeline` and the `thread…` fields are touched by the bridge thread only; the rest is immutable,
/// atomic or locked.
public final class LSLDevicePublisher: @unchecked Sendable {
    public let source: LSLDeviceSource
    public let values: LSLOutlet
    public let raw: LSLOutlet?
    public let markers: LSLOutlet
    /// Every stream this device is on: the values, the raw counts when published, the Markers.
    public var outlets: [LSLOutlet] { [values] + (raw.map { [$0] } ?? []) + [markers] }
    private let subscription: StreamSubscription
    private let pipeline: Pipeline
    private let decimation: UInt64
    private let format: LSLChannelFormat
    private let worker = LSLWorkerThread()
    /// Markers come from the bridge thread and from the shell (recording start/stop): one push at a time.
    private let markerPush = Mutex<Void>(())

    // Bridge thread only.
    private var threadLastIndex: UInt64?
    /// The device time of the frame at `threadLastIndex`: a trigger's sample is stamped back from it.
    private var threadLastDeviceNs: UInt64 = 0
    private var threadObservation: LSLDeviceObservation
    private var threadReportedDrops: [Int: UInt64] = [:]
    private var threadLastLook: UInt64 = 0
    private var threadLastDropLook: UInt64 = 0
    private var threadLastPing: UInt64 = 0
    private var threadLastMapping: ClockMapping?
    private var threadJumps: [(first: UInt64, count: UInt64, stamp: Double)] = []
    private var threadIndices: [UInt64] = []
    private var threadStamps: [Double] = []
    private var threadValues: [Double] = []
    private var threadRaw: [Int32] = []

    private init(
        source: LSLDeviceSource, values: LSLOutlet, raw: LSLOutlet?, markers: LSLOutlet, subscription: StreamSubscription,
        pipeline: Pipeline, format: LSLChannelFormat
    ) {
        self.source = source
        self.values = values
        self.raw = raw
        self.markers = markers
        self.subscription = subscription
        self.pipeline = pipeline
        self.format = format
        decimation = UInt64(max(1, pipeline.spec.decimationFactor))
        threadObservation = source.observe()
    }

    /// Maps the clock (when the bridge keeps it), subscribes, opens the outlets and starts publishing. Call it
    /// before the device starts, so the bridge's pipeline sees the same first frame as the recorder's.
    /// `devices` is how many are published together (their names then carry the serial).
    public static func open(_ source: LSLDeviceSource, settings: LSLPublishSettings, devices: Int = 1) async throws(LSLPublishError) -> LSLDevicePublisher {
        let pipeline: Pipeline
        do throws(PipelineSpecError) {
            pipeline = try Pipeline(
                spec: source.pipeline,
                calibration: source.calibrations.map(\.polynomial),
                inputRate: Double(source.rateHz))
        } catch {
            throw .pipeline(error.description)
        }
        if let session = source.pingSession { source.clock.burst(session, count: 8) }
        let name = LSLDeviceDescription.name(source, settings: settings, devices: devices)
        let type = LSLDeviceDescription.type(source, settings: settings)
        let format: LSLChannelFormat = settings.format == .double64 ? .double64 : .float32
        var opened: [LSLOutlet] = []
        func open(_ info: LSLStreamInfo) async throws(LSLError) -> LSLOutlet {
            let outlet = try await LSLOutlet.open(info, config: settings.config, options: settings.outletOptions, log: settings.log)
            opened.append(outlet)
            return outlet
        }
        // Four seconds of frames: room for the outlets to open and for a loaded machine's scheduling.
        let subscription = source.outlets.subscribe(capacity: RingSizing.capacity(rateHz: source.rateHz, seconds: 4))
        do throws(LSLError) {
            let valueInfo = try LSLDeviceDescription.values(
                source, name: name, type: type, format: format, outputRate: pipeline.outputRate,
                pipeline: pipeline.description, clock: source.clock.mapping)
            let values = try await open(valueInfo)
            let raw = settings.raw
                ? try await open(LSLDeviceDescription.raw(source, name: name, type: type, outputRate: pipeline.outputRate)) : nil
            let markers = try await open(LSLDeviceDescription.markers(source, name: name))
            let publisher = LSLDevicePublisher(
                source: source, values: values, raw: raw, markers: markers, subscription: subscription, pipeline: pipeline,
                format: format)
            subscription.reportReaders { values.networkReaders + (raw?.networkReaders ?? []) }
            publisher.worker.start(name: "mosquito-lsl") { publisher.run() }
            return publisher
        } catch {
            source.outlets.unsubscribe(subscription)
            for o in opened { await o.close() }
            throw .lsl(error)
        }
    }

    /// Announces something on the Markers stream now (any thread).
    public func mark(_ marker: LSLMarker, at time: Double = LSLClock.now()) {
        markerPush.withLock { _ in try? markers.push(.string([marker.json]), timestamps: [time]) }
    }

    /// Samples lost by this bridge's own subscription (it read too slowly), since it opened.
    public var droppedFrames: UInt64 { subscription.droppedFrames }

    /// Publishes what the subscription still holds, announces `final` (after the data), gives the inlets a
    /// moment to take what is queued for them, and closes every outlet.
    public func finish(_ final: LSLMarker? = nil) async {
        await worker.stop()
        source.outlets.unsubscribe(subscription)
        reportInletDrops()
        if let final { mark(final) }
        await values.waitForPushesQueued()
        await markers.waitForPushesQueued()
        // Closing drops what a connected inlet has not taken yet; a reading inlet takes it within milliseconds,
        // one that does not read is not waited for long.
        var looks = 0
        while looks < 100, (values.inlets + markers.inlets).contains(where: { $0.connected && $0.samplesQueued > 0 }) {
            try? await Task.sleep(for: .milliseconds(10))
            looks += 1
        }
        // liblsl's inlet drops what it still holds once it sees the connection close: an inlet pulling a few times
        // a second (LabRecorder) takes the last samples and the final marker within this grace.
        if (values.inlets + markers.inlets).contains(where: \.connected) { try? await Task.sleep(for: .milliseconds(500)) }
        for outlet in outlets { await outlet.close() }
    }

    private func run() {
        while true {
            let stopping = worker.stopping
            let moved = drain()
            look(now: MonotonicClock.nowNs())
            if moved == 0 {
                if stopping { return }
                usleep(2000)
            }
        }
    }

    /// Pushes everything published so far; returns how many frames it took.
    private func drain() -> Int {
        // Without a mapping there is no honest host time: the frames wait (and, if it never comes, drop counted).
        guard source.clock.mapping != nil else { return 0 }
        threadIndices.removeAll(keepingCapacity: true)
        threadStamps.removeAll(keepingCapacity: true)
        threadValues.removeAll(keepingCapacity: true)
        threadRaw.removeAll(keepingCapacity: true)
        threadJumps.removeAll(keepingCapacity: true)
        let consumed = subscription.ring.read { spans in
            guard let last = spans.lastDeviceTimeNs else { return 0 }
            // The file and the MQTT messages stamp the same samples through the same claims: equal host times.
            let times = source.clock.hostTimes(throughDeviceNs: last)
            spans.forEach { span in take(span, times: times) }
            return spans.count
        }
        guard consumed > 0 else { return 0 }
        push()
        announceJumps()
        return consumed
    }

    /// Splits `span` where the stream restarted (indices going back: a hub that began a recording) and runs each
    /// part through the pipeline; notes every jump forward.
    private func take(_ span: FrameSpan, times: HostTimes) {
        var start = 0
        for i in 0..<span.count {
            let index = span.indices[i]
            if let last = threadLastIndex {
                if index <= last {
                    if i > start { process(span.slice(start..<i), times: times) }
                    start = i
                    pipeline.reset()
                    mark(LSLMarker("restart", [("first_index", .number(index))]))
                } else if index != last &+ 1 {
                    let missing = index - last - 1
                    let stamp = Self.stamp(times, deviceNs: span.deviceTimesNs[i])
                    threadJumps.append((last + 1, missing, stamp - Double(missing) / Double(source.rateHz)))
                }
            }
            threadLastIndex = index
        }
        if span.count > 0 { threadLastDeviceNs = span.deviceTimesNs[span.count - 1] }
        if start < span.count { process(span.slice(start..<span.count), times: times) }
    }

    /// A drift as the `clock` marker's JSON number; one no Int64 holds (a fit gone wild) is `unknown`.
    static func partsPerBillion(_ ppm: Double) -> LSLMarker.MarkerValue {
        let ppb = (ppm * 1000).rounded()
        return ppb.isFinite && abs(ppb) < 9e18 ? .signed(Int64(ppb)) : .text("unknown")
    }

    /// LSL stamps every sample, so one taken before the clock was first known gets the first fit.
    private static func stamp(_ times: HostTimes, deviceNs: UInt64) -> Double {
        (times.earliestKnown(atDeviceNs: deviceNs)?.hostNs(deviceNs: deviceNs) ?? 0) / 1e9
    }

    private func process(_ span: FrameSpan, times: HostTimes) {
        pipeline.process(span) { out in
            for k in 0..<out.frameCount {
                threadIndices.append(out.sourceIndex(ofFrame: k) / decimation)
                threadStamps.append(Self.stamp(times, deviceNs: out.deviceTimeNs(ofFrame: k)))
                if raw != nil { threadRaw.append(contentsOf: out.sourceRawValues(ofFrame: k)) }
            }
            threadValues.append(contentsOf: out.values)
        }
    }

    private func push() {
        guard !threadStamps.isEmpty else { return }
        let samples: LSLSamples = format == .double64 ? .double64(threadValues) : .float32(threadValues.map { Float($0) })
        // A push can only fail on a closed outlet or a shape the bridge itself built: neither loses device data.
        try? values.push(samples, timestamps: threadStamps, indices: threadIndices)
        try? raw?.push(.int32(threadRaw), timestamps: threadStamps, indices: threadIndices)
    }

    /// One marker per jump in the indices, with the cause: this bridge's own drops exactly, the rest by what the
    /// source counted since the last look.
    private func announceJumps() {
        guard !threadJumps.isEmpty else { return }
        var own: [Gap] = []
        while let g = subscription.ring.popGap() { own.append(g) }
        let now = source.observe()
        let upstream = upstreamCause(before: threadObservation, now: now)
        threadObservation.loss = now.loss
        threadObservation.lossTotal = now.lossTotal
        for jump in threadJumps {
            // The jump ends at a delivered index, so first + count cannot overflow.
            let end = jump.first + jump.count
            let mine = own.reduce(UInt64(0)) { total, g in
                let lower = max(jump.first, g.firstMissingIndex), upper = min(end, g.endIndex)
                return total + (lower < upper ? upper - lower : 0)
            }
            if mine > 0 { mark(.gap(first: jump.first, count: mine, cause: "lsl_overrun"), at: jump.stamp) }
            if mine < jump.count { mark(.gap(first: jump.first, count: jump.count - mine, cause: upstream), at: jump.stamp) }
        }
    }

    private func upstreamCause(before: LSLDeviceObservation, now: LSLDeviceObservation) -> String {
        guard let was = before.loss, let cur = now.loss else { return "unknown" }
        let grown = GapCause.allCases.max { cur[$0] - min(cur[$0], was[$0]) < cur[$1] - min(cur[$1], was[$1]) }!
        return cur[grown] > was[grown] ? LSLMarker.causeName(grown) : "unknown"
    }

    /// A few times a second: reconnects, outages, a hub's recordings, inlets that miss samples, and (when the
    /// bridge keeps the clock) a round of pings every two seconds.
    private func look(now: UInt64) {
        if let session = source.pingSession, now - threadLastPing >= 2_000_000_000 {
            threadLastPing = now
            if session.linkLost == nil { source.clock.burst(session, count: 8) }
        }
        if now - threadLastLook >= 50_000_000 {
            threadLastLook = now
            let o = source.observe()
            let was = threadObservation
            if o.away && !was.away { mark(LSLMarker("disconnect", [("uri", .text(source.uri))])) }
            if o.reconnects > was.reconnects {
                mark(LSLMarker("reconnect", [("serial", .text(source.identity.serial)), ("reconnects", .number(UInt64(o.reconnects)))]))
            }
            if o.recording != was.recording {
                if let file = was.recording { mark(LSLMarker("recording_stop", [("file", .text(file))])) }
                if let file = o.recording { mark(LSLMarker("recording_start", [("file", .text(file))])) }
            }
            if let index = o.triggeredAt, threadObservation.triggeredAt == nil { announceTrigger(at: index) }
            if let m = source.clock.mapping, m != threadLastMapping {
                threadLastMapping = m
                mark(LSLMarker("clock", [
                    ("uncertainty_ns", .number(UInt64(max(0, m.clockOffsetUncertaintyNs.rounded())))),
                    ("drift_ppb", Self.partsPerBillion(m.driftPPM)), ("exchanges", .number(UInt64(m.exchangesUsed))),
                ]))
            }
            threadObservation.away = o.away
            threadObservation.reconnects = o.reconnects
            threadObservation.recording = o.recording
            threadObservation.mode = o.mode
        }
        if now - threadLastDropLook >= 1_000_000_000 {
            threadLastDropLook = now
            reportInletDrops()
        }
    }

    /// A recording's trigger fired at `index`: announced once the bridge has taken that sample, at the sample's
    /// own host time (samples are evenly spaced in device time back from the last one taken).
    private func announceTrigger(at index: UInt64) {
        guard let last = threadLastIndex, index <= last, source.clock.mapping != nil, source.rateHz > 0 else { return }
        let back = UInt64((Double(last - index) * 1e9 / Double(source.rateHz)).rounded())
        let device = threadLastDeviceNs >= back ? threadLastDeviceNs - back : 0
        mark(LSLMarker("trigger", [("index", .number(index))]), at: Self.stamp(source.clock.hostTimes(throughDeviceNs: device), deviceNs: device))
        threadObservation.triggeredAt = index
    }

    /// Says, once per growth, how many samples each inlet has missed so far (liblsl drops silently).
    private func reportInletDrops() {
        for inlet in values.inlets where inlet.samplesDropped > (threadReportedDrops[inlet.id] ?? 0) {
            threadReportedDrops[inlet.id] = inlet.samplesDropped
            mark(LSLMarker("inlet_drops", [
                ("inlet", .number(UInt64(inlet.id))), ("peer", .text(inlet.peer)), ("hostname", .text(inlet.hostname)),
                ("dropped", .number(inlet.samplesDropped)),
            ]))
        }
    }
}
