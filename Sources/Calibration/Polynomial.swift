import MosquitoModel

/// A fitted polynomial in ascending powers, value = c0 + c1·x + c2·x² + c3·x³: as many coefficients as its degree
/// needs (a report prints exactly those), evaluated by the one calibration evaluator.
public struct Polynomial: Sendable, Equatable, Codable {
    public var coefficients: [Double]

    public init(_ coefficients: [Double]) { self.coefficients = coefficients }

    public var degree: Int { coefficients.count - 1 }

    public func value(at x: Double) -> Double { CalibrationPolynomial(coefficients: coefficients).value(at: x) }

    /// dy/dx: turns a spread in raw counts into a spread in physical units.
    public func slope(at x: Double) -> Double {
        var s = 0.0
        for (k, c) in coefficients.enumerated().dropFirst().reversed() { s = s * x + Double(k) * c }
        return s
    }
}
