@testable import Calibration
import Device
import Foundation
import MWP
import Simulator
import Testing

@Suite struct CalibrationWorkflowTests {
    /// The inverse of the simulator's hidden sensor: the physical value a raw reading truly means.
    func truthRaw(_ s: SensorModel, _ x: Double) -> Double {
        s.offsetCounts + s.gainCountsPerUnit * x + s.quadraticCountsPerUnit2 * x * x
    }

    @Test func linearSensorRecoversGainAndOffsetWithinTheStatedUncertainty() throws {
        let sensor = Bench.sensor(quadratic: 0, noise: 4)
        let bench = try Bench(sensor: sensor)
        defer { bench.close() }
        let (result, _) = try bench.calibrate(reference: 0.002)
        #expect(result.degree == 1)
        #expect(result.points.count == 9)  // 5 up, 4 down
        let u = result.expandedUncertainty
        #expect(u > 0.002 && u < 0.003)
        // Offset: the value the fit gives for the sensor's true zero reading; gain: the fitted slope.
        #expect(abs(result.polynomial.value(at: sensor.offsetCounts)) <= u)
        let fittedGain = 1 / result.polynomial.coefficients[1]
        // A gain error shows most at full scale: there it must stay within U.
        #expect(abs(fittedGain - sensor.gainCountsPerUnit) / sensor.gainCountsPerUnit * result.fullScale <= u)
        for x in stride(from: 0.0, through: 100, by: 12.5) {
            #expect(abs(result.polynomial.value(at: truthRaw(sensor, x)) - x) <= u, "at \(x)")
        }
        #expect(result.asLeftWithinTolerance)
        #expect(result.budget.components.map(\.evaluation) == [.typeB, .typeA, .typeB, .typeA])
        // A history line keeps the letter it always stored.
        #expect(String(decoding: try JSONEncoder().encode(result.budget.components[0]), as: UTF8.self).contains(#""evaluation":"B""#))
    }

    @Test func mildlyNonLinearSensorSelectsDegreeTwoAndMeetsTolerance() throws {
        let sensor = Bench.sensor(quadratic: 0.8, noise: 4)
        let bench = try Bench(sensor: sensor)
        defer { bench.close() }
        let (result, _) = try bench.calibrate()
        #expect(result.degree == 2)
        #expect(result.degreeReason.contains("lowest degree"))
        let linear = try #require(result.candidates.first { $0.degree == 1 })
        #expect(linear.maxAbsResidual > 0.01)  // a straight line cannot follow 0.8 counts/N²
        #expect(result.asLeftWithinTolerance)
        #expect(result.maxAsLeftErrorPercentFS < 0.1)
        // The factory calibration is linear: as-found shows the curvature, as-left does not.
        #expect(result.maxAsFoundError > 10 * result.maxAsLeftError)
        for x in [5.0, 33, 75, 99] {
            #expect(abs(result.polynomial.value(at: truthRaw(sensor, x)) - x) <= result.expandedUncertainty, "at \(x)")
        }
    }

    @Test func noisyPointsWidenTheUncertainty() throws {
        func calibrate(noise: Double) throws -> CalibrationResult {
            let bench = try Bench(sensor: Bench.sensor(quadratic: 0, noise: noise))
            defer { bench.close() }
            return try bench.calibrate(degree: .fixed(1), tolerance: .percentOfFullScale(5)).0
        }
        let quiet = try calibrate(noise: 2)
        let noisy = try calibrate(noise: 800)
        #expect(noisy.expandedUncertainty > 3 * quiet.expandedUncertainty)
        let rep = { (r: CalibrationResult) in r.budget.components.first { $0.source.hasPrefix("Repeatability") }!.standardUncertainty }
        #expect(rep(noisy) > 100 * rep(quiet))
        #expect(noisy.points.allSatisfy { $0.repeatability > 0.015 })
    }

    @Test func hysteresisPairsAscendingAndDescendingPasses() throws {
        let bench = try Bench(sensor: Bench.sensor(quadratic: 0, noise: 4))
        defer { bench.close() }
        let (result, plan) = try bench.calibrate()
        #expect(plan.sequence.map(\.pass) == [.ascending, .ascending, .ascending, .ascending, .ascending,
                                           .descending, .descending, .descending, .descending])
        #expect(result.hysteresis.map(\.reference) == [0, 10, 20, 50])
        // The simulated sensor has no hysteresis: the passes agree to within noise.
        #expect(result.hysteresis.allSatisfy { abs($0.difference) < 1e-3 })
    }

    @Test func acceptedCalibrationIsStoredOnTheDeviceAndInTheHistory() throws {
        let bench = try Bench(sensor: Bench.sensor(quadratic: 0.8))
        defer { bench.close() }
        let (result, plan) = try bench.calibrate()
        let history = temporaryHistory()
        let work = WorkContext(technician: "a.tech", startedAt: 1_800_000_000)
        let entry = try acceptCalibration(
            result, plan: plan, identity: bench.identity, work: work, session: bench.session, history: history,
            now: 1_800_000_600)
        let stored = try bench.session.readCalibration(channel: 0)
        #expect(stored == entry.written)
        #expect(stored.degree == 2 && stored.technician == "a.tech" && stored.calibratedAt == 1_800_000_600)
        #expect(try history.entries() == [entry])
        #expect(try history.certificateID(serial: "MQ-TEST-0001", stored: stored) == entry.id)
        #expect(entry.id.hasPrefix("MQC-20270115-"))
        let credit = CalibrationContribution(entry: entry)
        #expect(credit == CalibrationContribution(
            technician: "a.tech", unitSerial: "MQ-TEST-0001", certificateID: entry.id, startedAt: 1_800_000_000, finishedAt: 1_800_000_600))
        #expect(credit?.secondsSpent == 600 && credit?.workType == "calibration" && credit?.creditedCentiHours == 17)
        // A second calibration appends; the first line is untouched.
        let again = try acceptCalibration(
            result, plan: plan, identity: bench.identity, work: work, session: bench.session, history: history, now: 1_800_000_900)
        #expect(try history.entries() == [entry, again])
        #expect(throws: CalibrationError.self) { try history.append(entry) }
        #expect(try history.entries().count == 2)
    }

    @Test func readBackMismatchIsReportedAndNothingIsFiled() throws {
        let bench = try Bench(sensor: Bench.sensor(), storage: .corrupts)
        defer { bench.close() }
        let (result, plan) = try bench.calibrate()
        let history = temporaryHistory()
        let error = #expect(throws: CalibrationError.self) {
            try acceptCalibration(
                result, plan: plan, identity: bench.identity, work: WorkContext(technician: "a.tech", startedAt: 0),
                session: bench.session, history: history)
        }
        guard case .readBackMismatch(let ch, let wrote, let got) = error else {
            Issue.record("expected a read-back mismatch, got \(String(describing: error))")
            return
        }
        #expect(ch == 0 && wrote.coefficients != got.coefficients)
        #expect(error!.description.contains("read-back mismatch on channel 0"))
        #expect(try history.entries().isEmpty)
    }

    @Test func refusedWriteIsReportedAndTheOldCalibrationStays() throws {
        let bench = try Bench(sensor: Bench.sensor(), storage: .refuses)
        defer { bench.close() }
        let before = try bench.session.readCalibration(channel: 0)
        let (result, plan) = try bench.calibrate()
        let history = temporaryHistory()
        #expect(throws: CalibrationError.writeRefused(channel: 0, .storageFailed)) {
            try acceptCalibration(
                result, plan: plan, identity: bench.identity, work: WorkContext(technician: "a.tech", startedAt: 0),
                session: bench.session, history: history)
        }
        #expect(try bench.session.readCalibration(channel: 0) == before)
        #expect(try history.entries().isEmpty)
    }

    @Test func outOfToleranceResultIsNotAccepted() throws {
        let bench = try Bench(sensor: Bench.sensor(quadratic: 0.8))
        defer { bench.close() }
        let before = try bench.session.readCalibration(channel: 0)
        let (result, plan) = try bench.calibrate(degree: .fixed(1), tolerance: .percentOfFullScale(0.01))
        #expect(!result.asLeftWithinTolerance)
        #expect(throws: CalibrationError.self) {
            try acceptCalibration(
                result, plan: plan, identity: bench.identity, work: WorkContext(technician: "a.tech", startedAt: 0),
                session: bench.session, history: temporaryHistory())
        }
        #expect(try bench.session.readCalibration(channel: 0) == before)
    }

    @Test func verifyPassesThenFailsAfterTheSensorDrifts() throws {
        let bench = try Bench(sensor: Bench.sensor(quadratic: 0.8))
        defer { bench.close() }
        let history = temporaryHistory()
        let (result, plan) = try bench.calibrate()
        _ = try acceptCalibration(
            result, plan: plan, identity: bench.identity, work: WorkContext(technician: "a.tech", startedAt: 0),
            session: bench.session, history: history)
        let stored = try bench.session.readCalibration(channel: 0)
        func verify() throws -> VerificationResult {
            let vplan = MeasurementPlan(channel: 0, points: [0, 50, 100], descending: false, samplesPerPoint: 400, rateHz: 20_000)
            let v = try VerificationResult.analyze(
                points: try bench.measure(vplan), channel: 0, descriptor: bench.identity.channels[0],
                stored: try bench.session.readCalibration(channel: 0),
                reference: ReferenceStandard(id: "DWT-0042", expandedUncertainty: 0.01),
                tolerance: .percentOfFullScale(0.1), rule: .guarded)
            _ = try recordVerification(v, plan: vplan, identity: bench.identity, work: WorkContext(technician: "b.tech", startedAt: 0), history: history)
            return v
        }
        let good = try verify()
        #expect(good.passed)
        #expect(good.acceptanceLimit < good.toleranceLimit)  // guarded: the band is narrower than the tolerance
        bench.transport.withInstrument { $0.drift(gainFactor: 1.01, channel: 0) }
        let drifted = try verify()
        #expect(!drifted.passed)
        #expect(drifted.maxErrorPercentFS > 0.5)
        #expect(try bench.session.readCalibration(channel: 0) == stored)  // verify changed nothing
        let kinds = try history.entries(serial: "MQ-TEST-0001").map(\.kind)
        #expect(kinds == [.calibration, .verification, .verification])
    }
}

@Suite struct HistoryStoreTests {
    @Test func missingHistoryIsEmptyAndATornLastLineBlocksAppending() throws {
        let history = temporaryHistory()
        #expect(try history.entries().isEmpty)
        let bench = try Bench(sensor: Bench.sensor())
        defer { bench.close() }
        let (result, plan) = try bench.calibrate()
        let entry = try acceptCalibration(
            result, plan: plan, identity: bench.identity, work: WorkContext(technician: "a.tech", startedAt: 0),
            session: bench.session, history: history)
        let handle = try #require(FileHandle(forWritingAtPath: history.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"kind":"calibr"#.utf8))
        handle.closeFile()
        #expect(throws: CalibrationError.self) { try history.entries() }
        var second = entry
        second.id = "MQC-20990101-00000001"
        let error = #expect(throws: CalibrationError.self) { try history.append(second) }
        #expect(error?.description.contains("incomplete line") == true)
    }
}
