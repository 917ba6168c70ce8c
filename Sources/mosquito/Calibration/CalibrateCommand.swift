import ArgumentParser
import Calibration
import Device
import Foundation
import Ledger
import MWP

struct CalibrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate one channel against a reference: multi-point fit, GUM uncertainty, as-found/as-left, store on the unit.",
        discussion: """
            Interactive in a terminal: each point is prompted, the live reading and its stability shown, and the point \
            captured when stable (or on Enter). --script runs the same procedure without prompts on the in-process \
            simulator. On acceptance the record is written to the device (SET_CALIBRATION, read back and compared) \
            and appended to the calibration history under a new certificate ID.
            """)

    @OptionGroup var options: MeasurementOptions
    @Option(help: "Polynomial degree: auto, 1, 2 or 3. \(DegreeChoice.autoRule).") var degree: String = "auto"
    @Flag(help: "Ascending pass only (no descending pass, no hysteresis).") var ascendingOnly = false
    @Option(help: "Decision rule stated on the certificate: simple or guarded.") var decisionRule: String = "simple"
    @Flag(help: "Measure and report only: write nothing to the device or the history.") var dryRun = false
    @Flag(help: "Accept without asking (interactive mode).") var yes = false
    @Option(help: "Credit the accepted calibration in this contribution ledger (SQLite file or postgres:// URL).")
    var ledger: String?
    @Option(help: "Ledger project the calibration work belongs to.") var project: String = "mosquito"

    func run() async throws {
        // Everything checkable without the device is checked first: bad input costs nothing and writes nothing.
        let reference = try options.parsedReference()
        let tolerance = try options.parsedTolerance()
        let degreeChoice = try calibrationStep { () throws(CalibrationError) in try DegreeChoice(parsing: degree) }
        guard let rule = DecisionRule(rawValue: decisionRule) else { throw CLIError("--decision-rule must be simple or guarded") }
        let measurement = try Measurement(options: options, descending: !ascendingOnly, activity: "calibration")
        let plan = measurement.plan
        _ = try calibrationStep { () throws(CalibrationError) in
            try degreeChoice.degrees(distinctReferences: Set(plan.sequence.map(\.reference)).count)
        }
        let work = try options.workContext(startedAt: nowUnixSeconds())
        if let ledger {
            try await CalibrationCredit.precheck(ledger: ledger, technician: work.technician, project: project, unit: nil)
        }

        // The ledger must know the unit too, or the calibration would be written and filed but never credited.
        let unit = try await measurement.open(verb: "Calibrating", reference: reference) { identity in
            if let ledger {
                try await CalibrationCredit.precheck(ledger: ledger, technician: work.technician, project: project, unit: identity.serial)
            }
        }
        let (session, identity, descriptor, asFound) = (unit.session, unit.identity, unit.descriptor, unit.held)
        defer { session.close() }
        let (captured, interactive) = try measurement.capture(unit)
        let result = try calibrationStep { () throws(CalibrationError) in
            try CalibrationAnalysis.analyze(
                points: captured, channel: options.channel, descriptor: descriptor, degree: degreeChoice,
                reference: reference, tolerance: tolerance, asFound: asFound)
        }
        if !options.json { Console.line(CalibrationReport.full(result)) }
        if dryRun {
            if options.json { try Console.json(result) }
            Console.error("dry run: nothing written to the device or the history")
            return
        }
        try calibrationStep { () throws(CalibrationError) in try result.checkAcceptable() }
        if let interactive, !yes {
            guard interactive.keys.confirm("Write this calibration to \(identity.serial) channel \(options.channel) and file a certificate?") else {
                Console.error("not accepted: nothing written to the device or the history")
                return
            }
        }
        let entry = try calibrationStep { () throws(CalibrationError) in
            try acceptCalibration(
                result, plan: plan, identity: identity, work: work, session: session, history: options.historyStore,
                decisionRule: rule)
        }
        if options.json { try Console.json(entry) } else {
            Console.line("\nAccepted: written to \(identity.serial) channel \(options.channel), read back and confirmed.")
            Console.line("Certificate ID \(entry.id) (history: \(options.historyStore.path)); print it with: mosquito certificate \(entry.id) --output cert.html")
        }
        if let ledger, let contribution = CalibrationContribution(entry: entry) {
            let event: ContributionEvent
            do throws(LedgerError) {
                event = try await Ledger.using(ledger) { ledger throws(LedgerError) in
                    try await CalibrationCredit.record(contribution, in: ledger, project: project)
                }
            } catch {
                throw CLIError("crediting calibration \(entry.id) in the ledger: \(error) (the certificate is filed: credit it "
                               + "later with `mosquito ledger credit-calibration \(entry.id)`)")
            }
            if !options.json { Console.line("Credited to \(contribution.technician) in the ledger (event \(event.id)).") }
        }
    }
}
