import Device
import Foundation
import MosquitoModel
import Signal

/// Keeps a device→host clock mapping fresh from PING exchanges, and, while a recording takes them, every exchange
/// for its clock table. One per instrument session (``StreamOutlets/clock``): the hub pings it while streaming, the
/// recording's run while recording, and every subscriber reads the same mapping.
///
/// Unchecked: `state` is guarded by `lock`. A pthread lock rather than `Synchronization.Mutex`: the supervisor
/// (pinging) and the recorder (taking exchanges) contend for it, and Mutex's contended hand-over goes through the
/// kernel (FUTEX_LOCK_PI), which ThreadSanitizer cannot see, so `make tsan` reported the hand-over as a race.
public final class ClockSync: @unchecked Sendable {
    private let lock = NSLock()
    private var state = ClockState()

    public init() {}

    /// Pings `count` times back to back (at start, so the first sample already has a mapping).
    public func burst(_ session: DeviceSession, count: Int) {
        for _ in 0..<count { ping(session) }
    }

    /// One exchange; a failed ping (timeout while the link is busy) is simply not used.
    public func ping(_ session: DeviceSession) {
        guard let p = try? session.ping() else { return }
        let exchange = ClockExchange(hostSendNs: p.hostSendNs, hostReceiveNs: p.hostReceiveNs, deviceTimeUs: p.deviceTimeUs)
        lock.withLock {
            state.mapper.add(exchange)
            let (deviceNs, overflow) = p.deviceTimeUs.multipliedReportingOverflow(by: 1000)
            state.timeline.adopt(state.mapper.mapping, exchangeDeviceNs: overflow ? .max : deviceNs)
            // Outside a recording nobody takes them: a session streaming for days must not grow without bound.
            if state.keepingExchanges { state.pending.append(exchange) }
        }
    }

    /// The newest fit: for status and descriptions. Stamping a sample goes through ``hostTimes(throughDeviceNs:)``.
    public var mapping: ClockMapping? { lock.withLock { state.timeline.current } }

    /// Host times for every sample up to device time `lastDeviceNs`, the same for every reader of the session
    /// however late it reads (``ClockTimeline``). A reader calls it with the last device time it is about to stamp.
    public func hostTimes(throughDeviceNs lastDeviceNs: UInt64) -> HostTimes {
        lock.withLock { state.timeline.claim(throughDeviceNs: lastDeviceNs) }
    }

    /// A reconnected instrument's clock started again: forget the old mapping (the exchanges stay recorded).
    /// Readers drain the old device's samples while the link is down, long before it comes back.
    public func reset() {
        lock.withLock {
            state.mapper = ClockMapper()
            state.timeline = ClockTimeline()
        }
    }

    /// A recording starts: from now on every exchange is kept for its clock table.
    public func startKeepingExchanges() {
        lock.withLock {
            state.pending.removeAll()
            state.keepingExchanges = true
        }
    }

    /// The recording ended (its recorder took what it needed): exchanges are no longer kept.
    public func stopKeepingExchanges() {
        lock.withLock {
            state.keepingExchanges = false
            state.pending.removeAll()
        }
    }

    /// Exchanges made since the last call, for the recording's clock table.
    public func takeExchanges() -> [ClockExchange] {
        lock.withLock {
            defer { state.pending.removeAll() }
            return state.pending
        }
    }
}

struct ClockState {
    var mapper = ClockMapper()
    var timeline = ClockTimeline()
    var pending: [ClockExchange] = []
    var keepingExchanges = false
}
