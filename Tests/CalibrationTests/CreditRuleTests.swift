@testable import Calibration
import Testing

/// The calibration → ledger credit rule: hours to the nearest hundredth (half up), never below 0.01 h, on the
/// UTC day the work finished; no pair of timestamps can trap it.
@Suite struct CreditRuleTests {
    func credit(seconds: UInt64, finishedAt: UInt64 = 1_800_000_000) -> CalibrationContribution {
        CalibrationContribution(
            technician: "a.tech", unitSerial: "MQ-1", certificateID: "MQC-X", startedAt: finishedAt - seconds, finishedAt: finishedAt)
    }

    @Test(arguments: [
        (UInt64(0), UInt64(1)), (17, 1), (18, 1), (53, 1), (54, 2), (89, 2), (90, 3), (600, 17), (3600, 100),
        (3617, 100), (3618, 101), (86_400, 2400),
    ])
    func hoursAreRoundedToTheHundredthAndNeverZero(seconds: UInt64, centiHours: UInt64) {
        #expect(credit(seconds: seconds).creditedCentiHours == centiHours)
    }

    @Test func extremesNeverTrap() {
        let all = CalibrationContribution(technician: "t", unitSerial: "u", certificateID: "c", startedAt: 0, finishedAt: .max)
        #expect(all.creditedCentiHours == UInt64.max / 36 + (UInt64.max % 36 >= 18 ? 1 : 0))
        let backwards = CalibrationContribution(technician: "t", unitSerial: "u", certificateID: "c", startedAt: .max, finishedAt: 0)
        #expect(backwards.secondsSpent == 0 && backwards.creditedCentiHours == 1)
    }

    @Test func theDayIsWhenTheWorkFinishedInUTC() {
        // 2027-01-15 08:10:00 UTC; one second before midnight stays on its day.
        #expect(credit(seconds: 600, finishedAt: 1_800_000_600).creditedDay == "2027-01-15")
        #expect(credit(seconds: 10, finishedAt: 1_800_057_599).creditedDay == "2027-01-15")
        #expect(credit(seconds: 10, finishedAt: 1_800_057_600).creditedDay == "2027-01-16")
        #expect(credit(seconds: 10).creditNote == "calibration certificate MQC-X")
    }
}
