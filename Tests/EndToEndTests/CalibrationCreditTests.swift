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
}
