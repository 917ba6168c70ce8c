/// The root attributes of a recording.
public struct RecordingMetadata: Sendable, Codable, Equatable {
    public var format: String
    public var formatVersion: Int64
    public var softwareVersion: String
    public var host: String
    /// UTC, ISO 8601.
    public var startTime: String
    /// UTC, ISO 8601; `nil` when the recorder did not close cleanly (killed, crashed, disk full).
    public var stopTime: String?
    public var commandLine: String
    public var deviceURIs: [String]
}

/// One device of a recording: its group name in the file and what was recorded about it.
public struct RecordingDeviceEntry: Sendable, Codable, Equatable {
    public var group: String
    public var device: RecordedDevice
}
