import MosquitoModel

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
