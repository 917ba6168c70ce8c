/// Samples that never arrived: `count` consecutive indices starting at `firstMissingIndex`.
public struct Gap: Sendable, Codable, Equatable {
    public var firstMissingIndex: UInt64
    public var count: UInt64
    public var cause: GapCause

    public init(firstMissingIndex: UInt64, count: UInt64, cause: GapCause) {
        self.firstMissingIndex = firstMissingIndex
        self.count = count
        self.cause = cause
    }
}

public enum GapCause: String, Sendable, Codable, CaseIterable {
    case transportGap = "transport_gap"
    case crcError = "crc_error"
    case deviceOverrun = "device_overrun"
    case hostOverrun = "host_overrun"
    /// Never reached an archive over the network (`mosquito archive`); the edge's own recording may hold them.
    case network = "network"
}

/// Something that happened during the run: a status flag, marker, trigger or reconnect.
public struct RecordingEvent: Sendable, Codable, Equatable {
    public var sampleIndex: UInt64
    public var hostTimeNanos: Int64
    /// Short category, at most 32 UTF-8 bytes in the file (e.g. `marker`, `trigger`, `reconnect`, `status`).
    public var kind: String
    /// Free text, at most 256 UTF-8 bytes in the file (longer text is cut at a character boundary).
    public var detail: String

    public init(sampleIndex: UInt64, hostTimeNanos: Int64, kind: String, detail: String) {
        self.sampleIndex = sampleIndex
        self.hostTimeNanos = hostTimeNanos
        self.kind = kind
        self.detail = detail
    }
}

/// One clock ping: the host sent at `hostSendNanos`, the device answered with its time, the answer
/// arrived at `hostReceiveNanos`.
public struct ClockExchange: Sendable, Codable, Equatable {
    public var hostSendNanos: Int64
    public var hostReceiveNanos: Int64
    public var deviceTimeMicros: UInt64
    public var roundTripNanos: Int64

    public init(hostSendNanos: Int64, hostReceiveNanos: Int64, deviceTimeMicros: UInt64, roundTripNanos: Int64) {
        self.hostSendNanos = hostSendNanos
        self.hostReceiveNanos = hostReceiveNanos
        self.deviceTimeMicros = deviceTimeMicros
        self.roundTripNanos = roundTripNanos
    }
}
