import MosquitoModel
import Signal

/// Exactly what a run delivered and lost, per device: printed at the end, and as JSON with `--json`.
public struct RunSummary: Sendable, Codable {
    public var output: String
    public var elapsedSeconds: Double
    public var devices: [DeviceSummary]
    public var recordingError: String?

    /// Each device's count is exact; the sum saturates (two devices may each count up to 2^64 - 1).
    public var samplesLost: UInt64 { devices.reduce(0) { $0.addingSaturating($1.lost.total) } }
    public var linkLost: Bool { devices.contains { $0.linkError != nil } }

    /// Every device's frames that broke the index rule, summed (saturating, like ``samplesLost``).
    public var indexViolations: IndexViolations {
        devices.reduce(into: IndexViolations()) { sum, d in
            let v = d.indexViolations
            sum.duplicateFrames = sum.duplicateFrames.addingSaturating(v.duplicateFrames)
            sum.duplicateSamples = sum.duplicateSamples.addingSaturating(v.duplicateSamples)
            sum.overflowFrames = sum.overflowFrames.addingSaturating(v.overflowFrames)
            sum.overflowSamples = sum.overflowSamples.addingSaturating(v.overflowSamples)
        }
    }
}

public struct DeviceSummary: Sendable, Codable {
    public var uri: String
    public var serial: String
    public var rateHz: UInt32
    public var outputRateHz: Double
    public var channels: [String]
    /// What the run asked for (`--duration` × rate); nil for a run until Ctrl-C.
    public var samplesExpected: UInt64?
    /// One past the last index accounted for: `samplesReceived + lost.total == nextIndex`, always. Equals
    /// `samplesExpected` when the run ran to its end.
    public var nextIndex: UInt64
    /// Samples that reached the recorder, each index once (a duplicate is never received twice). When a write
    /// failed, those the file lost with it are not among them: they count as lost, `write_failed`.
    public var samplesReceived: UInt64
    /// Sample rows in the file as it was left: after a failed write, the rows of its last good flush.
    public var samplesWritten: UInt64
    public var framesReceived: UInt64
    public var crcErrors: UInt64
    public var malformedFrames: UInt64
    /// Samples lost, by cause and in total.
    public var lost: LossTotals
    /// Frames the instrument sent again, backwards, or past index 2^64 - 1: counted here and as events in the
    /// file; their samples were discarded, and the run exits non-zero.
    public var indexViolations: IndexViolations
    public var clockOffsetUncertaintyNs: Double?
    public var clockDriftPPM: Double?
    public var linkError: String?
    /// Outages followed through (`--follow`): each is a transport gap and a `reconnect` event in the file.
    public var reconnects: Int
    /// With `--trigger`: the index where it fired, the first one recorded (nil: no trigger, or it never fired).
    public var triggeredAtIndex: UInt64?
    /// Ring capacity in frames (`--buffer` seconds at this rate, rounded up to a power of two).
    public var bufferFrames: Int
    /// The largest backlog the recorder found: near `bufferFrames` the instrument was held back.
    public var bufferHighWaterFrames: Int
}
