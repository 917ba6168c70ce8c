#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A second-order IIR notch, designed as scipy's `iirnotch(w0, Q, fs)`: zeros on the unit circle at the
/// notch frequency, −3 dB bandwidth `frequency / quality`.
public enum Notch {
    /// Q = 30: at 50 Hz the −3 dB band is 1.67 Hz wide (60 Hz: 2 Hz), narrow enough to leave
    /// neighbouring physiology and mechanics alone, wide enough to tolerate mains frequency wander
    /// of about ±0.5 %.
    public static let defaultQuality = 30.0

    public static func section(frequency: Double, quality: Double = defaultQuality, sampleRate: Double)
        throws(FilterDesignError) -> SecondOrderSection
    {
        guard sampleRate > 0 else { throw .sampleRateNotPositive(sampleRate) }
        guard frequency > 0 else { throw .cutoffNotPositive(frequency) }
        guard frequency < sampleRate / 2 else {
            throw .cutoffAtOrAboveNyquist(cutoff: frequency, nyquist: sampleRate / 2)
        }
        guard quality > 0 else { throw .qualityNotPositive(quality) }
        let w0 = 2 * frequency / sampleRate
        let bandwidth = (w0 / quality) * Double.pi
        let omega = w0 * Double.pi
        // At the −3 dB band edges (gain 1/√2) scipy's β = √(1−gb²)/gb · tan(bw/2) reduces to tan(bw/2).
        let beta = tan(bandwidth / 2)
        let g = 1 / (1 + beta)
        return SecondOrderSection(
            b0: g, b1: -2 * g * cos(omega), b2: g,
            a1: -2 * g * cos(omega), a2: 2 * g - 1)
    }
}
