import ArgumentParser
import Calibration
import Device
import Foundation
import MWP

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "As-found check: read reference points through the stored calibration and judge them against a tolerance.",
        discussion: """
            Nothing on the device changes. The result is appended to the calibration history so drift can be \
            plotted (mosquito calibration history --serial S). Exit status 2 means the unit failed the check.
            """)

    @OptionGroup var options: MeasurementOptions
    @Option(help: "Decision rule: simple (|error| ≤ tolerance) or guarded (|error| ≤ tolerance − U).")
    var decisionRule: String = "simple"
    @Flag(help: "Also run the points back down.") var descending = false

    func run() async throws {
        let reference = try options.parsedReference()
        let tolerance = try options.parsedTolerance()
        guard let rule = DecisionRule(rawValue: decisionRule) else { throw CLIError("--decision-rule must be simple or guarded") }
        let measurement = try Measurement(options: options, descending: descending, activity: "verification")
        let plan = measurement.plan
        let work = try options.workContext(startedAt: nowUnixSeconds())

        let unit = try await measurement.open(verb: "Verifying", reference: reference)
        let (identity, descriptor, stored) = (unit.identity, unit.descriptor, unit.held)
        defer { unit.session.close() }
        let (captured, _) = try measurement.capture(unit)
        let result = try calibrationStep { () throws(CalibrationError) in
            try VerificationResult.analyze(
                points: captured, channel: options.channel, descriptor: descriptor, stored: stored, reference: reference,
                tolerance: tolerance, rule: rule)
        }
        let entry = try calibrationStep { () throws(CalibrationError) in
            try recordVerification(result, plan: plan, identity: identity, work: work, history: options.historyStore)
        }
        if options.json { try Console.json(entry) } else {
            Console.line(CalibrationReport.verification(result))
            Console.line("Filed as \(entry.id) in \(options.historyStore.path)")
        }
        if !result.passed {
            Console.error("verification FAILED: max |error| \(formatNumber(result.maxError)) \(descriptor.unit) exceeds the acceptance limit ±\(formatNumber(result.acceptanceLimit)) \(descriptor.unit)")
            throw ExitCode(2)
        }
    }
}
