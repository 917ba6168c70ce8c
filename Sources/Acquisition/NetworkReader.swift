/// Someone reading a device's stream through a network subscriber (an LSL inlet of `--lsl`): what it got, and
/// what it missed because it read too slowly. Each has its own bounded queue, so its losses are its own; the
/// hub's status lists them, so a user sees which reader falls behind (liblsl itself drops silently).
public struct NetworkReader: Sendable, Codable, Equatable {
    /// What carries the stream to it: `lsl`.
    public var via: String
    /// The stream it reads (an LSL stream's name).
    public var stream: String
    /// Its address and port as this host sees them.
    public var peer: String
    /// The hostname it gave, if any.
    public var hostname: String
    public var samplesSent: UInt64
    public var samplesDropped: UInt64

    public init(via: String, stream: String, peer: String, hostname: String, samplesSent: UInt64, samplesDropped: UInt64) {
        self.via = via
        self.stream = stream
        self.peer = peer
        self.hostname = hostname
        self.samplesSent = samplesSent
        self.samplesDropped = samplesDropped
    }
}
