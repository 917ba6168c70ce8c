import Calibration
import Device
import Foundation
import MWP
import MosquitoModel

/// What `calibrate` and `verify` share, written once: the points planned from `--points` or `--script`, the unit
/// opened and checked against the plan, the calibration it holds read, and every point captured (scripted on the
/// in-process simulator, or prompted at the bench).
struct Measurement {
    let options: MeasurementOptions
    let plan: MeasurementPlan
    let scripted: Bool

    /// Plans without touching the device; `activity` names the run in the error lines ("calibration").
    init(options: MeasurementOptions, descending: Bool, activity: String) throws {
        let script = try options.script.map { path in
            try calibrationStep { () throws(CalibrationError) in try CalibrationScript.load(path: path) }
        }
        let cliPoints = try options.parsedPoints()
        let (points, steps) = try script.map { s in
            try calibrationStep { () throws(CalibrationError) in try s.plannedSteps(points: cliPoints, descending: descending) }
        } ?? (cliPoints.map { ($0, nil) } ?? { throw CLIError("--points is required (e.g. --points 0,10,20,50,100)") }())
        if script == nil && isatty(STDIN_FILENO) == 0 {
            throw CLIError("interactive \(activity) needs a terminal on stdin; use --script for automation")
        }
        self.options = options
        scripted = script != nil
        plan = MeasurementPlan(
            channel: options.channel, points: points, descending: descending, samplesPerPoint: options.samples,
            rateHz: options.rate, steps: steps)
    }

    /// The unit under test, open (the caller closes `session`).
    struct Unit {
        let session: DeviceSession
        let identity: IdentityRecord
        let descriptor: ChannelDescriptor
        /// The calibration the channel holds now (as found).
        let held: CalibrationRecord
    }

    /// Opens the unit, checks the plan against it and reads its calibration; says what is being done, as `verb`.
    /// `admit` may refuse the unit once it has said who it is, before anything is read from it or measured.
    func open(
        verb: String, reference: ReferenceStandard, admit: (IdentityRecord) async throws -> Void = { _ in }
    ) async throws -> Unit {
        let (session, _, identity) = try options.open()
        do {
            try calibrationStep { () throws(CalibrationError) in try plan.validate(against: identity) }
            try await admit(identity)
            let held = try calibrationStep { () throws(CalibrationError) in
                do throws(DeviceError) { return try session.readCalibration(channel: options.channel) } catch { throw .device(error) }
            }
            let descriptor = identity.channels[Int(options.channel)]
            Console.error("\(verb) \(identity.serial) channel \(options.channel) “\(descriptor.name)” (\(descriptor.unit)) against \(reference.id)")
            return Unit(session: session, identity: identity, descriptor: descriptor, held: held)
        } catch {
            session.close()
            throw error
        }
    }

    /// Captures every planned point. At the bench the live reading shows through the held calibration, and the
    /// bench's acquirer is returned (its keys answer the accept prompt).
    func capture(_ unit: Unit) throws -> (points: [CapturedPoint], bench: InteractiveAcquirer?) {
        if scripted {
            let acquirer = try scriptedAcquirer(session: unit.session, plan: plan)
            return (try calibrationStep { () throws(CalibrationError) in try measure(plan, with: acquirer) }, nil)
        }
        let held = Polynomial(unit.held.coefficients)
        let acquirer = try InteractiveAcquirer(session: unit.session, plan: plan, unit: unit.descriptor.unit) { held.value(at: $0) }
        defer { acquirer.finish() }
        return (try calibrationStep { () throws(CalibrationError) in try measure(plan, with: acquirer) }, acquirer)
    }
}
