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
        #expect(again.stderr == "error: calibration certificate \(calibrated) is already credited as event \(creditedAs)\n")
        #expect(try events(ledger) == before)

        // A calibration made without the ledger is credited by `credit-calibration`, once.
        let (later, _) = try calibrateDemoUnit(history: history)
        let first = try credit(later)
        #expect(first.status == 0, "\(first.stderr)")
        let event = try #require(first.stdout.firstMatch(of: /^credited dev: event (\d+), MQ-2026-0042, certificate MQC-/)?.1)
        let credited = try events(ledger)
        let second = try credit(later)
        #expect(second.status == 1 && second.stdout.isEmpty)
        #expect(second.stderr == "error: calibration certificate \(later) is already credited as event \(event)\n")
        #expect(try events(ledger) == credited)
        #expect(try Mosquito.run(["ledger", "verify", "--ledger", ledger]).status == 0)
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
        #expect(credit.stderr == "error: calibration certificate \(certificate) is already credited as event \(event)\n")
        #expect(try events(ledger) == before)
    }
}
