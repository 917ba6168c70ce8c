import Foundation

/// `--script points.json`: the procedure without prompts. Format (documented in docs/calibration.md):
///
///     { "format": "mosquito-calibration-script/1",
///       "steps": [ { "reference": 0 }, { "reference": 50, "physical": 50.004 }, { "reference": 0, "pass": "descending" } ] }
///
/// `steps` is optional: without it the `--points` sequence is used. `physical` (the true input the simulated rig
/// applies) defaults to `reference`; `pass` defaults to ascending until the reference first decreases.
public struct CalibrationScript: Sendable, Equatable, Codable {
    public struct Step: Sendable, Equatable, Codable {
        public var reference: Double
        public var physical: Double?
        public var pass: Pass?
    }

    public static let format = "mosquito-calibration-script/1"
    public var format: String
    public var steps: [Step]?

    public init(parsing data: Data, name: String) throws(CalibrationError) {
        do { self = try JSONDecoder().decode(CalibrationScript.self, from: data) } catch let DecodingError.dataCorrupted(c) {
            throw .badInput("\(name) is not valid JSON: \(c.underlyingError.map { "\($0.localizedDescription)" } ?? c.debugDescription)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw .badInput("\(name): missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, c) {
            throw .badInput("\(name): wrong type at \(c.codingPath.map(\.stringValue).joined(separator: ".")) (\(c.debugDescription))")
        } catch {
            throw .badInput("\(name): \(error)")
        }
        guard format == Self.format else { throw .badInput("\(name): format must be \"\(Self.format)\", not \"\(format)\"") }
        if let steps {
            guard !steps.isEmpty else { throw .badInput("\(name): \"steps\" is empty") }
            guard steps.allSatisfy({ $0.reference.isFinite && ($0.physical?.isFinite ?? true) }) else {
                throw .badInput("\(name): every reference and physical value must be a finite number")
            }
        }
    }

    public static func load(path: String) throws(CalibrationError) -> CalibrationScript {
        guard let data = FileManager.default.contents(atPath: path) else { throw .badInput("cannot read script \(path)") }
        return try CalibrationScript(parsing: data, name: path)
    }

    /// The steps to run, checked against `--points` when both are given (the command line states the plan, the
    /// script drives it: they must name the same reference values).
    public func plannedSteps(points: [Double]?, descending: Bool) throws(CalibrationError) -> (points: [Double], steps: [PlannedStep]?) {
        guard let steps else {
            guard let points else { throw .badInput("give --points, or \"steps\" in the script") }
            return (points, nil)
        }
        var planned: [PlannedStep] = []
        var turned = false
        for (i, s) in steps.enumerated() {
            if i > 0 && s.reference < steps[i - 1].reference { turned = true }
            planned.append(PlannedStep(reference: s.reference, pass: s.pass ?? (turned ? .descending : .ascending), physical: s.physical))
        }
        let references = Array(Set(steps.map(\.reference))).sorted()
        if let points, Set(points) != Set(references) {
            throw .badInput("--points \(points.map { "\($0)" }.joined(separator: ",")) and the script's references \(references.map { "\($0)" }.joined(separator: ",")) differ")
        }
        return (references, planned)
    }
}
