// mk/fuzz.mk compiles MWP and the model into one module for libFuzzer, where there is no model to import.
#if !MWP_FUZZ_SINGLE_MODULE
import MosquitoModel
#endif

/// A channel's polynomial from raw counts r to physical units: value = c0 + c1·r + c2·r² + c3·r³.
public struct CalibrationRecord: Sendable, Equatable, Codable {
    public var channel: UInt8
    /// 0–3: coefficients above the degree are carried but must be zero.
    public var degree: UInt8
    public var coefficients: [Double]
    /// Unix seconds, UTC.
    public var calibratedAt: UInt64
    public var technician: String

    public static let wireLength = 1 + 1 + 4 * 8 + 8 + 16

    public init(channel: UInt8, degree: UInt8, coefficients: [Double], calibratedAt: UInt64, technician: String) {
        self.channel = channel
        self.degree = degree
        var c = Array(coefficients.prefix(4))
        c.append(contentsOf: repeatElement(0, count: 4 - c.count))
        self.coefficients = c
        self.calibratedAt = calibratedAt
        self.technician = technician
    }

    /// Identity transfer: raw counts pass through unchanged (what an uncalibrated channel reports).
    public static func identity(channel: UInt8) -> CalibrationRecord {
        CalibrationRecord(channel: channel, degree: 1, coefficients: [0, 1, 0, 0], calibratedAt: 0, technician: "")
    }

    /// The transfer function this record holds.
    public var polynomial: CalibrationPolynomial { CalibrationPolynomial(coefficients: coefficients) }

    public func value(raw: Int32) -> Double { polynomial.value(raw: raw) }

    public func validate() throws(MessageError) {
        guard degree <= 3 else { throw .invalidValue("calibration degree \(degree) is above 3") }
        guard coefficients.count == 4, coefficients.allSatisfy(\.isFinite) else {
            throw .invalidValue("calibration coefficients must be four finite numbers")
        }
        try FixedString.validate(technician, width: 16, field: "technician")
    }

    public func encode(into w: inout WireWriter) {
        w.u8(channel)
        w.u8(degree)
        for c in coefficients { w.f64(c) }
        w.u64(calibratedAt)
        w.fixedString(technician, width: 16)
    }

    public static func decode(_ r: inout WireReader) throws(MessageError) -> CalibrationRecord {
        let channel = try r.u8()
        let degree = try r.u8()
        guard degree <= 3 else { throw .invalidValue("calibration degree \(degree) is above 3") }
        let c = [try r.f64(), try r.f64(), try r.f64(), try r.f64()]
        guard c.allSatisfy(\.isFinite) else { throw .invalidValue("calibration coefficients must be finite") }
        let at = try r.u64()
        let technician = try r.fixedString(width: 16, field: "technician")
        return CalibrationRecord(channel: channel, degree: degree, coefficients: c, calibratedAt: at, technician: technician)
    }
}
