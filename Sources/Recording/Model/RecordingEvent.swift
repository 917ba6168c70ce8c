/// Something that happened during the run: a status flag, marker, trigger or reconnect.
public struct RecordingEvent: Sendable, Codable, Equatable {
    public var sampleIndex: UInt64
    public var hostTimeNs: Int64
    /// Short category, at most 32 UTF-8 bytes in the file (e.g. `marker`, `trigger`, `reconnect`, `status`).
    public var kind: String
    /// Free text, at most 256 UTF-8 bytes in the file (longer text is cut at a character boundary).
    public var detail: String

    /// The names JSON has always given them.
    enum CodingKeys: String, CodingKey {
        case sampleIndex, kind, detail
        case hostTimeNs = "hostTimeNanos"
    }

    public init(sampleIndex: UInt64, hostTimeNs: Int64, kind: String, detail: String) {
        self.sampleIndex = sampleIndex
        self.hostTimeNs = hostTimeNs
        self.kind = kind
        self.detail = detail
    }
}
