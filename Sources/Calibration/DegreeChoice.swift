/// Which polynomial degree to fit: fixed by the technician, or chosen from the data.
public enum DegreeChoice: Sendable, Equatable, Codable, CustomStringConvertible {
    case auto
    case fixed(Int)

    public init(parsing text: String) throws(CalibrationError) {
        if text == "auto" { self = .auto; return }
        guard let d = Int(text), (1...3).contains(d) else { throw .badInput("--degree must be auto, 1, 2 or 3; got '\(text)'") }
        self = .fixed(d)
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .fixed(let d): "\(d)"
        }
    }

    /// The rule `auto` follows, printed with every result and on the certificate.
    public static let autoRule =
        "auto: of the degrees 1–3 with at least degree + 2 distinct reference points, the lowest whose every residual "
        + "is within the reference standard's expanded uncertainty; if none is, the one with the lowest corrected "
        + "Akaike information criterion (AICc) among those with enough points for it (n ≥ degree + 4); if none has, "
        + "the one with the smallest largest residual"

    /// The degrees fitted with `distinct` distinct reference values. `auto` tries a degree only with at least
    /// degree + 2 of them: with degree + 1 the fit passes through every value's mean, so its residuals (zero, or
    /// only the scatter of repeated points) cannot tell whether the degree is right, and it would always win. A
    /// degree the technician fixes needs only degree + 1: that is their call. Known from the plan, so a calibration
    /// that cannot be fitted is refused before anything is measured.
    public func degrees(distinctReferences distinct: Int) throws(CalibrationError) -> ClosedRange<Int> {
        switch self {
        case .fixed(let d):
            guard distinct >= d + 1 else {
                throw .badInput("a degree-\(d) fit needs at least \(d + 1) distinct reference points; there are \(distinct)")
            }
            return d...d
        case .auto:
            guard distinct >= 3 else {
                throw .badInput("--degree auto needs at least 3 distinct reference points (it tries a degree only with "
                                + "degree + 2 of them); there are \(distinct): add a point, or fix the degree with --degree 1")
            }
            return 1...min(3, distinct - 2)
        }
    }
}

/// One degree tried while choosing: how well it fits.
public struct DegreeCandidate: Sendable, Equatable, Codable {
    public var degree: Int
    public var polynomial: Polynomial
    public var residuals: [Double]
    public var maxAbsResidual: Double
    public var residualSumOfSquares: Double
    /// nil when there are too few points for the criterion (n ≤ p + 1).
    public var aicc: Double?
}

enum DegreeSelection {
    static func candidates(x: [Double], y: [Double], degrees: ClosedRange<Int>) throws(CalibrationError) -> [DegreeCandidate] {
        var out: [DegreeCandidate] = []
        for d in degrees {
            let poly = try LeastSquares.polynomialFit(x: x, y: y, degree: d)
            let residuals = zip(x, y).map { poly.value(at: $0) - $1 }
            let rss = residuals.reduce(0) { $0 + $1 * $1 }
            let n = Double(x.count)
            let k = Double(d + 2)  // coefficients plus the noise variance
            let aicc: Double? = n - k - 1 > 0 && rss > 0 ? n * Foundation.log(rss / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1) : nil
            out.append(DegreeCandidate(
                degree: d, polynomial: poly, residuals: residuals, maxAbsResidual: residuals.map(abs).max() ?? 0,
                residualSumOfSquares: rss, aicc: aicc))
        }
        return out
    }

    /// Returns the chosen candidate and a sentence saying why.
    static func choose(_ candidates: [DegreeCandidate], referenceU: Double) -> (DegreeCandidate, String) {
        if let c = candidates.first(where: { $0.maxAbsResidual <= referenceU }) {
            return (c, "degree \(c.degree): lowest degree with every residual (max \(fmt(c.maxAbsResidual))) within the reference U = \(fmt(referenceU))")
        }
        let scored = candidates.filter { $0.aicc != nil }
        if let best = scored.min(by: { $0.aicc! < $1.aicc! }) {
            return (best, "degree \(best.degree): no degree fits within the reference U = \(fmt(referenceU)); lowest AICc (\(fmt(best.aicc!)))")
        }
        let best = candidates.min(by: { $0.maxAbsResidual < $1.maxAbsResidual })!
        return (best, "degree \(best.degree): no degree fits within the reference U and too few points for AICc; smallest max residual")
    }
}

import Foundation
