import MosquitoModel

/// Turns the in-order blocks ``StreamIndex`` admits, plus the side information the driver sees (CRC
/// failures, device STATUS overrun counters), into exact ``Gap`` records and per-cause totals. Pure value
/// type: no I/O, no allocation. Which indices are admitted, and in what order, is ``StreamIndex``'s rule, not
/// this type's: it only attributes the jumps it is shown.
///
/// Attribution of one index jump of `J` missing samples, in this order:
/// 1. up to the samples the device said it dropped (STATUS `dropped_total` increase not yet seen as a
///    jump) → ``Gap/Cause/deviceOverrun`` (the device dropped them before sending, so they come first);
/// 2. the rest → ``Gap/Cause/crcError`` if a frame failed its CRC since the previous block, otherwise
///    ``Gap/Cause/transportGap``.
/// The total of a jump is always exact; only its split between causes follows this rule.
struct GapAccountant: Sendable {
    /// Index the next block should start at.
    private(set) var expectedNextIndex: UInt64
    private(set) var totals = LossTotals()
    private(set) var samplesReceived: UInt64 = 0
    private(set) var crcErrorCount: UInt64 = 0

    private var crcErrorsSinceLastBlock = 0
    private var deviceDroppedNotYetSeen: UInt64 = 0
    private var lastDeviceDroppedTotal: UInt32?

    enum BlockOrder: Sendable, Equatable {
        case contiguous
        case afterGap(missing: UInt64)
    }

    /// `firstExpectedIndex` is 0 for an acquisition observed from its START.
    init(firstExpectedIndex: UInt64 = 0) {
        expectedNextIndex = firstExpectedIndex
    }

    /// A frame was discarded because its CRC did not match.
    mutating func noteCRCError() {
        crcErrorCount = crcErrorCount.addingSaturating(1)
        crcErrorsSinceLastBlock = crcErrorsSinceLastBlock == .max ? .max : crcErrorsSinceLastBlock + 1
    }

    /// A device STATUS frame arrived; `droppedTotal` is its cumulative `dropped_total` (u32, may wrap).
    mutating func noteDeviceStatus(droppedTotal: UInt32) {
        // A device may claim drops no index jump ever shows; saturating keeps its claims from trapping.
        let increase = UInt64(lastDeviceDroppedTotal.map { droppedTotal &- $0 } ?? droppedTotal)
        deviceDroppedNotYetSeen = deviceDroppedNotYetSeen.addingSaturating(increase)
        lastDeviceDroppedTotal = droppedTotal
    }

    /// The device restarted (reconnected and STARTed again): its `dropped_total` counts from 0 once more.
    mutating func noteDeviceRestarted() {
        lastDeviceDroppedTotal = 0
    }

    /// A block of `count` samples starting at `firstIndex` arrived. Calls `report` with each new gap.
    ///
    /// ``StreamIndex`` shows only blocks at or past ``expectedNextIndex`` whose end fits in a `UInt64`; anything
    /// else is a bug in it, not bad input.
    @discardableResult
    mutating func observeBlock(firstIndex: UInt64, count: UInt64, report: (Gap) -> Void = { _ in }) -> BlockOrder {
        precondition(firstIndex >= expectedNextIndex, "StreamIndex admits indices in order")
        let (end, overflow) = firstIndex.addingReportingOverflow(count)
        precondition(!overflow, "StreamIndex refuses blocks that run past 2^64 - 1")
        defer { crcErrorsSinceLastBlock = 0 }
        // Received and lost samples cover disjoint indices below `end`, so neither sum can pass 2^64 - 1.
        samplesReceived += count
        let missing = firstIndex - expectedNextIndex
        expectedNextIndex = end
        guard missing > 0 else { return .contiguous }
        var start = firstIndex - missing
        let deviceShare = min(deviceDroppedNotYetSeen, missing)
        if deviceShare > 0 {
            report(Gap(firstMissingIndex: start, count: deviceShare, cause: .deviceOverrun))
            totals[.deviceOverrun] += deviceShare
            deviceDroppedNotYetSeen -= deviceShare
            start += deviceShare
        }
        let rest = missing - deviceShare
        if rest > 0 {
            let cause: GapCause = crcErrorsSinceLastBlock > 0 ? .crcError : .transportGap
            report(Gap(firstMissingIndex: start, count: rest, cause: cause))
            totals[cause] += rest
        }
        return .afterGap(missing: missing)
    }
}
