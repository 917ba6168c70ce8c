import Foundation

/// The host end of an instrument that lives in this process (the simulator, a replayed recording): its bytes
/// are made on demand, under one lock, by the reader thread that asks for them. The reader waits for whichever
/// comes first: the next frame's due time, a request (`send` wakes it), `close`, or its own timeout.
/// Unchecked: `closed`, and whatever the owner touches only inside these calls, are guarded by `condition`.
public final class InProcessLink: @unchecked Sendable {
    /// What one look at the instrument found.
    public enum Poll {
        /// This many bytes were copied out.
        case bytes(Int)
        /// Nothing to send before `dueNs` on the monotonic clock (nil: until a request or the timeout).
        case wait(dueNs: UInt64?)
    }

    private let condition = NSCondition()
    private var closed = false

    public init() {}

    /// Runs `body` under the lock (the instrument's state is guarded by it).
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    /// Hands the instrument a request, then wakes a waiting reader: the answer may be due now.
    public func send(_ deliver: () throws(TransportError) -> Void) throws(TransportError) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { throw .closed }
        try deliver()
        condition.broadcast()
    }

    /// Asks `poll` (under the lock, with the monotonic time now) until it copies bytes out; 0 when `timeoutMs`
    /// passes first.
    public func receive(timeoutMs: Int32, _ poll: (UInt64) throws(TransportError) -> Poll) throws(TransportError) -> Int {
        let deadline = MonotonicClock.nowNs() + UInt64(max(0, timeoutMs)) * 1_000_000
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard !closed else { throw .closed }
            let now = MonotonicClock.nowNs()
            switch try poll(now) {
            case .bytes(let n): return n
            case .wait(let dueNs):
                if now >= deadline { return 0 }
                let wakeNs = min(deadline, dueNs ?? deadline)
                if wakeNs > now { _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wakeNs - now) / 1e9)) }
            }
        }
    }

    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
