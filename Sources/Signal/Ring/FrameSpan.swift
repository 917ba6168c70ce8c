/// A borrowed run of whole sample frames laid out contiguously: for frame `i`, its sample index is
/// `indices[i]`, its device time `deviceTimesNs[i]`, and its channel values are
/// `values[i * channelCount ..< (i + 1) * channelCount]` (sample-major, as MWP/1 SAMPLES carries them).
///
/// A span is only valid inside the closure that handed it out; it points into storage owned by a
/// ``FrameBuffer`` or a ``FrameRing``.
public struct FrameSpan {
    public let indices: UnsafeBufferPointer<UInt64>
    public let deviceTimesNs: UnsafeBufferPointer<UInt64>
    public let values: UnsafeBufferPointer<Int32>
    public let channelCount: Int

    public init(
        indices: UnsafeBufferPointer<UInt64>,
        deviceTimesNs: UnsafeBufferPointer<UInt64>,
        values: UnsafeBufferPointer<Int32>,
        channelCount: Int
    ) {
        precondition(indices.count == deviceTimesNs.count, "one device time per frame")
        precondition(values.count == indices.count * channelCount, "channelCount values per frame")
        self.indices = indices
        self.deviceTimesNs = deviceTimesNs
        self.values = values
        self.channelCount = channelCount
    }

    public var count: Int { indices.count }
    public var isEmpty: Bool { indices.isEmpty }

    /// The frames `range` of this span (no copy).
    public func slice(_ range: Range<Int>) -> FrameSpan {
        FrameSpan(
            indices: UnsafeBufferPointer(rebasing: indices[range]),
            deviceTimesNs: UnsafeBufferPointer(rebasing: deviceTimesNs[range]),
            values: UnsafeBufferPointer(
                rebasing: values[(range.lowerBound * channelCount)..<(range.upperBound * channelCount)]),
            channelCount: channelCount
        )
    }

    /// Channel values of frame `frame`.
    public func values(ofFrame frame: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(rebasing: values[(frame * channelCount)..<((frame + 1) * channelCount)])
    }

    static func empty(channelCount: Int) -> FrameSpan {
        FrameSpan(
            indices: UnsafeBufferPointer(start: nil, count: 0),
            deviceTimesNs: UnsafeBufferPointer(start: nil, count: 0),
            values: UnsafeBufferPointer(start: nil, count: 0),
            channelCount: channelCount
        )
    }
}

/// What a consumer is handed in one read: everything published, as one contiguous span or, when the
/// published region wraps around the end of the ring's storage, two (`first` is older than `second`).
public struct FrameSpans {
    public let first: FrameSpan
    public let second: FrameSpan

    public var count: Int { first.count + second.count }
    public var isEmpty: Bool { count == 0 }

    /// The newest frame's device time: what a reader claims host times through (``ClockTimeline``).
    public var lastDeviceTimeNs: UInt64? {
        let newest = second.isEmpty ? first : second
        return newest.isEmpty ? nil : newest.deviceTimesNs[newest.count - 1]
    }

    /// Calls `body` with each non-empty span, oldest first.
    public func forEach(_ body: (FrameSpan) throws -> Void) rethrows {
        if !first.isEmpty { try body(first) }
        if !second.isEmpty { try body(second) }
    }
}
