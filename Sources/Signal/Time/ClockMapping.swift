/// A device→host clock mapping: host = hostReference + slope · (device − deviceReference).
/// Recorded with the data so that host time of any sample can be recomputed later.
public struct ClockMapping: Sendable, Hashable, Codable {
    /// Device time the fit is anchored at, in microseconds.
    public var deviceReferenceMicros: UInt64
    /// Host monotonic time at `deviceReferenceMicros`, in nanoseconds.
    public var hostReferenceNanos: Double
    /// Host nanoseconds per device microsecond: 1000 for clocks that agree.
    public var hostNanosPerDeviceMicro: Double
    /// One standard uncertainty of a mapped host time, in nanoseconds.
    public var uncertaintyNanos: Double
    /// Exchanges the fit rests on (the lowest-round-trip ones).
    public var exchangesUsed: Int

    public init(
        deviceReferenceMicros: UInt64, hostReferenceNanos: Double, hostNanosPerDeviceMicro: Double,
        uncertaintyNanos: Double, exchangesUsed: Int
    ) {
        self.deviceReferenceMicros = deviceReferenceMicros
        self.hostReferenceNanos = hostReferenceNanos
        self.hostNanosPerDeviceMicro = hostNanosPerDeviceMicro
        self.uncertaintyNanos = uncertaintyNanos
        self.exchangesUsed = exchangesUsed
    }

    /// Device clock rate error relative to the host clock, parts per million (positive: device slow).
    public var driftPPM: Double { (hostNanosPerDeviceMicro / 1000 - 1) * 1e6 }

    /// Host time of a device time given in nanoseconds (as ``SampleClock`` produces).
    public func hostNanos(deviceNanos: UInt64) -> Double {
        let deltaMicros = (Double(Int64(bitPattern: deviceNanos &- deviceReferenceMicros &* 1000))) / 1000
        return hostReferenceNanos + hostNanosPerDeviceMicro * deltaMicros
    }

    public func hostNanos(deviceMicros: UInt64) -> Double {
        hostNanos(deviceNanos: deviceMicros &* 1000)
    }
}
