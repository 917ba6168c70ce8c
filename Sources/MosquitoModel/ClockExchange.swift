/// One PING round trip: the host's clock when the request left and when the answer arrived, and the device
/// clock the answer carried. The device read its clock somewhere inside the round trip, so the round trip
/// bounds how wrong pairing it with the midpoint can be. The clock mapper takes them on the host's monotonic
/// clock; a recording's clock table holds them shifted to UTC.
public struct ClockExchange: Sendable, Hashable, Codable {
    public var hostSendNs: Int64
    public var hostReceiveNs: Int64
    public var deviceTimeUs: UInt64
    /// Stored, not derived: a recording's clock table carries it as a column of its own.
    public var roundTripNs: Int64

    public init(hostSendNs: Int64, hostReceiveNs: Int64, deviceTimeUs: UInt64, roundTripNs: Int64) {
        self.hostSendNs = hostSendNs
        self.hostReceiveNs = hostReceiveNs
        self.deviceTimeUs = deviceTimeUs
        self.roundTripNs = roundTripNs
    }

    /// An exchange as the host measured it on its monotonic clock.
    public init(hostSendNs: UInt64, hostReceiveNs: UInt64, deviceTimeUs: UInt64) {
        precondition(hostReceiveNs >= hostSendNs, "an answer cannot arrive before its request left")
        self.init(
            hostSendNs: Int64(hostSendNs), hostReceiveNs: Int64(hostReceiveNs), deviceTimeUs: deviceTimeUs,
            roundTripNs: Int64(hostReceiveNs - hostSendNs))
    }

    /// Host time the device reading is paired with.
    public var hostMidpointNs: Double { Double(hostSendNs) + Double(roundTripNs) / 2 }

    /// The same exchange with both host times moved by `offsetNs` (monotonic → UTC).
    public func shifted(byNs offsetNs: Int64) -> ClockExchange {
        ClockExchange(
            hostSendNs: hostSendNs + offsetNs, hostReceiveNs: hostReceiveNs + offsetNs, deviceTimeUs: deviceTimeUs,
            roundTripNs: roundTripNs)
    }
}
