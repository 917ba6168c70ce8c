/// Marks the sample indices where one channel meets a condition, with hysteresis and hold-off so that
/// noise around the level does not fire a burst. State (armed, previous side of the level, hold-off left)
/// is carried across chunks, so marks never depend on chunk boundaries.
public struct Trigger: Sendable {
    public enum Condition: Sendable, Hashable, Codable {
        /// Crossing from below `level` to at or above it.
        case risingEdge
        /// Crossing from at or above `level` to below it.
        case fallingEdge
        /// Being at or above `level`: fires on the first sample of the stream if it already is, and again
        /// each time the signal returns after dropping below `level − hysteresis`.
        case levelAbove
        /// Being below `level` (mirror of `levelAbove`).
        case levelBelow
    }

    public let channel: Int
    public let condition: Condition
    public let level: Double
    /// Distance the signal must move back past the level before the trigger re-arms.
    public let hysteresis: Double
    /// Samples after a mark during which no new mark is made.
    public let holdoff: UInt64

    private var armed = true
    private var previousAbove: Bool?
    private var holdoffLeft: UInt64 = 0

    public init(channel: Int, condition: Condition, level: Double, hysteresis: Double = 0, holdoff: UInt64 = 0) {
        precondition(channel >= 0 && hysteresis >= 0, "channel and hysteresis are non-negative")
        self.channel = channel
        self.condition = condition
        self.level = level
        self.hysteresis = hysteresis
        self.holdoff = holdoff
    }

    /// Examines `frameCount` interleaved frames whose first has sample index `firstIndex`; calls `mark`
    /// with the index of each triggering sample.
    public mutating func process(
        _ samples: UnsafePointer<Double>, frameCount: Int, channelCount: Int, firstIndex: UInt64,
        mark: (UInt64) -> Void
    ) {
        precondition(channel < channelCount, "trigger channel out of range")
        for offset in 0..<frameCount {
            let x = samples[offset * channelCount + channel]
            let above = x >= level
            let rising: Bool
            switch condition {
            case .risingEdge, .levelAbove:
                if !armed && x < level - hysteresis { armed = true }
                let entered = condition == .levelAbove ? (previousAbove != true && above) : (previousAbove == false && above)
                rising = armed && entered
            case .fallingEdge, .levelBelow:
                if !armed && x >= level + hysteresis { armed = true }
                let entered = condition == .levelBelow ? (previousAbove != false && !above) : (previousAbove == true && !above)
                rising = armed && entered
            }
            previousAbove = above
            if holdoffLeft > 0 {
                holdoffLeft -= 1
                continue
            }
            if rising {
                mark(firstIndex + UInt64(offset))
                armed = hysteresis == 0
                holdoffLeft = holdoff
            }
        }
    }
}
