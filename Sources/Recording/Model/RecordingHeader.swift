import Foundation

/// Provenance of a run, written once when the recording starts.
public struct RecordingHeader: Sendable, Equatable {
    public var softwareVersion: String
    public var host: String
    public var startTime: Date
    /// The arguments the recorder was started with, including the program name.
    public var commandLine: [String]
    /// Every device of the run; SWMR forbids adding groups later, so all are known up front.
    public var devices: [RecordedDevice]

    public init(softwareVersion: String, host: String, startTime: Date, commandLine: [String],
                devices: [RecordedDevice]) {
        self.softwareVersion = softwareVersion
        self.host = host
        self.startTime = startTime
        self.commandLine = commandLine
        self.devices = devices
    }
}

enum UTCTimestamp {
    /// ISO 8601 UTC with microseconds, e.g. `2026-11-26T05:36:41.123456Z`.
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}

enum CommandLineText {
    /// Joins arguments the way a POSIX shell would need them quoted, so the line can be pasted back.
    static func join(_ arguments: [String]) -> String {
        arguments.map { argument in
            let safe = !argument.isEmpty && argument.allSatisfy {
                $0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0)
            }
            return safe ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
