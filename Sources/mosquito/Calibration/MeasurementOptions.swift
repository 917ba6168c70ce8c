import ArgumentParser
import Calibration
import Device
import Foundation
import MWP

/// A verification that ran and found the unit out of tolerance: the report is printed, the exit code says FAIL.
struct VerificationFailed: Error, CustomStringConvertible {
    let description: String
}

/// Runs library code that throws `CalibrationError` and turns it into the one-line CLI failure.
func calibrationStep<T>(_ body: () throws(CalibrationError) -> T) throws -> T {
    do throws(CalibrationError) { return try body() } catch { throw CLIError(error.description) }
}

/// Options calibrate and verify share: where, which channel, against what, how many samples, which history.
struct MeasurementOptions: ParsableArguments {
    @Option(help: "Instrument: sim[?options], serial:/dev/ttyACM0, usb:1209:0001[:SERIAL].")
    var device: String = "sim"
    @Option(help: "Channel number (0-based).") var channel: UInt8
    @Option(help: "Reference standard as ID:U, U its expanded uncertainty (k=2) in the channel's unit, e.g. DWT-0042:0.02.")
    var reference: String
    @Option(help: "Reference values to apply, comma-separated, e.g. 0,10,20,50,100 (may come from --script).")
    var points: String?
    @Option(help: "The reference's physical unit; must match the channel's unit.") var unit: String?
    @Option(help: "Raw samples averaged per point.") var samples: Int = 2000
    @Option(help: "Sample rate while capturing (Hz).") var rate: UInt32 = 2000
    @Option(help: "Tolerance: a percentage of full scale (0.1%) or an amount in the channel's unit (0.05).")
    var tolerance: String = "0.1%"
    @Option(help: "Technician name (at most 16 ASCII characters): in the history and the certificate, and on the device when a calibration is written.")
    var technician: String = ProcessInfo.processInfo.environment["USER"] ?? "technician"
    @Option(help: "Who authorizes the result, if not the technician.") var authorizedBy: String?
    @Option(help: "Environmental conditions to state, e.g. \"23.1 °C, 41 %RH\".") var conditions: String?
    @Option(help: "Non-interactive: run the steps of this JSON script (see docs/calibration.md).") var script: String?
    @OptionGroup var historyFile: HistoryFileOption
    @Flag(help: "Print the result as JSON instead of tables.") var json = false

    var historyStore: CalibrationHistory { historyFile.store }

    func parsedReference() throws -> ReferenceStandard { try calibrationStep { () throws(CalibrationError) in try ReferenceStandard(parsing: reference) } }
    func parsedTolerance() throws -> Tolerance { try calibrationStep { () throws(CalibrationError) in try Tolerance(parsing: tolerance) } }

    func parsedPoints() throws -> [Double]? {
        guard let points else { return nil }
        var out: [Double] = []
        for part in points.split(separator: ",", omittingEmptySubsequences: false) {
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let v = Double(t), v.isFinite else {
                throw CLIError("--points must be comma-separated numbers, e.g. 0,10,20,50,100; '\(t)' is not a number")
            }
            out.append(v)
        }
        guard Set(out).count == out.count else { throw CLIError("--points lists a value twice") }
        return out
    }

    func workContext(startedAt: UInt64) throws -> WorkContext {
        let work = WorkContext(technician: technician, authorizedBy: authorizedBy, conditions: conditions, startedAt: startedAt)
        try calibrationStep { () throws(CalibrationError) in try work.validate() }
        return work
    }

    /// Validates everything that can be checked without the device, then opens it and checks the rest.
    func open() throws -> (session: DeviceSession, uri: DeviceURI, identity: IdentityRecord) {
        let uri: DeviceURI
        do throws(DeviceURIError) { uri = try DeviceURI(parsing: device) } catch { throw CLIError(error.description) }
        let session: DeviceSession
        do throws(DeviceError) { session = try Openers.standard.openSession(uri) } catch {
            throw CLIError("\(device): \(error)")
        }
        guard let identity = session.identity else { session.close(); throw CLIError("\(device): no identity") }
        if let unit, Int(channel) < identity.channels.count, identity.channels[Int(channel)].unit != unit {
            session.close()
            throw CLIError("--unit \(unit) does not match channel \(channel)'s unit '\(identity.channels[Int(channel)].unit)'")
        }
        return (session, uri, identity)
    }
}

