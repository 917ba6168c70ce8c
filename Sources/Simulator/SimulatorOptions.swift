import MWP

extension SimulatorConfig {
    /// Builds a unit from `key=value` options, as `sim?…` device URIs and `mosquito simulate` flags give them:
    /// serial, design, channels, seed, max_rate, drift_ppm, signalN (a `SignalShape` spec for channel N),
    /// drop_every, corrupt_every, stall_after, stall_ms, disconnect_after, overrun_every, overrun_samples,
    /// repeat_every, late_every, first_index (0 to 2^64-1), calibration_storage (healthy|refuses|corrupts).
    public init(options: [String: String]) throws(SimulatorError) {
        var config = SimulatorConfig()
        func int(_ key: String, _ range: ClosedRange<Int> = 0...Int(Int32.max)) throws(SimulatorError) -> Int? {
            guard let text = options[key] else { return nil }
            guard let v = Int(text), range.contains(v) else {
                throw .badOption("\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
            }
            return v
        }
        if let n = try int("channels", 1...IdentityRecord.maxChannels) { config.channels = SimulatorConfig.defaultChannels(count: n) }
        if let s = options["serial"] { config.unit.serial = s }
        if let d = options["design"] { config.unit.design = d }
        if let seed = options["seed"] {
            guard let v = UInt64(seed) else { throw .badOption("seed must be a non-negative whole number, not '\(seed)'") }
            config.seed = v
        }
        if let r = try int("max_rate", 1...10_000_000) { config.maxRateHz = UInt32(r) }
        if let d = options["drift_ppm"] {
            guard let v = Double(d), abs(v) < 10_000 else { throw .badOption("drift_ppm must be a number below 10000 in size") }
            config.clockDriftPPM = v
        }
        for (key, value) in options where key.hasPrefix("signal") {
            let digits = key.dropFirst("signal".count)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let ch = Int(digits) else {
                throw .badOption("option '\(key)=\(value)' names no channel: signalN=KIND[:…] sets channel N's signal "
                    + "(\(config.channelRange)), e.g. signal0=sine:10:5")
            }
            try config.setSignal(channel: ch, spec: value, given: "\(key)=\(value)")
        }
        var f = FaultPlan()
        for fault in PeriodicFault.allCases { f.every[fault] = try int(fault.rawValue) }
        f.stallAfterFrames = try int("stall_after") ?? 0
        f.stallMilliseconds = try int("stall_ms", 0...600_000) ?? 0
        f.disconnectAfterFrames = try int("disconnect_after") ?? 0
        f.overrunSamples = try int("overrun_samples", 1...1_000_000) ?? f.overrunSamples
        if let text = options["first_index"] {
            guard let v = UInt64(text) else {
                throw .badOption("first_index must be a whole number in 0...\(UInt64.max), not '\(text)'")
            }
            f.firstIndex = v
        }
        if let c = options["calibration_storage"] {
            guard let v = CalibrationStorageFault(rawValue: c) else {
                throw .badOption("calibration_storage must be healthy, refuses or corrupts")
            }
            f.calibrationStorage = v
        }
        config.faults = f
        let known = Set(PeriodicFault.allCases.map(\.rawValue)).union([
            "channels", "serial", "design", "seed", "max_rate", "drift_ppm", "stall_after", "stall_ms",
            "disconnect_after", "overrun_samples", "calibration_storage", "first_index",
        ])
        if let unknown = options.keys.filter({ !known.contains($0) && !$0.hasPrefix("signal") }).sorted().first {
            throw .badOption("unknown simulator option '\(unknown)'")
        }
        try config.validate()
        self = config
    }

    /// Channel `channel`'s signal, from a `SignalShape` spec. `given` is the option as the user wrote it, to name
    /// it when there is no such channel.
    public mutating func setSignal(channel: Int, spec: String, given: String) throws(SimulatorError) {
        guard channels.indices.contains(channel) else {
            throw .badOption("\(given): no channel \(channel); the unit has \(channelRange)")
        }
        channels[channel].signal = try SignalShape(parsing: spec)
    }

    /// "channels 0-3", or "channel 0" for a single-channel unit.
    var channelRange: String {
        channels.count == 1 ? "channel 0" : "channels 0-\(channels.count - 1)"
    }
}
