import Signal

/// Exactly what a run delivered and lost, per device: printed at the end, and as JSON with `--json`.
public struct RunSummary: Sendable, Codable {
    public var output: String
    public var elapsedSeconds: Double
    public var devices: [DeviceSummary]
    public var recordingError: String?

    public var samplesLost: UInt64 { devices.reduce(0) { $0 + $1.lost.total } }
    public var linkLost: Bool { devices.contains { $0.linkError != nil } }
}

public struct DeviceSummary: Sendable, Codable {
    public var uri: String
    public var serial: String
    public var rateHz: UInt32
    public var outputRateHz: Double
    public var channels: [String]
    public var samplesExpected: UInt64?
    public var samplesReceived: UInt64
    public var samplesWritten: UInt64
    public var framesReceived: UInt64
    public var crcErrors: UInt64
    public var malformedFrames: UInt64
    public var lost: LossCounts
    public var clockOffsetUncertaintyNs: Double?
    public var clockDriftPPM: Double?
    public var linkError: String?
    /// Outages followed through (`--follow`): each is a transport gap and a `reconnect` event in the file.
    public var reconnects: Int
    /// Ring capacity in frames (`--buffer` seconds at this rate, rounded up to a power of two).
    public var bufferFrames: Int
    /// The largest backlog the recorder found: near `bufferFrames` the instrument was held back.
    public var bufferHighWaterFrames: Int
}

public struct LossCounts: Sendable, Codable, Equatable {
    public var transportGap: UInt64
    public var crcError: UInt64
    public var deviceOverrun: UInt64
    public var hostOverrun: UInt64
    public var total: UInt64

    init(_ t: LossTotals) {
        transportGap = t.transportGap
        crcError = t.crcError
        deviceOverrun = t.deviceOverrun
        hostOverrun = t.hostOverrun
        total = t.total
    }
}
