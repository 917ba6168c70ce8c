import LSL

/// How a device is published: the user's choices (`--lsl-name`, `--lsl-type`, `--lsl-format`, `--lsl-raw`) and
/// the network settings from `lsl_api.cfg`.
public struct LSLPublishSettings: Sendable {
    /// The stream's name; nil is `Mosquito <serial>`. With several devices each name gets the serial appended.
    public var name: String?
    /// The stream's type; nil derives it from the channels' kinds.
    public var type: String?
    /// float32 (what EEG tools expect) or double64: the calibrated values.
    public var format: LSLChannelFormat
    /// Also publish the raw ADC counts as a second, int32 stream.
    public var raw: Bool
    public var config: LSLConfig
    public var outletOptions: LSLOutletOptions
    /// Where the outlets report network trouble (a query they cannot evaluate, garbage on a port).
    public var log: LSLLog

    public init(
        name: String? = nil, type: String? = nil, format: LSLChannelFormat = .float32, raw: Bool = false,
        config: LSLConfig = LSLConfig(), outletOptions: LSLOutletOptions = .init(), log: LSLLog = .standardError
    ) {
        self.name = name
        self.type = type
        self.format = format
        self.raw = raw
        self.config = config
        self.outletOptions = outletOptions
        self.log = log
    }
}
