import Device
import MWP
import MosquitoModel
import Signal
import Synchronization

/// The producer side of one device's stream, on the session's reader thread: decoded SAMPLES frames become
/// whole sample frames in the rings; every index jump, corrupted frame and device overrun becomes exact loss.
///
/// Allocation-free per frame: the frame buffer and the value scratch are sized for the largest SAMPLES frame.
/// Unchecked: `buffer`, `scratch` and `gate` are touched by the reader thread only; everything shared is locked or atomic.
public final class StreamIngest: StreamConsumer, @unchecked Sendable {
    public let channelMask: UInt32
    public let channelCount: Int
    public let clock: SampleClock
    /// The lossless side of the fan-out: the recorder's ring (none when nothing records).
    public let fanOut: FanOut
    /// The newest-wins side: live views and network outlets, which come and go while the stream runs.
    public let outlets: StreamOutlets?
    /// Samples with an index at or past this are not published: a run of N seconds holds exactly N·rate samples
    /// (counted from the trigger, when one gates the recording: the end is known once it fired).
    public var endIndex: UInt64? { state.withLock { $0.index.endIndex } }
    /// How long the reader waits on a full lossless ring before it drops (counted as host overrun).
    public let backPressureLimitNs: UInt64

    // Reader-thread only.
    private let buffer: FrameBuffer
    private var scratch: [Int32]
    /// Holds the recorder's ring back until the trigger fires (subscribers are never held back).
    private var gate: TriggerGate?

    // Shared with the control and recorder threads.
    private let state: Locked<IngestState>
    private let finished = Atomic<Bool>(false)

    /// When set, a lost link waits for the instrument to come back instead of ending the stream.
    public let follow: Bool

    public init(
        channelMask: UInt32, rateHz: UInt32, rings: [FrameRing], endIndex: UInt64?,
        backPressureLimitNs: UInt64 = 2_000_000_000, follow: Bool = false, outlets: StreamOutlets? = nil,
        trigger: TriggerGate? = nil
    ) {
        gate = trigger
        self.outlets = outlets
        self.follow = follow
        self.channelMask = channelMask
        channelCount = channelMask.nonzeroBitCount
        clock = SampleClock(rateHz: rateHz)
        fanOut = FanOut(rings: rings)
        self.backPressureLimitNs = backPressureLimitNs
        // A triggered run's end is set when the trigger fires.
        state = Locked(IngestState(endIndex: trigger == nil ? endIndex : nil))
        let maxFrames = SamplesHeader.maxCount(channels: channelCount)
        buffer = FrameBuffer(capacity: maxFrames, channelCount: channelCount)
        scratch = [Int32](repeating: 0, count: maxFrames * channelCount)
    }

    /// True once every sample up to `endIndex` has been seen (received or accounted as lost), or the link died.
    public var isFinished: Bool { finished.load(ordering: .acquiring) }

    public func snapshot() -> IngestSnapshot { state.withLock { $0.snapshot() } }

    /// Gaps and events seen since the last call, oldest first: the recorder writes them into the file.
    public func takeReports() -> (gaps: [Gap], events: [IngestEvent]) {
        state.withLock { s in
            defer { s.pendingGaps.removeAll(); s.pendingEvents.removeAll() }
            return (s.pendingGaps, s.pendingEvents)
        }
    }

    // MARK: StreamConsumer (reader thread)

    public func samples(_ view: SamplesView) { accept(view) }

    /// Applies the stream's index rule (``StreamIndex``) to one frame and publishes what it delivers: each
    /// index at most once, in order, rebased after reconnects, to the recorder and every subscriber alike.
    @discardableResult
    public func accept(_ view: SamplesView) -> StreamIndex.Admission {
        let h = view.header
        guard h.channelMask == channelMask else {
            state.withLock { $0.malformedFrames += 1; $0.index.noteCRCError() }
            return .empty
        }
        let watching = gate.map { $0.firedAt == nil } ?? false
        if watching { copyValues(view) }
        let (admission, done) = state.withLock { s -> (StreamIndex.Admission, Bool) in
            s.framesReceived += 1
            if watching { watchTrigger(&s, view.header) }
            let nextBefore = s.index.nextIndex
            let admission = s.index.admit(firstIndex: h.firstIndex, count: Int(h.count)) { gap in
                s.pendingGaps.append(gap)
                s.gapCount += 1
            }
            s.noteViolation(admission, header: h, nextBefore: nextBefore, base: s.index.base)
            return (admission, s.index.isComplete)
        }
        if case .deliver(let first, let skip, let count) = admission {
            if !watching { copyValues(view) }
            publish(view, firstIndex: first, skip: skip, count: count)
        }
        if done { finished.store(true, ordering: .releasing) }
        return admission
    }

    public func status(_ status: DeviceStatus) {
        state.withLock { s in
            s.index.noteDeviceStatus(droppedTotal: status.droppedTotal)
            s.lastStatus = status
            if !status.flags.isEmpty {
                s.pendingEvents.append(IngestEvent(afterIndex: s.index.nextIndex, kind: "status", detail: describe(status)))
            }
        }
    }

    public func log(level: UInt8, text: String) {
        state.withLock { s in
            s.pendingEvents.append(IngestEvent(afterIndex: s.index.nextIndex, kind: "log", detail: "level \(level): \(text)"))
        }
    }

    public func frameError(_ error: FrameError) {
        state.withLock { s in
            // Any damaged frame may have been samples: a following index jump is blamed on it, not on the link.
            s.index.noteCRCError()
            if case .crc = error { s.crcErrors += 1 } else { s.malformedFrames += 1 }
        }
    }

    public func linkLost(_ error: TransportError) {
        let ends = state.withLock { s -> Bool in
            // A source that ran out (a replay's last sample) ends the stream; it did not fail.
            if case .endOfStream = error {
                s.pendingEvents.append(IngestEvent(afterIndex: s.index.nextIndex, kind: "end", detail: error.description))
                return true
            }
            s.pendingEvents.append(IngestEvent(afterIndex: s.index.nextIndex, kind: "disconnect", detail: error.description))
            if follow {
                s.outageSinceNs = MonotonicClock.nowNs()
                return false
            }
            s.linkError = error.description
            return true
        }
        if ends { finished.store(true, ordering: .releasing) }
    }

    /// Something from outside the device (an LSL marker), placed after the latest sample, at its own host time.
    public func note(kind: String, detail: String, hostMonotonicNs: UInt64) {
        state.withLock { s in
            s.pendingEvents.append(IngestEvent(afterIndex: s.index.nextIndex, kind: kind, detail: detail, hostMonotonicNs: hostMonotonicNs))
        }
    }

    /// The device did not confirm STOP at the end of the run: an event in the file says so.
    public func stopFailed(_ why: String) {
        state.withLock { s in
            s.pendingEvents.append(IngestEvent(afterIndex: s.index.nextIndex, kind: "stop_failed", detail: why))
        }
    }

    /// When the link went down and has not come back (following only).
    public var outageSinceNs: UInt64? { state.withLock { $0.outageSinceNs } }

    /// The instrument is back and restarts counting at 0: continue the stream after the samples it would have
    /// produced during the outage, which become one transport gap.
    public func reattach(outageNs: UInt64, detail: String) {
        let done = state.withLock { s -> Bool in
            closeOutage(&s, outageNs: outageNs)
            s.reconnects += 1
            s.pendingEvents.append(IngestEvent(afterIndex: s.index.base, kind: "reconnect", detail: detail))
            return s.index.isComplete
        }
        if done { finished.store(true, ordering: .releasing) }
    }

    /// The run's end passed while the instrument was away: the samples it would have produced up to the end
    /// become the outage's transport gap and the stream ends there. Not a reconnect (the instrument never came
    /// back), so it is an `end` event and the link error says the instrument was still away.
    public func endWhileAway(outageNs: UInt64) {
        let done = state.withLock { s -> Bool in
            closeOutage(&s, outageNs: outageNs)
            s.linkError = "instrument still away when the run ended"
            s.pendingEvents.append(IngestEvent(
                afterIndex: s.index.nextIndex, kind: "end", detail: "the run ended while the instrument was away"))
            return s.index.isComplete
        }
        if done { finished.store(true, ordering: .releasing) }
    }

    /// Declares the samples the instrument would have produced in `outageNs` as one transport gap (cut at the
    /// run's end) and moves the index base past them.
    private func closeOutage(_ s: inout IngestState, outageNs: UInt64) {
        // At most 2^64 ns times 10^7 Hz / 10^9: well inside what a Double converts back to a UInt64.
        let missed = UInt64((Double(outageNs) * Double(clock.rateHz) / 1e9).rounded())
        s.index.deviceRestarted(missing: missed) { gap in s.pendingGaps.append(gap); s.gapCount += 1 }
        s.outageSinceNs = nil
    }

    /// Gives up following (the run is ending while the instrument is away).
    public func abandon(reason: String) {
        state.withLock { $0.linkError = reason }
        finished.store(true, ordering: .releasing)
    }

    // MARK: Hot path

    private func copyValues(_ view: SamplesView) {
        scratch.withUnsafeMutableBufferPointer { out in
            view.copyValues(into: UnsafeMutableBufferPointer(rebasing: out[0..<view.header.valueCount]))
        }
    }

    /// Runs the trigger over what the frame would deliver (asked of a copy of the index, so that a trigger
    /// firing inside the frame sets the run's end before the frame is admitted). Values are in `scratch`.
    private func watchTrigger(_ s: inout IngestState, _ h: SamplesHeader) {
        var peek = s.index
        guard case .deliver(let first, let skip, let count) = peek.admit(firstIndex: h.firstIndex, count: Int(h.count)),
            var watcher = gate
        else { return }
        let fired = scratch.withUnsafeBufferPointer { raw in
            watcher.fire(
                raw: UnsafeBufferPointer(rebasing: raw[skip * channelCount..<(skip + count) * channelCount]),
                channelCount: channelCount, count: count, firstIndex: first)
        }
        gate = watcher
        guard let at = fired else { return }
        if let length = watcher.runLength { s.index.end(at: at.addingSaturating(length)) }
        s.triggeredAt = at
        s.pendingEvents.append(watcher.event(at: at))
    }

    /// The part of a published span the recorder gets: all of it, or with a trigger, what lies from it on.
    private func recorded(_ span: FrameSpan) -> FrameSpan? {
        guard let gate else { return span }
        guard let from = gate.firedAt, let start = span.indices.firstIndex(where: { $0 >= from }) else { return nil }
        return start == 0 ? span : span.slice(start..<span.count)
    }

    /// Publishes the frame's samples `skip ..< skip + count` (already in `scratch`) as indices from `firstIndex`.
    private func publish(_ view: SamplesView, firstIndex: UInt64, skip: Int, count: Int) {
        buffer.removeAll()
        scratch.withUnsafeBufferPointer { raw in
            if skip == 0 {
                buffer.appendBlock(
                    firstIndex: firstIndex, clock: clock, blockDeviceTimeUs: view.header.deviceTimeUs,
                    raw: UnsafeBufferPointer(rebasing: raw[0..<count * channelCount]))
            } else {
                // The tail of a partly repeated frame (rare): each sample keeps the device time of its place in the frame.
                for k in 0..<count {
                    let at = (skip + k) * channelCount
                    buffer.append(
                        index: firstIndex + UInt64(k),
                        deviceTimeNs: clock.deviceTimeNs(blockDeviceTimeUs: view.header.deviceTimeUs, offsetInBlock: skip + k),
                        values: UnsafeBufferPointer(rebasing: raw[at..<at + channelCount]))
                }
            }
        }
        buffer.withSpan { all in
            // Subscribers never wait for the recorder, nor it for them.
            outlets?.publish(all)
            guard !fanOut.rings.isEmpty, let span = recorded(all) else { return }
            var waitedNs: UInt64 = 0
            while fanOut.publish(span, whenFull: .refuse) == .backPressure {
                // The recorder is behind: wait for it rather than drop, up to a bound, then drop counted.
                if waitedNs >= backPressureLimitNs {
                    if case .publishedWithLoss = fanOut.publish(span, whenFull: .dropExcess) {
                        state.withLock { $0.backPressureDrops += 1 }
                    }
                    return
                }
                usleep(200)
                waitedNs += 200_000
            }
        }
    }

    private func describe(_ s: DeviceStatus) -> String {
        var flags: [String] = []
        if s.flags.contains(.bufferOverrun) { flags.append("buffer_overrun") }
        if s.flags.contains(.sensorFault) { flags.append("sensor_fault") }
        if s.flags.contains(.calibrationInvalid) { flags.append("calibration_invalid") }
        return flags.joined(separator: ",") + " dropped_total=\(s.droppedTotal) temperature=\(Double(s.temperatureCentiC) / 100)C"
    }
}

#if canImport(Glibc)
import Glibc
#endif
