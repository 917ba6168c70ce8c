import MosquitoModel

/// Which device→host clock mapping gives the host time of which sample, so that every reader of one stream (the
/// file, an LSL outlet, an MQTT publisher) stamps a sample with the same host time however late it reads it.
///
/// A refit (each PING exchange) would otherwise move the stamps of samples a slow reader has not taken yet, while
/// a fast reader already stamped them with the fit before. So a new fit applies only from just past the latest
/// device time any reader has claimed: what a reader was once answered for never changes.
///
/// Keyed by device time, which rises through a session (indices restart when a hub begins a recording; the device
/// clock does not). A reconnected instrument's clock starts again: the owner then begins a new timeline, and a
/// claim no exchange of this clock has come near (a reader still draining the old device's samples, or samples
/// taken before the first exchange) is not recorded, so it cannot push this clock's fits past its own samples.
public struct ClockTimeline: Sendable {
    /// The mappings in force, oldest first; the first applies to every device time before the second's start.
    private var epochs: [ClockEpoch] = [ClockEpoch(fromDeviceNs: 0, mapping: nil)]
    /// The latest device time a reader has been given host times for.
    private var claimedThroughNs: UInt64?
    /// The device time of the latest exchange with this clock.
    private var exchangedAtNs: UInt64?

    /// Old fits a reader far behind may still need (a fit a ping, eight per round every two seconds): minutes.
    static let keptEpochs = 256
    /// How far past the latest exchange a sample may be and still be this clock's: pings come every two seconds,
    /// so this leaves room for many missed rounds.
    static let claimHorizonNs: UInt64 = 30_000_000_000

    public init() {}

    /// The newest fit (for status, descriptions, "is the clock known yet").
    public var current: ClockMapping? { epochs[epochs.count - 1].mapping }

    /// A new fit from an exchange at device time `exchangeDeviceNs`, for every device time no reader has claimed yet.
    public mutating func adopt(_ mapping: ClockMapping?, exchangeDeviceNs: UInt64) {
        exchangedAtNs = max(exchangedAtNs ?? 0, exchangeDeviceNs)
        let from = claimedThroughNs.map { $0 == .max ? .max : $0 + 1 } ?? 0
        if epochs[epochs.count - 1].fromDeviceNs >= from {
            epochs[epochs.count - 1].mapping = mapping
        } else {
            epochs.append(ClockEpoch(fromDeviceNs: from, mapping: mapping))
            if epochs.count > Self.keptEpochs { epochs.removeFirst(epochs.count - Self.keptEpochs) }
        }
    }

    /// The host times of every sample up to device time `lastDeviceNs`, fixed from now on for every reader.
    public mutating func claim(throughDeviceNs lastDeviceNs: UInt64) -> HostTimes {
        if let exchanged = exchangedAtNs, lastDeviceNs <= exchanged.addingSaturating(Self.claimHorizonNs) {
            claimedThroughNs = max(claimedThroughNs ?? 0, lastDeviceNs)
        }
        return HostTimes(epochs: epochs)
    }
}

struct ClockEpoch: Sendable, Equatable {
    var fromDeviceNs: UInt64
    var mapping: ClockMapping?
}

/// A reader's answer from ``ClockTimeline/claim(throughDeviceNs:)``: host times for the samples it claimed.
public struct HostTimes: Sendable {
    let epochs: [ClockEpoch]

    /// Nothing to stamp with: no reader has claimed a device time, or no fit existed yet.
    public static let unknown = HostTimes(epochs: [ClockEpoch(fromDeviceNs: 0, mapping: nil)])

    /// The mapping in force at `deviceNs`, nil while the clock was not known there.
    public func mapping(atDeviceNs deviceNs: UInt64) -> ClockMapping? {
        // Almost always the newest epoch: search from the end.
        var i = epochs.count - 1
        while i > 0 && epochs[i].fromDeviceNs > deviceNs { i -= 1 }
        return epochs[i].mapping
    }

    /// Host monotonic time of a sample taken at `deviceNs`, nil while the clock was not known there.
    public func hostNs(deviceNs: UInt64) -> Double? {
        mapping(atDeviceNs: deviceNs)?.hostNs(deviceNs: deviceNs)
    }

    /// The host time as a file or a message records it: UTC nanoseconds, 0 when unknown (never a guess).
    public func hostTimeNs(deviceNs: UInt64, utcMinusMonotonicNs: Int64) -> Int64 {
        // A wire device time far from the fit's anchor maps out of Int64's range: unknown, never a trap.
        guard let host = hostNs(deviceNs: deviceNs)?.rounded(), host > -9.2e18, host < 9.2e18 else { return 0 }
        let (utc, overflow) = Int64(host).addingReportingOverflow(utcMinusMonotonicNs)
        return overflow ? 0 : utc
    }

    /// The first fit at or after `deviceNs`'s epoch: for a reader that must stamp every sample (LSL) even when the
    /// clock became known only after the sample was taken.
    public func earliestKnown(atDeviceNs deviceNs: UInt64) -> ClockMapping? {
        mapping(atDeviceNs: deviceNs) ?? epochs.lazy.compactMap(\.mapping).first
    }
}
