import MWP
import MosquitoModel

/// One point's errors before and after: as-found with the device's stored calibration, as-left with the new fit.
public struct PointResult: Sendable, Equatable, Codable {
    public var point: CapturedPoint
    public var asFoundValue: Double
    public var asLeftValue: Double
    /// Standard deviation of a single indication at this point, in physical units.
    public var repeatability: Double
    public var asFoundError: Double { asFoundValue - point.reference }
    public var asLeftError: Double { asLeftValue - point.reference }
}

/// Ascending vs descending indication at one reference value.
public struct HysteresisRow: Sendable, Equatable, Codable {
    public var reference: Double
    public var ascending: Double
    public var descending: Double
    public var difference: Double { descending - ascending }
}

/// Everything a calibration concluded, before anything is written anywhere. Pure data.
public struct CalibrationResult: Sendable, Equatable, Codable {
    public var channel: UInt8
    public var unit: String
    public var degreeChoice: DegreeChoice
    public var degree: Int
    public var degreeReason: String
    public var polynomial: Polynomial
    public var candidates: [DegreeCandidate]
    public var points: [PointResult]
    public var hysteresis: [HysteresisRow]
    public var budget: UncertaintyBudget
    public var fullScale: Double
    public var tolerance: Tolerance
    public var asFound: CalibrationRecord
    public var reference: ReferenceStandard

    public var expandedUncertainty: Double { budget.expandedUncertainty }
    public var maxAsLeftError: Double { points.map { abs($0.asLeftError) }.max() ?? 0 }
    public var maxAsFoundError: Double { points.map { abs($0.asFoundError) }.max() ?? 0 }
    public var maxAsLeftErrorPercentFS: Double { fullScale > 0 ? 100 * maxAsLeftError / fullScale : 0 }
    public var maxAsFoundErrorPercentFS: Double { fullScale > 0 ? 100 * maxAsFoundError / fullScale : 0 }
    public var toleranceLimit: Double { tolerance.limit(fullScale: fullScale) }
    public var asFoundWithinTolerance: Bool { maxAsFoundError <= toleranceLimit }
    public var asLeftWithinTolerance: Bool { maxAsLeftError <= toleranceLimit }

    /// The record SET_CALIBRATION carries.
    public func record(calibratedAt: UInt64, technician: String) -> CalibrationRecord {
        CalibrationRecord(
            channel: channel, degree: UInt8(degree), coefficients: polynomial.coefficients,
            calibratedAt: calibratedAt, technician: technician)
    }
}

public enum CalibrationAnalysis {
    /// Fits raw → physical and judges the result; throws only when the points cannot support a fit.
    public static func analyze(
        points: [CapturedPoint], channel: UInt8, descriptor: ChannelDescriptor, degree choice: DegreeChoice,
        reference: ReferenceStandard, tolerance: Tolerance, asFound: CalibrationRecord
    ) throws(CalibrationError) -> CalibrationResult {
        let x = points.map(\.meanRaw)
        let y = points.map(\.reference)
        let degrees = try choice.degrees(distinctReferences: Set(y).count)
        let candidates = try DegreeSelection.candidates(x: x, y: y, degrees: degrees)
        let chosen: DegreeCandidate
        let reason: String
        if case .fixed(let d) = choice {
            chosen = candidates[0]
            reason = "degree \(d): fixed by the technician"
        } else {
            (chosen, reason) = DegreeSelection.choose(candidates, referenceU: reference.expandedUncertainty)
        }
        let poly = chosen.polynomial
        let found = Polynomial(asFound.coefficients)
        let results = points.map { p in
            PointResult(
                point: p, asFoundValue: found.value(at: p.meanRaw), asLeftValue: poly.value(at: p.meanRaw),
                repeatability: p.stdRaw * abs(poly.slope(at: p.meanRaw)))
        }
        // At least 1 when the degree was chosen (degree + 2 distinct values); 0 only for a fixed degree through
        // degree + 1 points, whose residuals then say nothing and leave the budget.
        let dof = points.count - (chosen.degree + 1)
        let residualStd: Double? = dof > 0 ? (chosen.residualSumOfSquares / Double(dof)).squareRoot() : nil
        let budget = UncertaintyBudget.build(
            reference: reference, points: points, transfer: poly, residualStd: residualStd, residualDegreesOfFreedom: dof)
        return CalibrationResult(
            channel: channel, unit: descriptor.unit, degreeChoice: choice, degree: chosen.degree, degreeReason: reason,
            polynomial: poly, candidates: candidates, points: results,
            hysteresis: hysteresis(results), budget: budget, fullScale: referenceFullScale(of: y), tolerance: tolerance,
            asFound: asFound, reference: reference)
    }

    /// Pairs each reference value's ascending and descending readings (means of repeats), in the new calibration.
    static func hysteresis(_ results: [PointResult]) -> [HysteresisRow] {
        var rows: [HysteresisRow] = []
        for ref in Set(results.map(\.point.reference)).sorted() {
            func mean(_ pass: Pass) -> Double? {
                let v = results.filter { $0.point.reference == ref && $0.point.pass == pass }.map(\.asLeftValue)
                return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
            }
            if let up = mean(.ascending), let down = mean(.descending) {
                rows.append(HysteresisRow(reference: ref, ascending: up, descending: down))
            }
        }
        return rows
    }
}
