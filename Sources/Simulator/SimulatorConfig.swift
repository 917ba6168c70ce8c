import MWP
import MosquitoModel

/// One simulated channel: what the firmware reports about it, and the hidden physics behind it.
public struct SimulatedChannel: Sendable, Equatable {
    public var descriptor: ChannelDescriptor
    public var sensor: SensorModel
    public var signal: SignalShape
}

/// Everything that makes one simulated unit what it is.
public struct SimulatorConfig: Sendable, Equatable {
    /// Which unit HELLO says it is.
    public var unit: UnitIdentity
    public var maxRateHz: UInt32 = 100_000
    public var channels = SimulatorConfig.defaultChannels(count: 4)
    public var seed: UInt64 = 1
    public var faults = FaultPlan()
    /// The device clock runs fast or slow by this much, so clock mapping has something to find.
    public var clockDriftPPM: Double = 0

    /// A force-sensing unit with four channels, fault-free; the other properties change the rest.
    public init(serial: String = "MQ-SIM-0001") {
        unit = UnitIdentity(
            serial: serial, design: "MQ-FORCE", hardwareRevision: 2, firmware: FirmwareVersion(major: 1, minor: 0, patch: 0))
    }

    public var identity: IdentityRecord {
        IdentityRecord(unit: unit, maxRateHz: maxRateHz, channels: channels.map(\.descriptor))
    }

    public func validate() throws(SimulatorError) {
        do throws(MessageError) { try identity.validate() } catch { throw .badOption(error.description) }
        guard !channels.isEmpty else { throw .badOption("a simulated instrument needs at least one channel") }
        guard maxRateHz > 0 else { throw .badOption("max rate must be positive") }
    }

    /// A force-sensing unit's channels first, then generic voltage inputs: realistic and distinct per channel.
    public static func defaultChannels(count: Int) -> [SimulatedChannel] {
        let templates: [SimulatedChannel] = [
            SimulatedChannel(
                descriptor: ChannelDescriptor(kind: .force, adcBits: 24, unit: "N", name: "force", rawMin: -8_388_608, rawMax: 8_388_607),
                sensor: SensorModel(offsetCounts: 1234, gainCountsPerUnit: 40_000, quadraticCountsPerUnit2: 0.8, noiseCounts: 4, rawMin: -8_388_608, rawMax: 8_388_607),
                signal: .sine(amplitude: 50, frequencyHz: 2, offset: 10)),
            SimulatedChannel(
                descriptor: ChannelDescriptor(kind: .displacement, adcBits: 16, unit: "um", name: "displacement", rawMin: 0, rawMax: 65535),
                sensor: SensorModel(offsetCounts: 1000, gainCountsPerUnit: 60, quadraticCountsPerUnit2: 0, noiseCounts: 1.5, rawMin: 0, rawMax: 65535),
                signal: .ramp(amplitude: 400, frequencyHz: 0.5, offset: 500)),
            SimulatedChannel(
                descriptor: ChannelDescriptor(kind: .temperature, adcBits: 12, unit: "degC", name: "temperature", rawMin: 0, rawMax: 4095),
                sensor: SensorModel(offsetCounts: 500, gainCountsPerUnit: 40, quadraticCountsPerUnit2: 0, noiseCounts: 0.6, rawMin: 0, rawMax: 4095),
                signal: .sine(amplitude: 0.5, frequencyHz: 0.05, offset: 23)),
        ]
        return (0..<count).map { i in
            if i < templates.count { return templates[i] }
            return SimulatedChannel(
                descriptor: ChannelDescriptor(kind: .voltage, adcBits: 16, unit: "V", name: "ain\(i)", rawMin: -32768, rawMax: 32767),
                sensor: SensorModel(offsetCounts: Double(i * 3), gainCountsPerUnit: 3276.8, noiseCounts: 2, rawMin: -32768, rawMax: 32767),
                signal: .sine(amplitude: 5, frequencyHz: Double(i), offset: 0))
        }
    }
}

/// A fault the simulated firmware commits on every Nth SAMPLES frame. The raw value is its simulator option.
public enum PeriodicFault: String, Sendable, Hashable, CaseIterable {
    /// The frame is not sent (the host sees an index gap).
    case drop = "drop_every"
    /// One byte of the frame is flipped on the wire (the host sees a CRC error and a gap).
    case corrupt = "corrupt_every"
    /// The device's own buffer overruns and loses `FaultPlan.overrunSamples` samples, reported in STATUS.
    case overrun = "overrun_every"
    /// The frame is sent twice (the host sees a duplicate frame).
    case `repeat` = "repeat_every"
    /// The frame is held back and sent after the next one (the host sees a gap, then a late frame inside it).
    case late = "late_every"
}

/// Faults a technician or a test asks the simulated firmware to commit. Zero means never.
public struct FaultPlan: Sendable, Equatable {
    /// Every how many SAMPLES frames each periodic fault strikes; a fault not listed never does.
    public var every: [PeriodicFault: Int] = [:]
    /// Samples the device loses at each `.overrun`.
    public var overrunSamples: Int = 10
    /// After this many SAMPLES frames, send nothing for `stallMilliseconds`, then catch up.
    public var stallAfterFrames: Int = 0
    public var stallMilliseconds: Int = 0
    /// Close the link after this many SAMPLES frames.
    public var disconnectAfterFrames: Int = 0
    /// START counts sample indices from here instead of 0, and the firmware's u64 counter wraps past 2^64 - 1:
    /// a broken or hostile instrument (the host must not trap on its indices).
    public var firstIndex: UInt64 = 0
    /// How the calibration store behaves on SET_CALIBRATION.
    public var calibrationStorage: CalibrationStorageFault = .healthy

    public init() {}

    /// Whether `fault` strikes the `frame`th SAMPLES frame (counted from 1 since START).
    func strikes(_ fault: PeriodicFault, frame: Int) -> Bool {
        guard let n = every[fault], n > 0 else { return false }
        return frame % n == 0
    }
}

public enum CalibrationStorageFault: String, Sendable, Equatable, CaseIterable {
    case healthy
    /// SET_CALIBRATION answers STORAGE_FAILED.
    case refuses
    /// SET_CALIBRATION answers OK but flash keeps a slightly different record (a read-back must catch it).
    case corrupts
}
