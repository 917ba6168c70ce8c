import MosquitoModel
import Synchronization

/// A lock-free single-producer single-consumer ring of whole sample frames.
///
/// Storage (indices, device times, channel values) is allocated once in `init`; writing and reading
/// never allocate, lock or make a syscall. Positions are monotonically increasing `Int`s mapped to slots
/// with `capacity - 1` as a mask. The producer owns `head`, the consumer owns `tailWord`; each sits on its
/// own cache line next to that side's cached copy of the other side's position, so the shared lines are
/// touched only when the cache says the ring looks full (producer) or empty (consumer).
/// Only acquire/release orderings are used: publishing a position is a release, observing the other
/// side's position an acquire.
///
/// `tailWord` holds the consumer position shifted left by one. For a ``OverflowPolicy/keepNewest``
/// ring the low bit means "the consumer is reading": the consumer sets it with a compare-exchange before
/// it touches slots and clears it when it publishes its new position; the producer may advance the
/// consumer position itself (dropping the oldest frames) only by a compare-exchange that finds the bit
/// clear. Because every change to `tailWord` is a read-modify-write or a release store by the side that
/// owns it at that moment, the two sides never touch the same slot at the same time.
/// Unchecked: one producer and one consumer thread, each writing only its own position and slots, as above.
public final class FrameRing: @unchecked Sendable {
    public let capacity: Int
    public let channelCount: Int
    public let policy: OverflowPolicy
    private let mask: Int
    private let indices: UnsafeMutablePointer<UInt64>
    private let times: UnsafeMutablePointer<UInt64>
    private let values: UnsafeMutablePointer<Int32>
    private let columns: FrameColumns
    private let gaps: SPSCQueue<Gap>

    private let _pad0 = CacheLinePadding()
    // Producer's line.
    private let head = Atomic<Int>(0)
    @exclusivity(unchecked) private var cachedTail = 0
    private let _pad1 = CacheLinePadding()
    // Consumer's line.
    private let tailWord = Atomic<Int>(0)
    @exclusivity(unchecked) private var cachedHead = 0
    @exclusivity(unchecked) private var consumerPosition = 0
    private let _pad2 = CacheLinePadding()
    // Rarely written counters.
    private let hostOverrunSamples = Atomic<UInt64>(0)
    private let lostGapRecords = Atomic<UInt64>(0)
    private let highWater = Atomic<Int>(0)

    /// - Parameters:
    ///   - capacity: frames; a power of two.
    ///   - gapRecordCapacity: how many not-yet-read ``Gap`` records the ring can hold (a power of two).
    ///     Beyond that, records are counted in ``lostGapRecordCount`` while ``hostOverrunSampleCount``
    ///     stays exact.
    public init(capacity: Int, channelCount: Int, policy: OverflowPolicy, gapRecordCapacity: Int = 256) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "ring capacity must be a power of two")
        precondition(channelCount > 0, "a frame has at least one channel")
        self.capacity = capacity
        self.channelCount = channelCount
        self.policy = policy
        mask = capacity - 1
        columns = FrameColumns(capacity: capacity, channelCount: channelCount)
        (indices, times, values) = (columns.indices, columns.times, columns.values)
        gaps = SPSCQueue(capacity: gapRecordCapacity)
    }

    deinit { columns.deallocate() }

    // MARK: Producer side (one thread)

    /// Frames the producer can write right now without dropping anything.
    public func producerFreeCount() -> Int {
        let h = head.load(ordering: .relaxed)
        cachedTail = tailWord.load(ordering: .acquiring) >> 1
        return capacity - (h - cachedTail)
    }

    /// Writes as many frames of `span` as fit, oldest first, and publishes them; returns how many.
    /// Never drops: what did not fit is the caller's to retry or to give up with ``reportHostOverrun(_:)``.
    /// For a ``OverflowPolicy/keepNewest`` ring use ``writeDroppingOldest(_:)``.
    @discardableResult
    public func write(_ span: FrameSpan) -> Int {
        precondition(span.channelCount == channelCount, "frame shape mismatch")
        let h = head.load(ordering: .relaxed)
        var free = capacity - (h - cachedTail)
        if free < span.count {
            cachedTail = tailWord.load(ordering: .acquiring) >> 1
            free = capacity - (h - cachedTail)
        }
        let n = min(free, span.count)
        copyIn(span, range: 0..<n, at: h)
        head.store(h + n, ordering: .releasing)
        return n
    }

    /// Writes every frame of `span`, making room by dropping the oldest unread frames (or, while the
    /// consumer is in the middle of a read, the oldest frames of `span` itself). Every dropped frame is
    /// counted and reported as a ``Gap/Cause/hostOverrun`` gap.
    public func writeDroppingOldest(_ span: FrameSpan) {
        precondition(span.channelCount == channelCount, "frame shape mismatch")
        var batch = span
        if batch.count > capacity {
            // Only the newest `capacity` frames of this batch could ever be read.
            reportHostOverrun(batch.slice(0..<(batch.count - capacity)))
            batch = batch.slice((batch.count - capacity)..<batch.count)
        }
        let h = head.load(ordering: .relaxed)
        var free = capacity - (h - cachedTail)
        if free < batch.count {
            cachedTail = tailWord.load(ordering: .acquiring) >> 1
            free = capacity - (h - cachedTail)
        }
        while free < batch.count {
            let need = batch.count - free
            let (dropped, original) = tailWord.compareExchange(
                expected: cachedTail << 1, desired: (cachedTail + need) << 1, ordering: .acquiringAndReleasing)
            if dropped {
                // These slots are ours now: the consumer will find its position moved on.
                reportDroppedSlots(cachedTail..<(cachedTail + need))
                cachedTail += need
                free += need
                break
            }
            cachedTail = original >> 1
            free = capacity - (h - cachedTail)
            if original & 1 == 1 && free < batch.count {
                // The consumer is reading the oldest slots; drop the oldest of the new frames instead.
                let skip = batch.count - free
                reportHostOverrun(batch.slice(0..<skip))
                batch = batch.slice(skip..<batch.count)
            }
        }
        copyIn(batch, range: 0..<batch.count, at: h)
        head.store(h + batch.count, ordering: .releasing)
    }

    /// Single-frame write for a ``OverflowPolicy/lossless`` ring. Returns false when full.
    @inline(__always)
    public func tryWrite(index: UInt64, deviceTimeNs: UInt64, values frameValues: UnsafeBufferPointer<Int32>) -> Bool {
        let h = head.load(ordering: .relaxed)
        if h - cachedTail == capacity {
            cachedTail = tailWord.load(ordering: .acquiring) >> 1
            if h - cachedTail == capacity { return false }
        }
        let slot = h & mask
        indices[slot] = index
        times[slot] = deviceTimeNs
        (values + slot * channelCount).update(from: frameValues.baseAddress!, count: channelCount)
        head.store(h + 1, ordering: .releasing)
        return true
    }

    /// Counts the frames of `span` as lost to host overrun and queues their ``Gap`` records for the
    /// consumer (one per run of consecutive indices).
    public func reportHostOverrun(_ span: FrameSpan) {
        guard !span.isEmpty else { return }
        reportRuns(count: span.count) { span.indices[$0] }
    }

    private func reportDroppedSlots(_ positions: Range<Int>) {
        let base = positions.lowerBound
        reportRuns(count: positions.count) { indices[(base + $0) & mask] }
    }

    private func reportRuns(count: Int, index: (Int) -> UInt64) {
        var runStart = index(0)
        var runLength: UInt64 = 1
        for i in stride(from: 1, to: count, by: 1) {
            let next = index(i)
            if next == runStart &+ runLength {
                runLength += 1
            } else {
                pushGap(Gap(firstMissingIndex: runStart, count: runLength, cause: .hostOverrun))
                runStart = next
                runLength = 1
            }
        }
        pushGap(Gap(firstMissingIndex: runStart, count: runLength, cause: .hostOverrun))
        hostOverrunSamples.add(UInt64(count), ordering: .releasing)
    }

    private func pushGap(_ gap: Gap) {
        if !gaps.push(gap) { lostGapRecords.add(1, ordering: .releasing) }
    }

    @inline(__always)
    private func copyIn(_ span: FrameSpan, range: Range<Int>, at position: Int) {
        var source = range.lowerBound
        var remaining = range.count
        var slot = position & mask
        while remaining > 0 {
            let run = min(remaining, capacity - slot)
            (indices + slot).update(from: span.indices.baseAddress! + source, count: run)
            (times + slot).update(from: span.deviceTimesNs.baseAddress! + source, count: run)
            (values + slot * channelCount).update(
                from: span.values.baseAddress! + source * channelCount, count: run * channelCount)
            source += run
            remaining -= run
            slot = 0
        }
    }

    // MARK: Consumer side (one thread)

    /// Hands `body` everything published and unread (one span, or two at the wrap) and releases the
    /// first `body`'s-return-value frames. Returns how many were consumed.
    @discardableResult
    public func read(_ body: (FrameSpans) throws -> Int) rethrows -> Int {
        let position = claim()
        let h = head.load(ordering: .acquiring)
        cachedHead = h
        let available = h - position
        // The backlog peaks just before the consumer catches up, which is when it reads.
        if available > highWater.load(ordering: .relaxed) { highWater.store(available, ordering: .relaxed) }
        let start = position & mask
        let firstCount = min(available, capacity - start)
        let spans = FrameSpans(
            first: span(slot: start, count: firstCount),
            second: span(slot: 0, count: available - firstCount))
        var consumed = 0
        defer { release(position + consumed) }
        consumed = try body(spans)
        precondition(consumed >= 0 && consumed <= available, "consumed more frames than were handed out")
        return consumed
    }

    /// Single-frame read. Returns false when nothing is published.
    @inline(__always)
    public func tryRead(_ body: (UInt64, UInt64, UnsafeBufferPointer<Int32>) -> Void) -> Bool {
        let position = claim()
        if position >= cachedHead {
            cachedHead = head.load(ordering: .acquiring)
            if position == cachedHead {
                release(position)
                return false
            }
        }
        let slot = position & mask
        body(indices[slot], times[slot], UnsafeBufferPointer(start: values + slot * channelCount, count: channelCount))
        release(position + 1)
        return true
    }

    /// Frames published and not yet read, as seen by the consumer.
    public func consumerAvailableCount() -> Int {
        let position = tailWord.load(ordering: .acquiring) >> 1
        return head.load(ordering: .acquiring) - position
    }

    /// The next ``Gap`` the producer reported, oldest first. A gap is queued before the frames that
    /// follow it are published, so after a read every gap preceding the frames read is available here.
    public func popGap() -> Gap? { gaps.pop() }

    /// Exact number of samples this consumer lost to host overrun so far.
    public var hostOverrunSampleCount: UInt64 { hostOverrunSamples.load(ordering: .acquiring) }

    /// The largest backlog a batch ``read(_:)`` found: how close this consumer came to the ring's capacity.
    public var highWaterFrameCount: Int { highWater.load(ordering: .relaxed) }

    /// Gap records that did not fit in the gap queue (their samples are still in ``hostOverrunSampleCount``).
    public var lostGapRecordCount: UInt64 { lostGapRecords.load(ordering: .acquiring) }

    @inline(__always)
    private func claim() -> Int {
        switch policy {
        case .lossless:
            return consumerPosition
        case .keepNewest:
            var word = tailWord.load(ordering: .relaxed)
            while true {
                let (claimed, original) = tailWord.compareExchange(
                    expected: word, desired: word | 1, ordering: .acquiringAndReleasing)
                if claimed { break }
                word = original
            }
            consumerPosition = word >> 1
            return consumerPosition
        }
    }

    @inline(__always)
    private func release(_ newPosition: Int) {
        consumerPosition = newPosition
        tailWord.store(newPosition << 1, ordering: .releasing)
    }

    private func span(slot: Int, count: Int) -> FrameSpan {
        FrameSpan(
            indices: UnsafeBufferPointer(start: indices + slot, count: count),
            deviceTimesNs: UnsafeBufferPointer(start: times + slot, count: count),
            values: UnsafeBufferPointer(start: values + slot * channelCount, count: count * channelCount),
            channelCount: channelCount)
    }
}
