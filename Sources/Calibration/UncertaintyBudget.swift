/// A GUM-style uncertainty budget: each component's standard uncertainty in the channel's physical unit,
/// combined in quadrature (components are taken as uncorrelated) and expanded with k = 2 (≈95 %).
public struct UncertaintyBudget: Sendable, Equatable, Codable {
    public struct Component: Sendable, Equatable, Codable {
        /// How a component's uncertainty was evaluated (GUM §4.2, §4.3); stored and printed as the letter.
        public enum Evaluation: String, Sendable, Codable {
            /// Statistics of this calibration's data.
            case typeA = "A"
            /// Other knowledge: certificates, resolution.
            case typeB = "B"
        }

        public var source: String
        public var evaluation: Evaluation
        public var distribution: String
        public var standardUncertainty: Double
        public var note: String
    }

    public var components: [Component]
    public var coverageFactor: Double = 2

    public var combinedStandardUncertainty: Double {
        components.reduce(0) { $0 + $1.standardUncertainty * $1.standardUncertainty }.squareRoot()
    }

    public var expandedUncertainty: Double { coverageFactor * combinedStandardUncertainty }

    /// Builds the budget for a calibration (with `fit`) or a verification (with the stored transfer function).
    ///
    /// Repeatability is that of a single indication (s of the raw readings, through the transfer function's slope):
    /// the calibrated channel is used one sample at a time, so that is the spread a user's reading carries. The
    /// worst point sets the component; every point's value is in the points table.
    static func build(
        reference: ReferenceStandard, points: [CapturedPoint], transfer: Polynomial, residualStd: Double?,
        residualDegreesOfFreedom: Int
    ) -> UncertaintyBudget {
        let repeatability = points.map { $0.stdRaw * abs(transfer.slope(at: $0.meanRaw)) }.max() ?? 0
        let maxSlope = points.map { abs(transfer.slope(at: $0.meanRaw)) }.max() ?? 0
        var components = [
            Component(
                source: "Reference standard \(reference.id)", evaluation: .typeB, distribution: "normal (k=2 certificate)",
                standardUncertainty: reference.standardUncertainty, note: "U=\(fmt(reference.expandedUncertainty)) / 2"),
            Component(
                source: "Repeatability (single indication)", evaluation: .typeA, distribution: "normal",
                standardUncertainty: repeatability, note: "largest per-point s × |dy/dr|"),
            Component(
                source: "ADC resolution (1 count)", evaluation: .typeB, distribution: "rectangular",
                standardUncertainty: maxSlope / 12.0.squareRoot(), note: "|dy/dr| / √12"),
        ]
        if let residualStd {
            components.append(Component(
                source: "Fit residuals", evaluation: .typeA, distribution: "normal",
                standardUncertainty: residualStd, note: "√(Σe²/(n−p)), ν=\(residualDegreesOfFreedom)"))
        }
        return UncertaintyBudget(components: components)
    }
}

func fmt(_ x: Double, _ digits: Int = 4) -> String {
    if x == 0 { return "0" }
    let a = abs(x)
    if a >= 1e-3 && a < 1e6 {
        let decimals = max(0, digits - 1 - Int((a.magnitudeLog10).rounded(.down)))
        return String(format: "%.\(min(decimals, 9))f", x)
    }
    return String(format: "%.\(digits - 1)e", x)
}

extension Double {
    var magnitudeLog10: Double { Foundation.log10(Swift.abs(self)) }
}

import Foundation
