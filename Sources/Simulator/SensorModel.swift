import MWP

/// The hidden truth behind a simulated channel: physical input → raw ADC counts.
///
/// Calibration is tested against this: a technician's fit should recover `offsetCounts`, `gainCountsPerUnit` and
/// `quadraticCountsPerUnit2` within the stated uncertainty, without ever reading them.
public struct SensorModel: Sendable, Equatable {
    public var offsetCounts: Double
    public var gainCountsPerUnit: Double
    /// Mild non-linearity (counts per unit²).
    public var quadraticCountsPerUnit2: Double
    /// Standard deviation of the ADC noise, in counts.
    public var noiseCounts: Double
    public var rawMin: Int32
    public var rawMax: Int32

    public init(
        offsetCounts: Double, gainCountsPerUnit: Double, quadraticCountsPerUnit2: Double = 0,
        noiseCounts: Double, rawMin: Int32, rawMax: Int32
    ) {
        self.offsetCounts = offsetCounts
        self.gainCountsPerUnit = gainCountsPerUnit
        self.quadraticCountsPerUnit2 = quadraticCountsPerUnit2
        self.noiseCounts = noiseCounts
        self.rawMin = rawMin
        self.rawMax = rawMax
    }

    /// Raw counts for a physical input, with `gaussian` a standard normal deviate; clipped like a real ADC.
    public func raw(physical x: Double, gaussian: Double) -> Int32 {
        let counts = offsetCounts + gainCountsPerUnit * x + quadraticCountsPerUnit2 * x * x + noiseCounts * gaussian
        let rounded = counts.rounded()
        if rounded <= Double(rawMin) { return rawMin }
        if rounded >= Double(rawMax) { return rawMax }
        return Int32(rounded)
    }

    /// The linear inverse a factory calibration would store: value ≈ (raw − offset) / gain.
    public var factoryCalibration: (c0: Double, c1: Double) {
        (-offsetCounts / gainCountsPerUnit, 1 / gainCountsPerUnit)
    }
}

/// Counter-based noise: the deviate for (seed, channel, index) never depends on timing or on what was drawn
/// before, so a test can recompute exactly what any sample must be.
public enum DeterministicNoise {
    public static func gaussian(seed: UInt64, channel: Int, index: UInt64, stream: UInt64 = 0) -> Double {
        let a = uniform(mix(seed ^ (UInt64(channel) &* 0x9E37_79B9_7F4A_7C15) ^ (stream << 32), index, 1))
        let b = uniform(mix(seed ^ (UInt64(channel) &* 0x9E37_79B9_7F4A_7C15) ^ (stream << 32), index, 2))
        // Box–Muller; `a` is in (0, 1] so the log is finite.
        return (-2 * log(a)).squareRoot() * cos(2 * .pi * b)
    }

    static func uniform(_ x: UInt64) -> Double { (Double(x >> 11) + 1) / 9_007_199_254_740_992.0 }

    static func mix(_ seed: UInt64, _ index: UInt64, _ salt: UInt64) -> UInt64 {
        var z = seed &+ index &* 0xD1B5_4A32_D192_ED03 &+ salt &* 0x8CB9_2BA7_2F3D_8DD7
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
