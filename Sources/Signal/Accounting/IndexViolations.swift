/// SAMPLES frames that broke the index rule (each index at most once, in order, below 2⁶⁴ − 1), by what was
/// wrong. Counted and reported; the offending samples are never delivered.
public struct IndexViolations: Sendable, Hashable, Codable {
    /// Frames that began before the next expected index: sent again, rewound, or late after their indices
    /// had been declared lost. A correct device never sends one (MWP/1 section 8).
    public var duplicateFrames: UInt64 = 0
    /// Samples of those frames whose index was already accounted for (received, or declared lost): discarded.
    /// A frame that is only partly old delivers its new tail, which is not counted here.
    public var duplicateSamples: UInt64 = 0
    /// Frames refused whole because their indices would reach 2⁶⁴ − 1: a protocol error.
    public var overflowFrames: UInt64 = 0
    /// Samples in those frames.
    public var overflowSamples: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { self == IndexViolations() }
}
