import MWP
import MosquitoModel

/// How a measured error becomes pass or fail (ILAC-G8 terms), stated on every verification and certificate.
public enum DecisionRule: String, Sendable, Equatable, Codable, CaseIterable {
    /// Pass when every |error| ≤ tolerance; the uncertainty is reported but not subtracted (shared risk).
    case simple
    /// Pass when every |error| ≤ tolerance − U (guard band w = U): a pass is a pass with ≥ 95 % confidence.
    case guarded

    public var statement: String {
        switch self {
        case .simple:
            "Simple acceptance (ILAC-G8 §4.2.1, shared risk): pass when every |error| ≤ tolerance; the expanded uncertainty U (k=2) is reported and not deducted."
        case .guarded:
            "Guarded acceptance (ILAC-G8 §4.2.2, guard band w = U): pass when every |error| ≤ tolerance − U, where U is the expanded uncertainty (k=2)."
        }
    }

    public func acceptanceLimit(tolerance: Double, expandedUncertainty: Double) -> Double {
        switch self {
        case .simple: tolerance
        case .guarded: max(0, tolerance - expandedUncertainty)
        }
    }
}

/// An as-found check: reference points read through the calibration stored on the device. Nothing is changed.
public struct VerificationResult: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        public var point: CapturedPoint
        public var indicated: Double
        public var error: Double
        public var passed: Bool
    }

    public var channel: UInt8
    public var unit: String
    public var stored: CalibrationRecord
    public var rows: [Row]
    public var budget: UncertaintyBudget
    public var fullScale: Double
    public var tolerance: Tolerance
    public var decisionRule: DecisionRule
    public var reference: ReferenceStandard

    public var toleranceLimit: Double { tolerance.limit(fullScale: fullScale) }
    public var acceptanceLimit: Double {
        decisionRule.acceptanceLimit(tolerance: toleranceLimit, expandedUncertainty: budget.expandedUncertainty)
    }
    public var passed: Bool { rows.allSatisfy(\.passed) }
    public var maxError: Double { rows.map { abs($0.error) }.max() ?? 0 }
    public var maxErrorPercentFS: Double { fullScale > 0 ? 100 * maxError / fullScale : 0 }

    public static func analyze(
        points: [CapturedPoint], channel: UInt8, descriptor: ChannelDescriptor, stored: CalibrationRecord,
        reference: ReferenceStandard, tolerance: Tolerance, rule: DecisionRule
    ) throws(CalibrationError) -> VerificationResult {
        guard !points.isEmpty else { throw .badInput("a verification needs at least one reference point") }
        let transfer = Polynomial(stored.coefficients)
        let budget = UncertaintyBudget.build(
            reference: reference, points: points, transfer: transfer, residualStd: nil, residualDegreesOfFreedom: 0)
        let fs = referenceFullScale(of: points.map(\.reference))
        let limit = rule.acceptanceLimit(tolerance: tolerance.limit(fullScale: fs), expandedUncertainty: budget.expandedUncertainty)
        let rows = points.map { p in
            let v = transfer.value(at: p.meanRaw)
            return Row(point: p, indicated: v, error: v - p.reference, passed: abs(v - p.reference) <= limit)
        }
        return VerificationResult(
            channel: channel, unit: descriptor.unit, stored: stored, rows: rows, budget: budget, fullScale: fs,
            tolerance: tolerance, decisionRule: rule, reference: reference)
    }
}
