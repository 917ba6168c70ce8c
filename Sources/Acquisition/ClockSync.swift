import Device
import Signal
import Synchronization

/// Keeps a device→host clock mapping fresh from PING exchanges, and keeps every exchange for the recording.
public final class ClockSync: Sendable {
    private let state = Mutex(ClockState())

    public init() {}

    /// Pings `count` times back to back (at start, so the first sample already has a mapping).
    public func burst(_ session: DeviceSession, count: Int) {
        for _ in 0..<count { ping(session) }
    }

    /// One exchange; a failed ping (timeout while the link is busy) is simply not used.
    public func ping(_ session: DeviceSession) {
        guard let p = try? session.ping() else { return }
        let exchange = PingExchange(hostSendNanos: p.hostSendNs, hostReceiveNanos: p.hostReceiveNs, deviceTimeMicros: p.deviceTimeUs)
        state.withLock { s in
            s.mapper.add(exchange)
            s.pending.append(exchange)
        }
    }

    public var mapping: ClockMapping? { state.withLock { $0.mapper.mapping } }

    /// A reconnected instrument's clock started again: forget the old mapping (the exchanges stay recorded).
    public func reset() { state.withLock { $0.mapper = ClockMapper() } }

    /// Exchanges made since the last call, for the recording's clock table.
    public func takeExchanges() -> [PingExchange] {
        state.withLock { s in
            defer { s.pending.removeAll() }
            return s.pending
        }
    }
}

struct ClockState {
    var mapper = ClockMapper()
    var pending: [PingExchange] = []
}
