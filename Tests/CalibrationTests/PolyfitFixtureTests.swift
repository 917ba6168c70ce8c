import Foundation
import Testing
@testable import Calibration

/// The Householder-QR fit against `numpy.polyfit` on the same points (Fixtures/make_polyfit_fixtures.py).
@Suite struct PolyfitFixtureTests {
    struct Case: Decodable {
        var name: String
        var degree: Int
        var x: [Double]
        var y: [Double]
        var coefficients_ascending: [Double]
    }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/polyfit_fixtures.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    @Test func fixturesCoverEveryDegree() throws {
        #expect(Set(try Self.cases().map(\.degree)) == [1, 2, 3])
    }

    @Test(arguments: try cases())
    func matchesNumpyPolyfit(_ c: Case) throws {
        let fit = try LeastSquares.polynomialFit(x: c.x, y: c.y, degree: c.degree)
        #expect(fit.coefficients.count == c.coefficients_ascending.count)
        // Compared in the column-scaled basis both solvers actually solve in (c_k·‖x^k‖): there a coefficient that
        // is statistically zero (c2 of a linear sensor) is judged against the solution's size, not against itself.
        let norms = (0...c.degree).map { k in c.x.reduce(0) { $0 + pow($1, Double(2 * k)) }.squareRoot() }
        let scaled = zip(c.coefficients_ascending, norms).map { $0 * $1 }
        let size = scaled.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for k in 0...c.degree {
            let diff = abs(fit.coefficients[k] - c.coefficients_ascending[k]) * norms[k]
            #expect(diff <= 1e-9 * size, "\(c.name) c\(k): \(fit.coefficients[k]) vs numpy \(c.coefficients_ascending[k])")
        }
        // And the calibrated values themselves: what a user reads must agree to 1e-9 of full scale.
        let numpy = Polynomial(c.coefficients_ascending)
        let fullScale = c.y.map(abs).max()!
        for x in c.x {
            #expect(abs(fit.value(at: x) - numpy.value(at: x)) <= 1e-9 * fullScale, "\(c.name) at raw \(x)")
        }
        // Well-determined coefficients (all but a statistically zero one) also agree one by one.
        for k in 0...c.degree where abs(scaled[k]) > 1e-6 * size {
            #expect(abs(fit.coefficients[k] - c.coefficients_ascending[k]) <= 1e-9 * abs(c.coefficients_ascending[k]),
                "\(c.name) c\(k) relative")
        }
    }

    @Test func rejectsTooFewPoints() {
        #expect(throws: CalibrationError.self) { try LeastSquares.polynomialFit(x: [1, 2], y: [1, 2], degree: 2) }
        #expect(throws: CalibrationError.self) { try LeastSquares.polynomialFit(x: [5, 5, 5], y: [1, 2, 3], degree: 1) }
    }
}

extension PolyfitFixtureTests.Case: CustomTestStringConvertible {
    var testDescription: String { name }
}
