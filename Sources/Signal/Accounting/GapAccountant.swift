/// Turns the sequence of received sample blocks (first index, count) plus the side information the
/// driver sees (CRC failures, device STATUS overrun counters, host overruns from the rings) into exact
/// ``Gap`` records and per-cause totals. Pure value type: no I/O, no allocation.
///
/// Attribution of one index jump of `J` missing samples, in this order:
/// 1. up to the samples the device said it dropped (STATUS `dropped_total` increase not yet seen as a
///    jump) → ``Gap/Cause/deviceOverrun`` (the device dropped them before sending, so they come first);
/// 2. the rest → ``Gap/Cause/crcError`` if a frame failed its CRC since the previous block, otherwise
///    ``Gap/Cause/transportGap``.
/// The total of a jump is always exact; only its split between causes follows this rule.
public struct GapAccountant: Sendable {
    /// Index the next block should start at.
    public private(set) var expectedNextIndex: UInt64
    public private(set) var totals = LossTotals()
    public private(set) var samplesReceived: UInt64 = 0
    /// Samples received a second time (a block overlapping what was already received).
    public private(set) var duplicateSamples: UInt64 = 0
    public private(set) var crcErrorCount: UInt64 = 0

    private var crcErrorsSinceLastBlock = 0
    private var deviceDroppedNotYetSeen: UInt64 = 0
    private var lastDeviceDroppedTotal: UInt32?

    public enum BlockOrder: Sendable, Equatable {
        case contiguous
        case afterGap(missing: UInt64)
        case overlapping(duplicates: UInt64)
    }

    /// `firstExpectedIndex` is 0 for an acquisition observed from its START.
    public init(firstExpectedIndex: UInt64 = 0) {
        expectedNextIndex = firstExpectedIndex
    }

    /// A frame was discarded because its CRC did not match.
    public mutating func noteCRCError() {
        crcErrorCount += 1
        crcErrorsSinceLastBlock += 1
    }

    /// A device STATUS frame arrived; `droppedTotal` is its cumulative `dropped_total` (u32, may wrap).
    public mutating func noteDeviceStatus(droppedTotal: UInt32) {
        if let last = lastDeviceDroppedTotal {
            deviceDroppedNotYetSeen += UInt64(droppedTotal &- last)
        } else {
            deviceDroppedNotYetSeen += UInt64(droppedTotal)
        }
        lastDeviceDroppedTotal = droppedTotal
    }

    /// The device restarted (reconnected and STARTed again): its `dropped_total` counts from 0 once more.
    public mutating func noteDeviceRestarted() {
        lastDeviceDroppedTotal = 0
    }

    /// A consumer reported samples lost to host overrun (from ``FrameRing/popGap()``).
    public mutating func noteHostOverrun(_ gap: Gap) {
        precondition(gap.cause == .hostOverrun, "only host overrun gaps come from the rings")
        totals.hostOverrun += gap.count
    }

    /// A block of `count` samples starting at `firstIndex` arrived. Calls `report` with each new gap.
    @discardableResult
    public mutating func observeBlock(firstIndex: UInt64, count: UInt64, report: (Gap) -> Void = { _ in }) -> BlockOrder {
        defer { crcErrorsSinceLastBlock = 0 }
        let end = firstIndex + count
        if firstIndex < expectedNextIndex {
            let duplicates = min(expectedNextIndex, end) - firstIndex
            duplicateSamples += duplicates
            samplesReceived += count - duplicates
            expectedNextIndex = max(expectedNextIndex, end)
            return .overlapping(duplicates: duplicates)
        }
        samplesReceived += count
        let missing = firstIndex - expectedNextIndex
        let order: BlockOrder = missing == 0 ? .contiguous : .afterGap(missing: missing)
        if missing > 0 {
            var start = expectedNextIndex
            let deviceShare = min(deviceDroppedNotYetSeen, missing)
            if deviceShare > 0 {
                report(Gap(firstMissingIndex: start, count: deviceShare, cause: .deviceOverrun))
                totals.deviceOverrun += deviceShare
                deviceDroppedNotYetSeen -= deviceShare
                start += deviceShare
            }
            let rest = missing - deviceShare
            if rest > 0 {
                let cause: Gap.Cause = crcErrorsSinceLastBlock > 0 ? .crcError : .transportGap
                report(Gap(firstMissingIndex: start, count: rest, cause: cause))
                totals[cause] += rest
            }
        }
        expectedNextIndex = end
        return order
    }
}
