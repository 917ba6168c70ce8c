/// A channel's transfer function from raw ADC counts to physical units,
/// value = c0 + c1·r + c2·r² + c3·r³ (the MWP/1 calibration record; unused terms are 0).
public struct CalibrationPolynomial: Sendable, Hashable, Codable {
    public var c0: Double, c1: Double, c2: Double, c3: Double

    public init(c0: Double, c1: Double = 0, c2: Double = 0, c3: Double = 0) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
        self.c3 = c3
    }

    /// Raw counts unchanged (for `--raw`, or a channel without calibration).
    public static let identity = CalibrationPolynomial(c0: 0, c1: 1)

    /// Evaluated in Horner form: fewer roundings than the power sum, and the same for every chunking.
    @inline(__always)
    public func value(raw: Int32) -> Double {
        let r = Double(raw)
        return c0 + r * (c1 + r * (c2 + r * c3))
    }
}

/// Converts interleaved raw frames to physical units, one polynomial per channel. Stateless, so any
/// chunking gives the same output; never allocates after `init`.
public struct Calibrator: Sendable {
    public let polynomials: [CalibrationPolynomial]

    public init(polynomials: [CalibrationPolynomial]) {
        precondition(!polynomials.isEmpty, "calibrate at least one channel")
        self.polynomials = polynomials
    }

    public var channelCount: Int { polynomials.count }

    public func process(raw: UnsafeBufferPointer<Int32>, into output: UnsafeMutablePointer<Double>) {
        let channels = polynomials.count
        precondition(raw.count % channels == 0, "whole frames only")
        polynomials.withUnsafeBufferPointer { poly in
            var i = 0
            while i < raw.count {
                for ch in 0..<channels {
                    output[i + ch] = poly[ch].value(raw: raw[i + ch])
                }
                i += channels
            }
        }
    }
}
