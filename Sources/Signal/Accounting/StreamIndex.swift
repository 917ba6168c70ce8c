import MosquitoModel

/// What a sample index means on the host for one device's stream, and the one rule every consumer of it
/// follows: **each index is delivered at most once, in increasing order, and every index below
/// ``nextIndex`` is either delivered or declared lost with a cause, never both.** So
/// `samplesReceived + loss.total == nextIndex`, always.
///
/// - *Rebasing.* After a reconnect the device counts from 0 again; ``deviceRestarted(missing:report:)`` moves
///   the base past the outage, so host indices go on increasing across it.
/// - *Duplicates.* A frame that begins before ``nextIndex`` (sent twice, rewound, or late after its indices were
///   declared lost) delivers only its new tail, if any. The rest is counted in ``violations`` and discarded:
///   MWP/1 calls a backwards frame a protocol violation, and a file must never hold an index twice or a row
///   inside a gap it declares.
/// - *Overflow.* A frame whose host indices would reach 2⁶⁴ − 1 is refused whole, counted in ``violations``;
///   everything received before stays. (Index 2⁶⁴ − 1 itself is never delivered: ``nextIndex``, one past
///   the last accounted index, could not represent what follows it. A device at 100 kS/s takes millions of
///   years to get there; only a broken or hostile one does. After a reconnect that saturates the base, every
///   frame is refused this way.)
/// - *End.* Samples at or past ``endIndex`` are not part of the run: not delivered, not lost.
///
/// Pure value type: no I/O, no allocation, no trapping arithmetic on what the wire says.
public struct StreamIndex: Sendable {
    /// Host indices at or past this are not part of the run (nil: no end, or none yet: see ``end(at:)``).
    public private(set) var endIndex: UInt64?
    /// Added to every wire index: 0 until the first reconnect.
    public private(set) var base: UInt64 = 0
    public private(set) var violations = IndexViolations()
    private var accountant = GapAccountant()

    public init(endIndex: UInt64? = nil) {
        self.endIndex = endIndex
    }

    /// One past the last index accounted for: every index below it was delivered or declared lost.
    public var nextIndex: UInt64 { accountant.expectedNextIndex }
    /// Samples delivered, each index once.
    public var samplesReceived: UInt64 { accountant.samplesReceived }
    /// Samples declared lost, by cause (host overrun is the consumers' to add).
    public var loss: LossTotals { accountant.totals }
    public var crcErrorCount: UInt64 { accountant.crcErrorCount }
    /// Every index of the run is accounted for.
    public var isComplete: Bool { endIndex.map { nextIndex >= $0 } ?? false }

    /// What to do with one SAMPLES frame.
    public enum Admission: Sendable, Equatable {
        /// Deliver the frame's samples `skip ..< skip + count` as host indices `firstIndex ..< firstIndex + count`.
        /// `skip` > 0 when the frame's front was already accounted for (counted in ``violations``).
        case deliver(firstIndex: UInt64, skip: Int, count: Int)
        /// Nothing in the frame is new: `samples` of it were already accounted for (counted in ``violations``).
        case duplicate(samples: Int)
        /// The frame's host indices would reach 2⁶⁴ − 1: refused whole (counted in ``violations``).
        case overflow
        /// The frame lies at or past ``endIndex``; the run's indices it skips over are declared lost.
        case pastEnd
        /// A frame of no samples says nothing.
        case empty
    }

    /// Applies the rule to a frame of `count` samples whose first wire index is `firstIndex`. Calls `report`
    /// with each gap the frame proves, oldest first.
    public mutating func admit(firstIndex wire: UInt64, count: Int, report: (Gap) -> Void = { _ in }) -> Admission {
        guard count > 0 else { return .empty }
        let n = UInt64(count)
        let (first, rebaseOverflow) = wire.addingReportingOverflow(base)
        let (end, endOverflow) = first.addingReportingOverflow(n)
        guard !rebaseOverflow, !endOverflow else {
            violations.overflowFrames = violations.overflowFrames.addingSaturating(1)
            violations.overflowSamples = violations.overflowSamples.addingSaturating(n)
            return .overflow
        }
        let next = nextIndex
        // Never past the run's end, which `nextIndex` never passes either.
        let usableEnd = endIndex.map { min(end, $0) } ?? end
        if first < next {
            let stale = min(end, next) - first
            violations.duplicateFrames = violations.duplicateFrames.addingSaturating(1)
            violations.duplicateSamples = violations.duplicateSamples.addingSaturating(stale)
            guard usableEnd > next else { return .duplicate(samples: Int(stale)) }
            accountant.observeBlock(firstIndex: next, count: usableEnd - next, report: report)
            return .deliver(firstIndex: next, skip: Int(stale), count: Int(usableEnd - next))
        }
        guard usableEnd > first else {
            // Wholly past the end: it proves the run's indices it skipped are missing; what lies beyond is not.
            if let stop = endIndex, next < stop { accountant.observeBlock(firstIndex: stop, count: 0, report: report) }
            return .pastEnd
        }
        accountant.observeBlock(firstIndex: first, count: usableEnd - first, report: report)
        return .deliver(firstIndex: first, skip: 0, count: Int(usableEnd - first))
    }

    /// Ends the run at `stop` (a run that waits for a trigger learns its end only when it fires). Never
    /// below ``nextIndex``: what is already accounted for stays part of the run.
    public mutating func end(at stop: UInt64) {
        endIndex = max(stop, nextIndex)
    }

    /// The device reconnected and counts from 0 again, after an outage in which it would have produced
    /// `missing` samples: those (at least one) become a transport gap and the base moves past them.
    public mutating func deviceRestarted(missing: UInt64, report: (Gap) -> Void = { _ in }) {
        var resume = nextIndex.addingSaturating(max(missing, 1))
        if let stop = endIndex { resume = min(resume, stop) }
        accountant.observeBlock(firstIndex: resume, count: 0, report: report)
        accountant.noteDeviceRestarted()
        base = resume
    }

    /// A frame was discarded because it was damaged: a following index jump is blamed on it.
    public mutating func noteCRCError() { accountant.noteCRCError() }

    /// A device STATUS frame arrived with its cumulative `dropped_total`.
    public mutating func noteDeviceStatus(droppedTotal: UInt32) { accountant.noteDeviceStatus(droppedTotal: droppedTotal) }
}
