/// One PING round trip: the host's monotonic clock when the request left and when the answer arrived,
/// and the device clock the answer carried. The device read its clock somewhere inside the round trip,
/// so the round trip bounds how wrong pairing it with the midpoint can be.
public struct PingExchange: Sendable, Hashable, Codable {
    public var hostSendNanos: UInt64
    public var hostReceiveNanos: UInt64
    public var deviceTimeMicros: UInt64

    public init(hostSendNanos: UInt64, hostReceiveNanos: UInt64, deviceTimeMicros: UInt64) {
        precondition(hostReceiveNanos >= hostSendNanos, "an answer cannot arrive before its request left")
        self.hostSendNanos = hostSendNanos
        self.hostReceiveNanos = hostReceiveNanos
        self.deviceTimeMicros = deviceTimeMicros
    }

    public var roundTripNanos: UInt64 { hostReceiveNanos - hostSendNanos }
    /// Host time the device reading is paired with.
    public var hostMidpointNanos: Double { Double(hostSendNanos) + Double(roundTripNanos) / 2 }
}
