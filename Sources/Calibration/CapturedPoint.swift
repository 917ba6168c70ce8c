/// Which way the reference was moving when a point was taken: hysteresis is the difference between the two.
public enum Pass: String, Sendable, Codable, CaseIterable {
    case ascending
    case descending
}

/// One calibration point: the reference value applied and what the channel read, in raw counts.
public struct CapturedPoint: Sendable, Equatable, Codable {
    public var reference: Double
    public var pass: Pass
    public var meanRaw: Double
    /// Sample standard deviation of single raw readings (n − 1).
    public var stdRaw: Double
    public var count: Int
    /// Samples the link lost while this point was taken (index gaps); a point with losses is still valid,
    /// but the technician sees the number.
    public var samplesLost: UInt64

    public init(reference: Double, pass: Pass, meanRaw: Double, stdRaw: Double, count: Int, samplesLost: UInt64 = 0) {
        self.reference = reference
        self.pass = pass
        self.meanRaw = meanRaw
        self.stdRaw = stdRaw
        self.count = count
        self.samplesLost = samplesLost
    }
}
