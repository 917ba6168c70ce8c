/// A device→host clock mapping: host = hostReference + slope · (device − deviceReference).
/// Recorded with the data so that host time of any sample can be recomputed later.
public struct ClockMapping: Sendable, Hashable, Codable {
    /// Device time the fit is anchored at, in microseconds.
    public var deviceReferenceUs: UInt64
    /// Host monotonic time at `deviceReferenceUs`, in nanoseconds.
    public var hostReferenceNs: Double
    /// Host nanoseconds per device microsecond: 1000 for clocks that agree.
    public var hostNsPerDeviceUs: Double
    /// One standard uncertainty of a mapped host time, in nanoseconds.
    public var clockOffsetUncertaintyNs: Double
    /// Exchanges the fit rests on (the lowest-round-trip ones).
    public var exchangesUsed: Int

    /// Device clock rate error relative to the host clock, parts per million (positive: device slow).
    public var driftPPM: Double { (hostNsPerDeviceUs / 1000 - 1) * 1e6 }

    /// Host time of a device time given in nanoseconds (as ``SampleClock`` produces).
    public func hostNs(deviceNs: UInt64) -> Double {
        let deltaUs = (Double(Int64(bitPattern: deviceNs &- deviceReferenceUs &* 1000))) / 1000
        return hostReferenceNs + hostNsPerDeviceUs * deltaUs
    }

    public func hostNs(deviceUs: UInt64) -> Double {
        hostNs(deviceNs: deviceUs &* 1000)
    }
}
