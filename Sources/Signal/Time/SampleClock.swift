/// Device time of every sample, derived from its block's device time and the sampling rate, in integer
/// nanoseconds so that no rate loses precision: sample `k` of a block stamped `t` µs is at
/// `t·1000 + round(k·10⁹ / rate)` ns. Never one host timestamp per chunk.
public struct SampleClock: Sendable, Hashable, Codable {
    public let rateHz: UInt32

    public init(rateHz: UInt32) {
        precondition(rateHz > 0, "sampling rate must be positive")
        self.rateHz = rateHz
    }

    @inline(__always)
    public func deviceTimeNs(blockDeviceTimeUs: UInt64, offsetInBlock k: Int) -> UInt64 {
        let rate = UInt64(rateHz)
        return blockDeviceTimeUs &* 1000 &+ (UInt64(k) &* 1_000_000_000 &+ rate / 2) / rate
    }

    /// Sample period in nanoseconds (not rounded).
    public var periodNs: Double { 1e9 / Double(rateHz) }
}
