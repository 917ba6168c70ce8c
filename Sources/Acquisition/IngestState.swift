import MWP
import MosquitoModel
import Signal

/// Something the device said or the link did, placed in the stream after a sample index.
public struct IngestEvent: Sendable, Equatable {
    public var afterIndex: UInt64
    public var kind: String
    public var detail: String
    /// When it happened on the host's monotonic clock, if known (an LSL marker's stamp); else when it is written.
    public var hostMonotonicNs: UInt64? = nil
}

/// What a ``StreamIngest``'s reader thread shares with the control and recorder threads, under its lock.
struct IngestState {
    var index: StreamIndex
    var pendingGaps: [Gap] = []
    var pendingEvents: [IngestEvent] = []
    var framesReceived: UInt64 = 0
    var gapCount: UInt64 = 0
    var crcErrors: UInt64 = 0
    var malformedFrames: UInt64 = 0
    var backPressureDrops: UInt64 = 0
    var lastStatus: DeviceStatus?
    var linkError: String?
    var outageSinceNs: UInt64?
    var reconnects = 0
    /// Where the trigger fired: the first index the recorder got.
    var triggeredAt: UInt64?
    /// Events written for frames that broke the index rule; past ``maxViolationEvents`` they are only counted.
    var violationEvents = 0

    /// A device that repeats every frame would otherwise write an event per frame for as long as it runs;
    /// the summary's counts stay exact whatever this is.
    static let maxViolationEvents = 1000

    init(endIndex: UInt64?) { index = StreamIndex(endIndex: endIndex) }

    /// Writes an event for a frame that broke the index rule, so the file says where its data was refused.
    mutating func noteViolation(_ admission: StreamIndex.Admission, header h: SamplesHeader, nextBefore: UInt64, base: UInt64) {
        let kind: String, detail: String
        let host = h.firstIndex.addingReportingOverflow(base)
        let from = host.overflow ? "device index \(h.firstIndex) + base \(base)" : "index \(host.partialValue)"
        switch admission {
        case .deliver(_, let skip, let count) where skip > 0:
            kind = "duplicate"
            detail = "frame of \(h.count) samples from \(from) begins before \(nextBefore), the next expected index: "
                + "\(skip) already accounted for, discarded; \(count) new delivered"
        case .duplicate(let samples):
            kind = "duplicate"
            detail = "frame of \(h.count) samples from \(from) begins before \(nextBefore), the next expected index: "
                + "\(samples) already accounted for, discarded"
        case .overflow:
            kind = "index_overflow"
            detail = "frame of \(h.count) samples from \(from) would reach index 2^64-1: refused"
        case .deliver, .pastEnd, .empty:
            return
        }
        guard violationEvents < Self.maxViolationEvents else { return }
        violationEvents += 1
        let more = violationEvents == Self.maxViolationEvents
            ? "; further frames that break the index rule are counted in the run summary, not listed" : ""
        pendingEvents.append(IngestEvent(afterIndex: nextBefore, kind: kind, detail: detail + more))
    }

    func snapshot() -> IngestSnapshot {
        IngestSnapshot(
            samplesReceived: index.samplesReceived, nextIndex: index.nextIndex,
            framesReceived: framesReceived, gaps: gapCount, crcErrors: crcErrors, malformedFrames: malformedFrames,
            loss: index.loss, violations: index.violations, linkError: linkError, reconnects: reconnects,
            triggeredAt: triggeredAt)
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
    /// Frames that repeated, rewound or overflowed the index: their offending samples were discarded.
    public var violations: IndexViolations
    public var linkError: String?
    public var reconnects: Int
    /// The first index recorded when a trigger gates the recording (nil: none, or it has not fired).
    public var triggeredAt: UInt64?
}
