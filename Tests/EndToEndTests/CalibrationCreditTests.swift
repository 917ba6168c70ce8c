import Foundation
import Testing

/// An accepted calibration is credited to its technician in the ledger, as work on the unit it calibrated.
@Suite struct CalibrationCreditTests {
    @Test func acceptedCalibrationBecomesWorkOnTheUnit() throws {
        let ledger = temporaryPath("ledger.sqlite")
        let history = temporaryPath("history.jsonl")
        let script = temporaryPath("points.json")
        try #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":20},{"reference":50},{"reference":100}]}"#
            .write(toFile: script, atomically: true, encoding: .utf8)
        let demo = try Mosquito.run(["ledger", "demo", "--ledger", ledger])
        #expect(demo.status == 0, "\(demo.stderr)")
        let before = try Mosquito.run(["ledger", "export", "--table", "events", "--ledger", ledger])
        #expect(before.status == 0, "\(before.stderr)")

        // The demo network's technician calibrates unit MQ-2026-0042 (the simulator reports that serial).
        let cal = try Mosquito.run([
            "calibrate", "--device", "sim?serial=MQ-2026-0042", "--channel", "0", "--reference", "DWT-0042:0.01",
            "--points", "0,20,50,100", "--unit", "N", "--technician", "dev", "--script", script, "--ascending-only",
            "--history", history, "--samples", "400", "--rate", "20000", "--ledger", ledger, "--project", "mosquito",
        ])
        #expect(cal.status == 0, "\(cal.stderr)")
        #expect(cal.stdout.contains("Credited to dev in the ledger"))

        let after = try Mosquito.run(["ledger", "export", "--table", "events", "--ledger", ledger])
        let added = after.stdout.split(separator: "\n").filter { !before.stdout.contains($0) }
        #expect(added.count == 1)
        let row = String(added.first ?? "")
        #expect(row.contains("dev") && row.contains("MQ-2026-0042") && row.contains("calibration") && row.contains("work"))
        // The chain still verifies with the new event in it.
        #expect(try Mosquito.run(["ledger", "verify", "--ledger", ledger]).status == 0)
    }

    @Test func unknownTechnicianIsRefusedAndNothingIsCredited() throws {
        let ledger = temporaryPath("ledger.sqlite")
        let history = temporaryPath("history.jsonl")
        let script = temporaryPath("points.json")
        try #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":50},{"reference":100}]}"#
            .write(toFile: script, atomically: true, encoding: .utf8)
        #expect(try Mosquito.run(["ledger", "demo", "--ledger", ledger]).status == 0)
        let cal = try Mosquito.run([
            "calibrate", "--device", "sim?serial=MQ-2026-0042", "--channel", "0", "--reference", "DWT-0042:0.01",
            "--points", "0,50,100", "--unit", "N", "--technician", "nobody", "--script", script, "--ascending-only",
            "--history", history, "--samples", "400", "--rate", "20000", "--ledger", ledger,
        ])
        #expect(cal.status != 0)
        #expect(cal.stderr.contains("cannot credit calibrations") && cal.stderr.contains("nobody"))
        // Checked before measuring: no certificate was filed for work nobody can be credited for.
        #expect(!FileManager.default.fileExists(atPath: history))
    }

    /// A scripted calibration of the demo's unit MQ-2026-0042 by its technician `dev`, filed in `history`
    /// (credited in `ledger` when one is given); its certificate ID and the calibrate run.
    func calibrateDemoUnit(history: String, ledger: String? = nil) throws -> (certificate: String, run: Mosquito.Result) {
        let script = temporaryPath("points.json")
        try #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":20},{"reference":50},{"reference":100}]}"#
            .write(toFile: script, atomically: true, encoding: .utf8)
        let run = try Mosquito.run([
            "calibrate", "--device", "sim?serial=MQ-2026-0042", "--channel", "0", "--reference", "DWT-0042:0.01",
            "--points", "0,20,50,100", "--unit", "N", "--technician", "dev", "--script", script, "--ascending-only",
            "--history", history, "--samples", "400", "--rate", "20000",
        ] + (ledger.map { ["--ledger", $0, "--project", "mosquito"] } ?? []))
        #expect(run.status == 0, "\(run.stderr)")
        let certificate = run.stdout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("MQC-") }.map(String.init)
        return (try #require(certificate, "\(run.stdout)"), run)
    }

    func events(_ ledger: String) throws -> String {
        let export = try Mosquito.run(["ledger", "export", "--table", "events", "--ledger", ledger])
        #expect(export.status == 0, "\(export.stderr)")
        return export.stdout
    }

    @Test func aCertificateIsCreditedOnceWhicheverCommandCreditsIt() throws {
        let ledger = temporaryPath("ledger.sqlite"), history = temporaryPath("history.jsonl")
        #expect(try Mosquito.run(["ledger", "demo", "--ledger", ledger]).status == 0)
        func credit(_ certificate: String) throws -> Mosquito.Result {
            try Mosquito.run(["ledger", "credit-calibration", certificate, "--history", history, "--ledger", ledger])
        }

        // `calibrate --ledger` credits at once; crediting that certificate again is refused, naming the event.
        let (calibrated, run) = try calibrateDemoUnit(history: history, ledger: ledger)
        let creditedAs = try #require(run.stdout.firstMatch(of: /Credited to dev in the ledger \(event (\d+)\)/)?.1)
        let before = try events(ledger)
        let again = try credit(calibrated)
        #expect(again.status == 1 && again.stdout.isEmpty)
        #expect(again.stderr == "Error: calibration certificate \(calibrated) is already credited as event \(creditedAs)\n")
        #expect(try events(ledger) == before)

        // A calibration made without the ledger is credited by `credit-calibration`, once.
        let (later, _) = try calibrateDemoUnit(history: history)
        let first = try credit(later)
        #expect(first.status == 0, "\(first.stderr)")
        let event = try #require(first.stdout.firstMatch(of: /^credited dev: event (\d+), MQ-2026-0042, certificate MQC-/)?.1)
        let credited = try events(ledger)
        let second = try credit(later)
        #expect(second.status == 1 && second.stdout.isEmpty)
        #expect(second.stderr == "Error: calibration certificate \(later) is already credited as event \(event)\n")
        #expect(try events(ledger) == credited)
        #expect(try Mosquito.run(["ledger", "verify", "--ledger", ledger]).status == 0)
    }

    /// Like every ledger command, `credit-calibration` prints the event as JSON with `--json`.
    @Test func aCreditPrintsItsEventAsJSON() throws {
        let ledger = temporaryPath("ledger.sqlite"), history = temporaryPath("history.jsonl")
        #expect(try Mosquito.run(["ledger", "demo", "--ledger", ledger]).status == 0)
        let (certificate, _) = try calibrateDemoUnit(history: history)
        let r = try Mosquito.run(["ledger", "credit-calibration", certificate, "--history", history, "--ledger", ledger, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let event = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        #expect(event["agent"] as? String == "dev")
        #expect(event["unit"] as? String == "MQ-2026-0042")
        #expect(event["workType"] as? String == "calibration")
        #expect(event["sourceReference"] as? String == "calibration certificate \(certificate)")
        #expect((event["id"] as? Int).map { try? events(ledger).contains("\n\($0),") } == true)
    }

    @Test func aCreditLoggedBeforeLedgersKeptReferencesIsFoundByItsNote() throws {
        let ledger = temporaryPath("ledger.sqlite"), history = temporaryPath("history.jsonl")
        #expect(try Mosquito.run(["ledger", "demo", "--ledger", ledger]).status == 0)
        let (certificate, _) = try calibrateDemoUnit(history: history)
        // What an earlier mosquito's credit left: the work, its note naming the certificate, and no source reference.
        let earlier = try Mosquito.run([
            "ledger", "contribute", "work", "--project", "mosquito", "--agent", "dev", "--hours", "0.02", "--work-type", "calibration",
            "--unit", "MQ-2026-0042", "--note", "calibration certificate \(certificate)", "--ledger", ledger,
        ])
        #expect(earlier.status == 0, "\(earlier.stderr)")
        let event = try #require(earlier.stdout.firstMatch(of: /^event (\d+) recorded/)?.1)
        let before = try events(ledger)
        let credit = try Mosquito.run(["ledger", "credit-calibration", certificate, "--history", history, "--ledger", ledger])
        #expect(credit.status == 1)
        #expect(credit.stderr == "Error: calibration certificate \(certificate) is already credited as event \(event)\n")
        #expect(try events(ledger) == before)
    }

    /// A ledger with technician `ana` in project `p`, and (each optional) the unit MQ-SIM-0001 and a `calibration` rate.
    func smallLedger(unit: Bool, calibrationWork: Bool) throws -> String {
        let ledger = temporaryPath("ledger.sqlite")
        var commands = [["agent", "add", "--id", "ana", "--name", "Ana"],
                        ["agent", "add", "--id", "fund", "--name", "Fund", "--kind", "organization"],
                        ["project", "add", "--id", "p", "--currency", "CAD", "--fund", "fund"],
                        ["worktype", "set", "--project", "p", "--name", "assembly", "--rate", "30.00"],
                        ["design", "add", "--id", "MQ-FORCE"]]
        if unit { commands.append(["unit", "register", "--serial", "MQ-SIM-0001", "--design", "MQ-FORCE"]) }
        if calibrationWork { commands.append(["worktype", "set", "--project", "p", "--name", "calibration", "--rate", "35.00"]) }
        for command in commands {
            let run = try Mosquito.run(["ledger"] + command + ["--ledger", ledger])
            #expect(run.status == 0, "\(command): \(run.stderr)")
        }
        return ledger
    }

    /// `calibrate` of channel 0 of `device` by `ana`, credited in `ledger`'s project `p`, filed in `history`.
    func calibrate(_ device: String, ledger: String, history: String) throws -> Mosquito.Result {
        let script = temporaryPath("points.json")
        try #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":20},{"reference":50},{"reference":100}]}"#
            .write(toFile: script, atomically: true, encoding: .utf8)
        return try Mosquito.run([
            "calibrate", "--device", device, "--channel", "0", "--reference", "DWT-0042:0.01", "--points", "0,20,50,100",
            "--unit", "N", "--technician", "ana", "--script", script, "--ascending-only", "--history", history,
            "--samples", "400", "--rate", "20000", "--ledger", ledger, "--project", "p",
        ])
    }

    @Test(arguments: [
        (true, false, "cannot credit calibrations in LEDGER: project 'p' has no work type 'calibration'"),
        (false, true, "cannot credit a calibration of MQ-SIM-0001 in LEDGER: no unit 'MQ-SIM-0001'"),
    ])
    func aCalibrationTheLedgerWouldNotCreditIsRefusedBeforeAnythingIsMeasured(unit: Bool, calibrationWork: Bool, message: String) throws {
        let ledger = try smallLedger(unit: unit, calibrationWork: calibrationWork), history = temporaryPath("history.jsonl")
        let before = try events(ledger)
        let run = try calibrate("sim", ledger: ledger, history: history)
        #expect(run.status == 1)
        // One line, and nothing before it: no point was captured, no certificate filed, no credit appended.
        #expect(run.stderr == "Error: \(message.replacingOccurrences(of: "LEDGER", with: ledger))\n")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: history))
        #expect(try events(ledger) == before)
    }

    @Test func aUnitTheLedgerDoesNotKnowKeepsItsCalibration() throws {
        let ledger = try smallLedger(unit: false, calibrationWork: true), history = temporaryPath("history.jsonl")
        // A unit in its own process, whose stored calibration outlives each command's connection to it.
        let sim = try Mosquito.Simulator(["--serial", "MQ-PTY-0007"])
        defer { sim.stop() }
        let device = "serial:" + sim.path
        func stored() throws -> String {
            let info = try Mosquito.run(["info", "--device", device, "--json"])
            #expect(info.status == 0, "\(info.stderr)")
            return info.stdout
        }
        let before = try stored()
        #expect(before.contains("MQ-PTY-0007") && before.contains("coefficients"))
        let run = try calibrate(device, ledger: ledger, history: history)
        #expect(run.status == 1)
        #expect(run.stderr == "Error: cannot credit a calibration of MQ-PTY-0007 in \(ledger): no unit 'MQ-PTY-0007'\n")
        #expect(try stored() == before)
        #expect(!FileManager.default.fileExists(atPath: history))
    }
}
