import Calibration
import Device
import Foundation
import MWP
import Simulator

/// The simulator's hidden physical world as a calibration rig: holds the channel at the reference value.
struct SimulatedRig: ReferenceRig {
    let transport: SimulatorTransport
    func apply(_ value: Double, channel: UInt8) throws(CalibrationError) {
        transport.withInstrument { $0.applyPhysicalInput(value, channel: Int(channel)) }
    }
}

/// A simulated unit with channel 0 replaced by `sensor` (a 24-bit force channel), opened and identified.
struct Bench {
    let transport: SimulatorTransport
    let session: DeviceSession
    let identity: IdentityRecord

    init(sensor: SensorModel? = nil, storage: CalibrationStorageFault = .healthy, serial: String = "MQ-TEST-0001") throws {
        var config = SimulatorConfig(serial: serial)
        if let sensor { config.channels[0].sensor = sensor }
        config.faults.calibrationStorage = storage
        transport = SimulatorTransport(config: config)
        session = DeviceSession(transport: transport)
        identity = try session.identify()
    }

    func close() { session.close() }

    static func sensor(quadratic: Double = 0, noise: Double = 4) -> SensorModel {
        SensorModel(
            offsetCounts: 1234, gainCountsPerUnit: 40_000, quadraticCountsPerUnit2: quadratic, noiseCounts: noise,
            rawMin: -8_388_608, rawMax: 8_388_607)
    }

    func measure(_ plan: MeasurementPlan) throws -> [CapturedPoint] {
        let acquirer = try ScriptedAcquirer(session: session, plan: plan, rig: SimulatedRig(transport: transport))
        return try Calibration.measure(plan, with: acquirer)
    }

    func calibrate(
        points: [Double] = [0, 10, 20, 50, 100], degree: DegreeChoice = .auto, reference: Double = 0.01,
        tolerance: Tolerance = .percentOfFullScale(0.1)
    ) throws -> (CalibrationResult, MeasurementPlan) {
        let plan = MeasurementPlan(channel: 0, points: points, descending: true, samplesPerPoint: 400, rateHz: 20_000)
        let captured = try measure(plan)
        let result = try CalibrationAnalysis.analyze(
            points: captured, channel: 0, descriptor: identity.channels[0], degree: degree,
            reference: ReferenceStandard(id: "DWT-0042", expandedUncertainty: reference), tolerance: tolerance,
            asFound: try session.readCalibration(channel: 0))
        return (result, plan)
    }
}

func temporaryHistory() -> CalibrationHistory {
    CalibrationHistory(path: NSTemporaryDirectory() + "mosquito-calib-\(UUID().uuidString)/history.jsonl")
}
