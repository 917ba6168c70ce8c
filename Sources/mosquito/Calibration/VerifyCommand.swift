import ArgumentParser
import Calibration
import Device
import Foundation
import MWP

struct VerifyCommand: ParsableCommand {
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

    func run() throws {
        let reference = try options.parsedReference()
        let tolerance = try options.parsedTolerance()
        guard let rule = DecisionRule(rawValue: decisionRule) else { throw CLIError("--decision-rule must be simple or guarded") }
        let script = try options.script.map { path in try calibrationStep { () throws(CalibrationError) in try CalibrationScript.load(path: path) } }
        let cliPoints = try options.parsedPoints()
        let (points, steps) = try script.map { s in
            try calibrationStep { () throws(CalibrationError) in try s.plannedSteps(points: cliPoints, descending: descending) }
        } ?? (cliPoints.map { ($0, nil) } ?? { throw CLIError("--points is required (e.g. --points 0,50,100)") }())
        if script == nil && isatty(STDIN_FILENO) == 0 {
            throw CLIError("interactive verification needs a terminal on stdin; use --script for automation")
        }
        let work = try options.workContext(startedAt: nowUnixSeconds())
        let plan = MeasurementPlan(
            channel: options.channel, points: points, descending: descending, samplesPerPoint: options.samples,
            rateHz: options.rate, steps: steps)

        let (session, uri, identity) = try options.open()
        defer { session.close() }
        try calibrationStep { () throws(CalibrationError) in try plan.validate(against: identity) }
        let descriptor = identity.channels[Int(options.channel)]
        let stored = try calibrationStep { () throws(CalibrationError) in
            do throws(DeviceError) { return try session.readCalibration(channel: options.channel) } catch { throw .device(error) }
        }
        Console.error("Verifying \(identity.serial) channel \(options.channel) “\(descriptor.name)” (\(descriptor.unit)) against \(reference.id)")
        let captured: [CapturedPoint]
        if script != nil {
            let acquirer = try scriptedAcquirer(session: session, uri: uri, plan: plan)
            captured = try calibrationStep { () throws(CalibrationError) in try measure(plan, with: acquirer) }
        } else {
            let found = Polynomial(stored.coefficients)
            let acquirer = try InteractiveAcquirer(session: session, plan: plan, unit: descriptor.unit) { found.value(at: $0) }
            defer { acquirer.finish() }
            captured = try calibrationStep { () throws(CalibrationError) in try measure(plan, with: acquirer) }
        }
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
