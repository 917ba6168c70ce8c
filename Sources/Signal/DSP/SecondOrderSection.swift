#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One biquad, H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²): a row of scipy's `sos` array
/// with `a0` normalised to 1.
public struct SecondOrderSection: Sendable, Hashable, Codable {
    public var b0: Double, b1: Double, b2: Double
    public var a1: Double, a2: Double

    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0
        self.b1 = b1
        self.b2 = b2
        self.a1 = a1
        self.a2 = a2
    }

    /// scipy's row order: b0 b1 b2 a0 a1 a2.
    public var scipyRow: [Double] { [b0, b1, b2, 1, a1, a2] }

    /// Magnitude of the frequency response at `frequency` for a stream sampled at `sampleRate`.
    public func gain(atFrequency frequency: Double, sampleRate: Double) -> Double {
        let w = 2 * Double.pi * frequency / sampleRate
        let z1 = Complex(cos(w), -sin(w))
        let z2 = z1 * z1
        let numerator = Complex(b0) + z1 * b1 + z2 * b2
        let denominator = Complex(1) + z1 * a1 + z2 * a2
        return (numerator / denominator).magnitude
    }
}

/// Overall gain of a cascade at one frequency.
public func cascadeGain(_ sections: [SecondOrderSection], atFrequency frequency: Double, sampleRate: Double) -> Double {
    sections.reduce(1) { $0 * $1.gain(atFrequency: frequency, sampleRate: sampleRate) }
}
