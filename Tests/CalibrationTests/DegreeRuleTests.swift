@testable import Calibration
import Foundation
import Testing

/// docs/calibration.md, "Degree rule": `auto` tries a degree only with at least degree + 2 distinct reference
/// points, so every degree it tries leaves a residual degree of freedom to judge it by.
@Suite struct DegreeRuleTests {
    @Test(arguments: [(2, nil), (3, 1...1), (4, 1...2), (5, 1...3), (9, 1...3)] as [(Int, ClosedRange<Int>?)])
    func autoTriesADegreeOnlyWithDegreePlusTwoDistinctPoints(distinct: Int, tried: ClosedRange<Int>?) {
        #expect((try? DegreeChoice.auto.degrees(distinctReferences: distinct)) == tried)
    }

    @Test func aFixedDegreeNeedsDegreePlusOne() throws {
        #expect(try DegreeChoice.fixed(2).degrees(distinctReferences: 3) == 2...2)
        #expect(throws: CalibrationError.badInput("a degree-2 fit needs at least 3 distinct reference points; there are 2")) {
            try DegreeChoice.fixed(2).degrees(distinctReferences: 2)
        }
        #expect(throws: CalibrationError.badInput(
            "--degree auto needs at least 3 distinct reference points (it tries a degree only with degree + 2 of them); "
            + "there are 2: add a point, or fix the degree with --degree 1")) {
            try DegreeChoice.auto.degrees(distinctReferences: 2)
        }
    }

    /// Three reference values, up and down (five points), on a curved sensor: a parabola would pass through the
    /// three means and "fit" with only the repeats' scatter left, so it is not tried; the line is chosen by AICc
    /// and its residuals keep their degrees of freedom in the budget.
    @Test func threeDistinctPointsDoNotChooseDegreeTwo() throws {
        let bench = try Bench(sensor: Bench.sensor(quadratic: 0.8))
        defer { bench.close() }
        let (result, plan) = try bench.calibrate(points: [0, 50, 100], tolerance: .percentOfFullScale(1))
        #expect(plan.sequence.count == 5)
        #expect(result.candidates.map(\.degree) == [1])
        #expect(result.degree == 1)
        let line = try #require(result.candidates.first)
        #expect(line.maxAbsResidual > result.reference.expandedUncertainty)  // the curvature shows
        #expect(result.degreeReason.hasPrefix("degree 1: no degree fits within the reference U"))
        #expect(result.degreeReason.contains("lowest AICc"))
        let residuals = try #require(result.budget.components.first { $0.source == "Fit residuals" })
        #expect(residuals.note.hasSuffix("ν=3"))  // 5 points − 2 coefficients

        // The technician may still fix degree 2 through three values: their call, stated as such.
        let (fixed, _) = try bench.calibrate(points: [0, 50, 100], degree: .fixed(2))
        #expect(fixed.degree == 2 && fixed.candidates.map(\.degree) == [2])
        #expect(fixed.degreeReason == "degree 2: fixed by the technician")
    }
}
