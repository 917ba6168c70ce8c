import Device
import MWP
import Signal
import Synchronization

/// The producer side of one device's stream, on the session's reader thread: decoded SAMPLES frames become
/// whole sample frames in the rings; every index jump, corrupted frame and device overrun becomes exact loss.
///
/// Allocation-free per frame: the frame buffer and the value scratch are sized for the largest SAMPLES frame.
public final class StreamIngest: StreamConsumer, @unchecked Sendable {
    public let channelMask: UInt32
    public let channelCount: Int
    public let clock: SampleClock
    public let fanOut: FanOut
    /// Samples with an index at or past this are not published: a run of N seconds holds exactly N·rate samples.
    public let endIndex: UInt64?
    /// How long the reader waits on a full lossless ring before it drops (counted as host overrun).
    public let backPressureLimitNs: UInt64

    // Reader-thread only.
    private let buffer: FrameBuffer
    private var scratch: [Int32]

    // Shared with the control and recorder threads.
    private let state = Mutex(IngestState())
    private let finished = Atomic<Bool>(false)

    /// When set, a lost link waits for the instrument to come back instead of ending the stream.
    public let follow: Bool

    public init(
        channelMask: UInt32, rateHz: UInt32, rings: [FrameRing], endIndex: UInt64?,
        backPressureLimitNs: UInt64 = 2_000_000_000, follow: Bool = false
    ) {
        self.follow = follow
        self.channelMask = channelMask
        channelCount = channelMask.nonzeroBitCount
        clock = SampleClock(rateHz: rateHz)
        fanOut = FanOut(rings: rings)
        self.endIndex = endIndex
        self.backPressureLimitNs = backPressureLimitNs
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

    public func samples(_ view: SamplesView) {
        var h = view.header
        // After a reconnect the device counts from 0 again; the stream goes on from where the outage ended.
        let base = state.withLock { $0.indexBase }
        h.firstIndex &+= base
        guard h.channelMask == channelMask else {
            state.withLock { $0.malformedFrames += 1; $0.accountant.noteCRCError() }
            return
        }
        var count = Int(h.count)
        if let end = endIndex {
            if h.firstIndex >= end { count = 0 } else { count = min(count, Int(end - h.firstIndex)) }
        }
        let done = state.withLock { s -> Bool in
            s.framesReceived += 1
            if count > 0 {
                s.accountant.observeBlock(firstIndex: h.firstIndex, count: UInt64(count)) { gap in s.pendingGaps.append(gap); s.gapCount += 1 }
            } else if let end = endIndex, s.accountant.expectedNextIndex < end {
                // A frame wholly past the end proves [expected, end) is missing; what lies beyond the run is not.
                s.accountant.observeBlock(firstIndex: end, count: 0) { gap in s.pendingGaps.append(gap); s.gapCount += 1 }
            }
            return endIndex.map { s.accountant.expectedNextIndex >= $0 } ?? false
        }
        if count > 0 { publish(view, firstIndex: h.firstIndex, count: count) }
        if done { finished.store(true, ordering: .releasing) }
    }

    public func status(_ status: DeviceStatus) {
        state.withLock { s in
            s.accountant.noteDeviceStatus(droppedTotal: status.droppedTotal)
            s.lastStatus = status
            if !status.flags.isEmpty {
                s.pendingEvents.append(IngestEvent(afterIndex: s.accountant.expectedNextIndex, kind: "status", detail: describe(status)))
            }
        }
    }

    public func log(level: UInt8, text: String) {
        state.withLock { s in
            s.pendingEvents.append(IngestEvent(afterIndex: s.accountant.expectedNextIndex, kind: "log", detail: "level \(level): \(text)"))
        }
    }

    public func frameError(_ error: FrameError) {
        state.withLock { s in
            // Any damaged frame may have been samples: a following index jump is blamed on it, not on the link.
            s.accountant.noteCRCError()
            if case .crc = error { s.crcErrors += 1 } else { s.malformedFrames += 1 }
        }
    }

    public func linkLost(_ error: TransportError) {
        let ends = state.withLock { s -> Bool in
            // A source that ran out (a replay's last sample) ends the stream; it did not fail.
            if case .endOfStream = error {
                s.pendingEvents.append(IngestEvent(afterIndex: s.accountant.expectedNextIndex, kind: "end", detail: error.description))
                return true
            }
            s.pendingEvents.append(IngestEvent(afterIndex: s.accountant.expectedNextIndex, kind: "disconnect", detail: error.description))
            if follow {
                s.outageSinceNs = MonotonicClock.nowNs()
                return false
            }
            s.linkError = error.description
            return true
        }
        if ends { finished.store(true, ordering: .releasing) }
    }

    /// When the link went down and has not come back (following only).
    public var outageSinceNs: UInt64? { state.withLock { $0.outageSinceNs } }

    /// The instrument is back and restarts counting at 0: continue the stream after the samples it would have
    /// produced during the outage, which become one transport gap.
    public func reattach(outageNs: UInt64, detail: String) {
        state.withLock { s in
            let missed = UInt64((Double(outageNs) * Double(clock.rateHz) / 1e9).rounded())
            var base = s.accountant.expectedNextIndex &+ max(missed, 1)
            if let end = endIndex { base = min(base, end) }
            s.accountant.observeBlock(firstIndex: base, count: 0) { gap in s.pendingGaps.append(gap); s.gapCount += 1 }
            s.indexBase = base
            s.accountant.noteDeviceRestarted()
            s.outageSinceNs = nil
            s.reconnects += 1
            s.pendingEvents.append(IngestEvent(afterIndex: base, kind: "reconnect", detail: detail))
        }
        if let end = endIndex, state.withLock({ $0.accountant.expectedNextIndex >= end }) {
            finished.store(true, ordering: .releasing)
        }
    }

    /// Gives up following (the run is ending while the instrument is away).
    public func abandon(reason: String) {
        state.withLock { $0.linkError = reason }
        finished.store(true, ordering: .releasing)
    }

    // MARK: Hot path

    private func publish(_ view: SamplesView, firstIndex: UInt64, count: Int) {
        let values = count * channelCount
        scratch.withUnsafeMutableBufferPointer { out in
            view.copyValues(into: UnsafeMutableBufferPointer(rebasing: out[0..<view.header.valueCount]))
        }
        buffer.removeAll()
        scratch.withUnsafeBufferPointer { raw in
            buffer.appendBlock(
                firstIndex: firstIndex, clock: clock, blockDeviceTimeMicros: view.header.deviceTimeUs,
                raw: UnsafeBufferPointer(rebasing: raw[0..<values]))
        }
        buffer.withSpan { span in
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

/// Something the device said or the link did, placed in the stream after a sample index.
public struct IngestEvent: Sendable, Equatable {
    public var afterIndex: UInt64
    public var kind: String
    public var detail: String
}

struct IngestState {
    var accountant = GapAccountant()
    var pendingGaps: [Gap] = []
    var pendingEvents: [IngestEvent] = []
    var framesReceived: UInt64 = 0
    var gapCount: UInt64 = 0
    var crcErrors: UInt64 = 0
    var malformedFrames: UInt64 = 0
    var backPressureDrops: UInt64 = 0
    var lastStatus: DeviceStatus?
    var linkError: String?
    var indexBase: UInt64 = 0
    var outageSinceNs: UInt64?
    var reconnects = 0

    func snapshot() -> IngestSnapshot {
        IngestSnapshot(
            samplesReceived: accountant.samplesReceived, nextIndex: accountant.expectedNextIndex,
            framesReceived: framesReceived, gaps: gapCount, crcErrors: crcErrors, malformedFrames: malformedFrames,
            loss: accountant.totals, duplicateSamples: accountant.duplicateSamples, linkError: linkError,
            reconnects: reconnects)
    }
}

/// Counts at one instant, for the live status line and the summary.
public struct IngestSnapshot: Sendable, Equatable {
    public var samplesReceived: UInt64
    public var nextIndex: UInt64
    public var framesReceived: UInt64
    public var gaps: UInt64
    public var crcErrors: UInt64
    public var malformedFrames: UInt64
    public var loss: LossTotals
    public var duplicateSamples: UInt64
    public var linkError: String?
    public var reconnects: Int
}

#if canImport(Glibc)
import Glibc
#endif
