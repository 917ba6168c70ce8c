import MWP

/// Mosquito firmware, emulated: it speaks only MWP/1 bytes, keeps a device clock, paces samples from that clock
/// (a catch-up loop, like sigrok's demo driver), stores calibration records and refuses what firmware refuses.
///
/// Pure: no I/O, no clock of its own. A driver feeds it host bytes and the current device time, and sends on
/// whatever it puts in `output`.
public struct SimulatedInstrument: EmulatedFirmware, Sendable {
    public private(set) var config: SimulatorConfig
    /// Bytes the device has to send, in order. The driver removes what it has sent.
    public var output: [UInt8] = []
    public private(set) var isDisconnected = false
    public private(set) var calibrations: [CalibrationRecord]

    private var wire = FirmwareWire()
    private var rateHz: UInt32 = 0
    private var channelMask: UInt32 = 0
    private var streaming = false
    private var startUs: UInt64 = 0
    private var nextIndex: UInt64 = 0
    private var framesGenerated = 0
    private var droppedTotal: UInt32 = 0
    private var stallUntilUs: UInt64?
    private var stallDone = false
    private var physicalOverride: [Double?]
    private var gainDrift: [Double]
    private var valueScratch: [Int32] = []
    /// A frame held back by the `late_every` fault, sent after the next one.
    private var lateFrame: [UInt8] = []

    public init(config: SimulatorConfig) {
        self.config = config
        calibrations = config.channels.enumerated().map { i, ch in
            let f = ch.sensor.factoryCalibration
            return CalibrationRecord(channel: UInt8(i), degree: 1, coefficients: [f.c0, f.c1], calibratedAt: 1_767_225_600, technician: "factory")
        }
        physicalOverride = Array(repeating: nil, count: config.channels.count)
        gainDrift = Array(repeating: 1, count: config.channels.count)
        valueScratch.reserveCapacity(MWP.maxPayloadLength / 4)
    }

    // MARK: Test and bench controls (the hidden physical world, not the protocol)

    /// Hold a channel's physical input at a known value, as a calibration rig would; `nil` returns to its signal.
    public mutating func applyPhysicalInput(_ value: Double?, channel: Int) { physicalOverride[channel] = value }

    /// Age the sensor: its gain changes by `factor`, as drift between calibrations would.
    public mutating func drift(gainFactor: Double, channel: Int) { gainDrift[channel] *= gainFactor }

    public var isStreaming: Bool { streaming }
    public var configuredRateHz: UInt32 { rateHz }

    /// What sample `index` of `channel` is at `rateHz`: the truth a test compares a recording against.
    public func rawSample(channel c: Int, index: UInt64, rateHz: UInt32) -> Int32 {
        let ch = config.channels[c]
        let t = Double(index) / Double(rateHz)
        let x = physicalOverride[c]
            ?? ch.signal.value(at: t, noise: DeterministicNoise.gaussian(seed: config.seed, channel: c, index: index, stream: 1))
        var sensor = ch.sensor
        sensor.gainCountsPerUnit *= gainDrift[c]
        return sensor.raw(physical: x, gaussian: DeterministicNoise.gaussian(seed: config.seed, channel: c, index: index))
    }

    /// Samples per SAMPLES frame: about 2 ms of data, never more than a frame holds.
    public static func samplesPerFrame(rateHz: UInt32, channels: Int) -> Int {
        max(1, min(SamplesHeader.maxCount(channels: channels), Int(rateHz / 500)))
    }

    // MARK: The wire

    /// Bytes from the host, received at device time `nowUs`.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, nowUs: UInt64) {
        guard !isDisconnected else { return }
        wire.receive(bytes)
        while let request = wire.nextRequest(answeringInto: &output) { send(reply(to: request, deviceNowUs: nowUs)) }
    }

    public mutating func receive(_ bytes: [UInt8], nowUs: UInt64) {
        bytes.withUnsafeBytes { receive($0, nowUs: nowUs) }
    }

    /// Device time at which the next SAMPLES frame falls due, or nil when not streaming.
    public func nextFrameDueUs() -> UInt64? {
        guard streaming, !isDisconnected else { return nil }
        if let stall = stallUntilUs { return stall }
        let spf = UInt64(Self.samplesPerFrame(rateHz: rateHz, channels: channelMask.nonzeroBitCount))
        return startUs + (nextIndex + spf) * 1_000_000 / UInt64(rateHz)
    }

    /// Emits every SAMPLES frame due by device time `nowUs` (catch-up: a late call emits a burst, never skips),
    /// stopping early once `output` holds `maxOutputBytes`: a driver that cannot keep up gets the rest on its
    /// next call instead of an ever larger burst (samples are computed from their index, so nothing shifts).
    public mutating func advance(nowUs: UInt64, maxOutputBytes: Int = .max) {
        guard streaming, !isDisconnected else { return }
        if let stall = stallUntilUs {
            guard nowUs >= stall else { return }
            stallUntilUs = nil
        }
        let channels = channelMask.nonzeroBitCount
        let spf = UInt64(Self.samplesPerFrame(rateHz: rateHz, channels: channels))
        let due = (nowUs &- startUs) * UInt64(rateHz) / 1_000_000
        while nextIndex + spf <= due && !isDisconnected && stallUntilUs == nil && output.count < maxOutputBytes {
            emitFrame(count: Int(spf), channels: channels, nowUs: nowUs)
        }
    }

    private mutating func emitFrame(count: Int, channels: Int, nowUs: UInt64) {
        framesGenerated += 1
        let k = framesGenerated
        let faults = config.faults
        if faults.strikes(.overrun, frame: k) {
            nextIndex += UInt64(faults.overrunSamples)
            droppedTotal &+= UInt32(faults.overrunSamples)
            send(.status(DeviceStatus(flags: .bufferOverrun, droppedTotal: droppedTotal, temperatureCentiC: 2315)))
        }
        let first = nextIndex
        nextIndex += UInt64(count)
        // Time and values follow the count since START; only the index on the wire starts at `firstIndex`.
        let header = SamplesHeader(
            firstIndex: faults.firstIndex &+ first, deviceTimeUs: startUs + first * 1_000_000 / UInt64(rateHz),
            channelMask: channelMask, count: UInt16(count))
        let dropped = faults.strikes(.drop, frame: k)
        let held = lateFrame
        lateFrame.removeAll()
        if !dropped {
            valueScratch.removeAll(keepingCapacity: true)
            for s in 0..<UInt64(count) {
                for c in 0..<config.channels.count where channelMask & (1 << c) != 0 {
                    valueScratch.append(rawSample(channel: c, index: first + s, rateHz: rateHz))
                }
            }
            let frameStart = output.count
            valueScratch.withUnsafeBufferPointer { wire.sendSamples(header, values: $0, into: &output) }
            if faults.strikes(.corrupt, frame: k) {
                // Flip a byte in the middle of the frame, never into a delimiter, so exactly one frame fails its CRC.
                let i = frameStart + (output.count - 1 - frameStart) / 2
                output[i] = output[i] == 0x01 ? 0x02 : output[i] ^ 0x01
            }
            if faults.strikes(.repeat, frame: k) {
                output.append(contentsOf: output[frameStart...])
            }
            if faults.strikes(.late, frame: k) {
                lateFrame = Array(output[frameStart...])
                output.removeSubrange(frameStart...)
            }
        }
        output += held
        if faults.stallAfterFrames > 0 && k == faults.stallAfterFrames && !stallDone {
            stallDone = true
            stallUntilUs = nowUs + UInt64(faults.stallMilliseconds) * 1000
        }
        if faults.disconnectAfterFrames > 0 && k >= faults.disconnectAfterFrames {
            isDisconnected = true
        }
    }

    // MARK: What this instrument decides (EmulatedFirmware); the conversation's rules are MWP's.

    package var identity: IdentityRecord { config.identity }

    /// Any rate up to the maximum the rules already checked: the signal is computed, not recorded.
    package mutating func configure(rateHz: UInt32, channelMask: UInt32) -> Bool {
        self.rateHz = rateHz
        self.channelMask = channelMask
        return true
    }

    package mutating func start(deviceNowUs: UInt64) -> Status {
        guard rateHz > 0 else { return .notConfigured }
        streaming = true
        startUs = deviceNowUs
        nextIndex = 0
        framesGenerated = 0
        droppedTotal = 0
        return .ok
    }

    package mutating func stop() {
        streaming = false
        stallUntilUs = nil
        lateFrame.removeAll()
    }

    package func calibration(channel: Int) -> CalibrationRecord { calibrations[channel] }

    /// Stored as the `calibration_storage` fault says: kept, refused, or kept with its offset damaged.
    package mutating func store(_ record: CalibrationRecord) -> Status {
        switch config.faults.calibrationStorage {
        case .healthy: calibrations[Int(record.channel)] = record
        case .refuses: return .storageFailed
        case .corrupts:
            var damaged = record
            damaged.coefficients[0] += 1e-3
            calibrations[Int(record.channel)] = damaged
        }
        return .ok
    }

    private mutating func send(_ message: Message) { wire.send(message, into: &output) }
}
