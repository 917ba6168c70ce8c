/// A channel's transfer function from raw ADC counts to physical units,
/// value = c0 + c1·r + c2·r² + c3·r³ (the MWP/1 calibration record; unused terms are 0).
///
/// The one evaluator of a calibration: the device's record, the pipeline, the trigger, the archive and the
/// calibration fit all compute a value through `value(at:)`.
public struct CalibrationPolynomial: Sendable, Hashable, Codable {
    public var c0: Double, c1: Double, c2: Double, c3: Double

    @inlinable
    public init(c0: Double, c1: Double = 0, c2: Double = 0, c3: Double = 0) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
        self.c3 = c3
    }

    /// From ascending coefficients c0, c1, …: at most four; missing ones are 0.
    public init(coefficients: [Double]) {
        precondition(coefficients.count <= 4, "a calibration polynomial has degree 3 at most")
        let c = coefficients + repeatElement(0, count: 4 - coefficients.count)
        self.init(c0: c[0], c1: c[1], c2: c[2], c3: c[3])
    }

    /// Raw counts unchanged (for `--raw`, or a channel without calibration).
    public static let identity = CalibrationPolynomial(c0: 0, c1: 1)

    public var coefficients: [Double] { [c0, c1, c2, c3] }

    /// Inlinable: the pipeline's `Calibrator` calls it per value, from another module.
    @inlinable @inline(__always)
    public func value(raw: Int32) -> Double { value(at: Double(raw)) }

    /// Evaluated in Horner form: fewer roundings than the power sum, and the same for every chunking.
    @inlinable @inline(__always)
    public func value(at r: Double) -> Double {
        c0 + r * (c1 + r * (c2 + r * c3))
    }
}
