/// Owned, preallocated storage for a batch of sample frames: what the producer fills from one decoded
/// SAMPLES frame before publishing it. Appending never allocates; it traps past `capacity`.
public final class FrameBuffer {
    public let capacity: Int
    public let channelCount: Int
    public private(set) var count: Int = 0

    private let indices: UnsafeMutablePointer<UInt64>
    private let times: UnsafeMutablePointer<UInt64>
    private let values: UnsafeMutablePointer<Int32>
    private let columns: FrameColumns

    public init(capacity: Int, channelCount: Int) {
        precondition(capacity > 0 && channelCount > 0, "a frame buffer holds at least one frame of one channel")
        self.capacity = capacity
        self.channelCount = channelCount
        columns = FrameColumns(capacity: capacity, channelCount: channelCount)
        (indices, times, values) = (columns.indices, columns.times, columns.values)
    }

    deinit { columns.deallocate() }

    public var isFull: Bool { count == capacity }

    public func removeAll() { count = 0 }

    /// Appends one frame; `frameValues` must hold exactly `channelCount` values.
    public func append(index: UInt64, deviceTimeNs: UInt64, values frameValues: UnsafeBufferPointer<Int32>) {
        precondition(count < capacity, "FrameBuffer is full")
        precondition(frameValues.count == channelCount, "a frame has exactly channelCount values")
        indices[count] = index
        times[count] = deviceTimeNs
        (values + count * channelCount).update(from: frameValues.baseAddress!, count: channelCount)
        count += 1
    }

    /// Appends a whole device block (one MWP/1 SAMPLES payload): `sampleCount` frames starting at
    /// `firstIndex`, sample-major `raw` values, each frame's device time derived from the block's
    /// device time and the sampling rate (``SampleClock``), never from a host timestamp.
    public func appendBlock(
        firstIndex: UInt64,
        clock: SampleClock,
        blockDeviceTimeUs: UInt64,
        raw: UnsafeBufferPointer<Int32>
    ) {
        precondition(raw.count % channelCount == 0, "raw values are whole frames")
        let frames = raw.count / channelCount
        precondition(count + frames <= capacity, "FrameBuffer too small for this block")
        for i in 0..<frames {
            indices[count + i] = firstIndex &+ UInt64(i)
            times[count + i] = clock.deviceTimeNs(blockDeviceTimeUs: blockDeviceTimeUs, offsetInBlock: i)
        }
        if frames > 0 {
            (values + count * channelCount).update(from: raw.baseAddress!, count: raw.count)
        }
        count += frames
    }

    /// The frames appended so far, valid until the next mutation.
    public func withSpan<R>(_ body: (FrameSpan) throws -> R) rethrows -> R {
        try body(
            FrameSpan(
                indices: UnsafeBufferPointer(start: indices, count: count),
                deviceTimesNs: UnsafeBufferPointer(start: times, count: count),
                values: UnsafeBufferPointer(start: values, count: count * channelCount),
                channelCount: channelCount
            ))
    }
}
