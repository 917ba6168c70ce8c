/// A run of samples that will never be delivered, with the reason: loss accounting as data. The acquisition
/// declares them as it goes; a recording's gaps table holds them; an archive adds `network` ones.
public struct Gap: Sendable, Hashable, Codable {
    /// Sample index of the first missing sample.
    public var firstMissingIndex: UInt64
    /// Number of consecutive missing samples (at least 1 when the acquisition declares it; a gap read from a
    /// file says what the file says).
    public var count: UInt64
    public var cause: GapCause

    public init(firstMissingIndex: UInt64, count: UInt64, cause: GapCause) {
        self.firstMissingIndex = firstMissingIndex
        self.count = count
        self.cause = cause
    }

    /// One past the last missing index (saturating: a crafted file's gap may claim to reach past 2⁶⁴ − 1).
    public var endIndex: UInt64 { firstMissingIndex.addingSaturating(count) }
    public var missingIndices: Range<UInt64> { firstMissingIndex..<endIndex }
}

/// Why samples are missing. The raw value is the one spelling every file, JSON document and marker uses.
public enum GapCause: String, Sendable, Hashable, Codable, CaseIterable {
    /// `first_index` jumped with no other explanation: frames lost on the wire or in the transport.
    case transportGap = "transport_gap"
    /// Frames were discarded because their CRC did not match.
    case crcError = "crc_error"
    /// The device reported that its own buffer overran (STATUS bit 0 / `dropped_total`).
    case deviceOverrun = "device_overrun"
    /// The host could not keep up: a consumer's ring had no room.
    case hostOverrun = "host_overrun"
    /// Never reached an archive over the network (`mosquito archive`); the edge's own recording may hold them.
    case network = "network"
    /// Received, but not in the file: the recording's write failed (disk full, I/O error), the file went back to
    /// its last flush, and what came after it was discarded. Counted in a run's summary, never in a file's gaps
    /// table (the disk that would hold it just refused a write).
    case writeFailed = "write_failed"

    /// The causes an acquisition itself declares as gaps in the file (everything but `network` and `writeFailed`).
    public static let acquisition: [GapCause] = [.transportGap, .crcError, .deviceOverrun, .hostOverrun]

    /// Where `LossTotals` keeps this cause's count.
    var position: Int {
        // Every case is in `allCases`; a stored copy, so no array is built per lookup.
        GapCause.ordered.firstIndex(of: self)!
    }
    private static let ordered = allCases

    /// The case's name in Swift (`transportGap` for `transport_gap`): how `record --json` has always keyed it.
    var swiftName: String {
        let words = rawValue.split(separator: "_")
        return words.prefix(1).joined() + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
