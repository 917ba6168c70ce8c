#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Butterworth filters designed the way scipy's `butter(order, Wn, btype, output='sos', fs=rate)` does:
/// analog prototype poles on the unit circle, band edges prewarped (tan) so the digital cutoffs land
/// exactly where asked, low-pass→{low,high,band}-pass transform, bilinear transform, then
/// second-order sections paired like `zpk2sos`. A band-pass of order N has 2N poles (N sections).
public enum Butterworth {
    public enum Response: Sendable, Hashable, Codable {
        case lowpass(cutoff: Double)
        case highpass(cutoff: Double)
        case bandpass(low: Double, high: Double)
    }

    public static let orders = 1...8

    public static func sections(order: Int, response: Response, sampleRate: Double) throws(FilterDesignError)
        -> [SecondOrderSection]
    {
        guard orders.contains(order) else { throw .orderOutOfRange(order) }
        guard sampleRate > 0 else { throw .sampleRateNotPositive(sampleRate) }
        let nyquist = sampleRate / 2
        func check(_ f: Double) throws(FilterDesignError) {
            guard f > 0 else { throw .cutoffNotPositive(f) }
            guard f < nyquist else { throw .cutoffAtOrAboveNyquist(cutoff: f, nyquist: nyquist) }
        }
        // Prewarp on scipy's normalised scale (fs = 2): Wn = f / nyquist, warped = 4·tan(π·Wn / 2).
        func warp(_ f: Double) -> Double { 4 * tan(Double.pi * (f / nyquist) / 2) }

        let prototype = analogPrototypePoles(order: order)
        var zeros: [Complex] = []
        var poles: [Complex]
        var gain: Double
        switch response {
        case .lowpass(let cutoff):
            try check(cutoff)
            let w = warp(cutoff)
            poles = prototype.map { $0 * w }
            gain = pow(w, Double(order))
        case .highpass(let cutoff):
            try check(cutoff)
            let w = warp(cutoff)
            poles = prototype.map { Complex(w) / $0 }
            zeros = Array(repeating: Complex(0), count: order)
            gain = (Complex(1) / prototype.reduce(Complex(1)) { $0 * -$1 }).re
        case .bandpass(let low, let high):
            try check(low)
            try check(high)
            guard low < high else { throw .bandEdgesNotIncreasing(low: low, high: high) }
            let w1 = warp(low)
            let w2 = warp(high)
            let bandwidth = w2 - w1
            let center = (w1 * w2).squareRoot()
            let scaled = prototype.map { $0 * (bandwidth / 2) }
            let shift = scaled.map { ($0 * $0 - Complex(center * center)).squareRoot }
            poles = zip(scaled, shift).map { $0 + $1 } + zip(scaled, shift).map { $0 - $1 }
            zeros = Array(repeating: Complex(0), count: order)
            gain = pow(bandwidth, Double(order))
        }
        return bilinear(ZerosPolesGain(zeros: zeros, poles: poles, gain: gain)).secondOrderSections()
    }

    /// Poles of the order-N analog prototype with unit cutoff: −exp(iπm/2N), m = −N+1, −N+3, …, N−1.
    static func analogPrototypePoles(order: Int) -> [Complex] {
        stride(from: -order + 1, through: order - 1, by: 2).map { m in
            let theta = Double.pi * Double(m) / Double(2 * order)
            return m == 0 ? Complex(-1) : Complex(-cos(theta), -sin(theta))
        }
    }

    /// Bilinear transform at scipy's normalised rate (fs = 2, so 2·fs = 4); zeros at infinity go to −1.
    static func bilinear(_ analog: ZerosPolesGain) -> ZerosPolesGain {
        let four = Complex(4)
        let degree = analog.poles.count - analog.zeros.count
        let zeros = analog.zeros.map { (four + $0) / (four - $0) } + Array(repeating: Complex(-1), count: degree)
        let poles = analog.poles.map { (four + $0) / (four - $0) }
        let numerator = analog.zeros.reduce(Complex(1)) { $0 * (four - $1) }
        let denominator = analog.poles.reduce(Complex(1)) { $0 * (four - $1) }
        return ZerosPolesGain(zeros: zeros, poles: poles, gain: analog.gain * (numerator / denominator).re)
    }
}
