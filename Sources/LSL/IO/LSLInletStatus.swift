/// What an outlet knows about one inlet that asked for its samples: how much it got, how much it missed
/// because it read too slowly (liblsl drops these silently; this outlet counts them), and whether it is still there.
public struct LSLInletStatus: Sendable, Equatable {
    /// Numbered from 1 per outlet, in the order inlets connected.
    public let id: Int
    /// The inlet's address and port as seen by the outlet.
    public let peer: String
    /// The hostname the inlet sent in its request (liblsl sends the stream's hostname there, so often ours).
    public let hostname: String
    /// The most samples queued for it before the oldest are dropped.
    public let capacity: Int
    public internal(set) var samplesSent: UInt64 = 0
    public internal(set) var samplesDropped: UInt64 = 0
    public internal(set) var samplesQueued: Int = 0
    public internal(set) var connected = true
}
