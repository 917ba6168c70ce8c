/// A run of samples that will never be delivered, with the reason: loss accounting as data.
public struct Gap: Sendable, Hashable, Codable {
    public enum Cause: String, Sendable, Hashable, Codable, CaseIterable {
        /// `first_index` jumped with no other explanation: frames lost on the wire or in the transport.
        case transportGap
        /// Frames were discarded because their CRC did not match.
        case crcError
        /// The device reported that its own buffer overran (STATUS bit 0 / `dropped_total`).
        case deviceOverrun
        /// The host could not keep up: a consumer's ring had no room.
        case hostOverrun
    }

    /// Sample index of the first missing sample.
    public var firstMissingIndex: UInt64
    /// Number of consecutive missing samples (at least 1).
    public var count: UInt64
    public var cause: Cause

    public init(firstMissingIndex: UInt64, count: UInt64, cause: Cause) {
        precondition(count > 0, "a gap misses at least one sample")
        self.firstMissingIndex = firstMissingIndex
        self.count = count
        self.cause = cause
    }

    /// One past the last missing index.
    public var endIndex: UInt64 { firstMissingIndex + count }
    public var missingIndices: Range<UInt64> { firstMissingIndex..<endIndex }
}
