import Device
import Foundation
import Synchronization

/// Keeps an instrument's clock mapped while it streams without recording (a recording's run pings the same
/// ``ClockSync`` itself): a burst at once, so the mapping exists within a few round trips of START, then a round
/// every two seconds to follow drift without loading the link.
///
/// On a thread of its own: a ping waits for its PONG, and neither the session's reader thread nor a caller holding
/// the hub's transition lock may wait for that. A ping that fails (the link is busy or gone) is simply not used.
final class StreamingPinger: Sendable {
    private let stopped = Atomic<Bool>(false)

    init(clock: ClockSync, session: DeviceSession) {
        let thread = Thread { [self] in run(clock: clock, session: session) }
        thread.name = "mosquito-hub-clock"
        thread.start()
    }

    /// Returns at once; a ping in flight finishes on its own (requests are serialised by the session).
    func stop() { stopped.store(true, ordering: .releasing) }

    private var isStopped: Bool { stopped.load(ordering: .acquiring) }

    private func run(clock: ClockSync, session: DeviceSession) {
        var lastRound: UInt64 = 0
        while !isStopped && session.linkLost == nil {
            let now = MonotonicClock.nowNs()
            if lastRound == 0 || now - lastRound >= 2_000_000_000 {
                lastRound = now
                for _ in 0..<8 where !isStopped { clock.ping(session) }
            }
            usleep(50_000)
        }
    }
}
