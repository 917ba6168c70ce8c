/// The standard the technician applies (dead-weight tester, calibrator, reference thermometer), as its own
/// certificate states it: an ID and an expanded uncertainty U (k = 2) in the channel's physical unit.
public struct ReferenceStandard: Sendable, Equatable, Codable {
    public var id: String
    public var expandedUncertainty: Double

    public init(id: String, expandedUncertainty: Double) {
        self.id = id
        self.expandedUncertainty = expandedUncertainty
    }

    /// Parses `ID:U`, e.g. `DWT-0042:0.02`.
    public init(parsing text: String) throws(CalibrationError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw .badInput("--reference must be ID:UNCERTAINTY (expanded, k=2, in the channel's unit), e.g. DWT-0042:0.02; got '\(text)'")
        }
        let id = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
        let u = String(text[text.index(after: colon)...])
        guard !id.isEmpty else { throw .badInput("--reference '\(text)' has an empty ID") }
        guard let value = Double(u), value.isFinite, value > 0 else {
            throw .badInput("--reference '\(text)': uncertainty '\(u)' must be a positive number")
        }
        self.init(id: id, expandedUncertainty: value)
    }

    /// Standard uncertainty (k = 1).
    public var standardUncertainty: Double { expandedUncertainty / 2 }
}

/// How far an indication may be from the reference: a fraction of full scale or a fixed amount.
public enum Tolerance: Sendable, Equatable, Codable, CustomStringConvertible {
    case percentOfFullScale(Double)
    case absolute(Double)

    /// `0.1%` (of full scale) or `0.05` (in the channel's unit).
    public init(parsing text: String) throws(CalibrationError) {
        let percent = text.hasSuffix("%")
        let number = percent ? String(text.dropLast()) : text
        guard let v = Double(number), v.isFinite, v > 0 else {
            throw .badInput("--tolerance must be a positive number, optionally with %, e.g. 0.1% or 0.05; got '\(text)'")
        }
        self = percent ? .percentOfFullScale(v) : .absolute(v)
    }

    public func limit(fullScale: Double) -> Double {
        switch self {
        case .percentOfFullScale(let p): p / 100 * fullScale
        case .absolute(let a): a
        }
    }

    public var description: String {
        switch self {
        case .percentOfFullScale(let p): "\(p)% of full scale"
        case .absolute(let a): "±\(a)"
        }
    }
}

/// Full scale of a calibration: the span of the reference points (max − min), or their largest magnitude when
/// every point is the same value.
public func referenceFullScale(of references: [Double]) -> Double {
    guard let lo = references.min(), let hi = references.max() else { return 0 }
    return hi > lo ? hi - lo : abs(hi)
}
