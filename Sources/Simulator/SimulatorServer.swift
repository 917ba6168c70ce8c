#if canImport(Glibc)
import Glibc
#endif
import MWP
import Device

/// Serves a simulated instrument behind a pseudo-terminal until the simulated link disconnects (a fault) or the
/// process is killed: what `mosquito simulate --pty` runs, so serial tests talk to firmware in another process.
public final class SimulatorServer {
    private var instrument: SimulatedInstrument
    private let pty: PseudoTerminal
    private let epochNs = MonotonicClock.nowNs()
    private let driftFactor: Double
    /// Bytes the client has not read yet stay here, up to a bound a real device's buffer would have.
    private static let maxPendingBytes = 4 << 20

    public var path: String { pty.path }

    public init(config: SimulatorConfig) throws(SystemError) {
        instrument = SimulatedInstrument(config: config)
        driftFactor = 1 + config.clockDriftPPM * 1e-6
        pty = try PseudoTerminal()
    }

    private func deviceNowUs() -> UInt64 {
        5_000_000 + UInt64(Double(MonotonicClock.nowNs() - epochNs) * driftFactor / 1000)
    }

    /// Runs the firmware loop; returns when the injected disconnect fault fires.
    public func run() throws(SystemError) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var sent = 0
        while true {
            var timeoutMs: Int32 = 50
            if let due = instrument.nextFrameDueUs() {
                let now = deviceNowUs()
                timeoutMs = due <= now ? 0 : Int32(min(50, (due - now) / 1000))
            }
            let pending = instrument.output.count - sent
            let events = Int16(POLLIN) | (pending > 0 ? Int16(POLLOUT) : 0)
            let revents = try pty.master.poll(events: events, timeoutMs: pending > 0 ? min(timeoutMs, 5) : timeoutMs)
            if revents & Int16(POLLIN) != 0 {
                let fd = pty.master.rawValue
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno != EAGAIN && errno != EIO && errno != EINTR {
                    throw SystemError(call: "read", errno: errno)
                }
                if n > 0 { buffer.withUnsafeBytes { instrument.receive(UnsafeRawBufferPointer(rebasing: $0[0..<n]), nowUs: deviceNowUs()) } }
            }
            instrument.advance(nowUs: deviceNowUs(), maxOutputBytes: 1 << 20)
            sent += try writeSome(from: sent)
            if sent == instrument.output.count {
                instrument.output.removeAll(keepingCapacity: true)
                sent = 0
            } else if sent > 1 << 16 {
                instrument.output.removeFirst(sent)
                sent = 0
            }
            if instrument.output.count - sent > Self.maxPendingBytes {
                // Nobody is reading: a real device's USB buffer would overflow too. Drop what is queued.
                instrument.output.removeAll(keepingCapacity: true)
                sent = 0
            }
            if instrument.isDisconnected && instrument.output.count == sent {
                waitUntilClientRead()
                return
            }
        }
    }

    /// The frames sent before the link drops are on the wire already: let the client read them (as a USB
    /// host would have) before the hang-up, bounded so a client that never reads cannot keep us alive.
    private func waitUntilClientRead() {
        // Bytes pass through the tty's flip buffer before FIONREAD counts them: wait for an empty queue
        // several times in a row, then a little longer, before hanging up.
        var emptyChecks = 0
        for _ in 0..<300 where emptyChecks < 5 {
            var queued: Int32 = 0
            if ioctl(pty.slave.rawValue, UInt(FIONREAD), &queued) != 0 { return }
            emptyChecks = queued == 0 ? emptyChecks + 1 : 0
            usleep(10_000)
        }
        usleep(50_000)
    }

    private func writeSome(from offset: Int) throws(SystemError) -> Int {
        guard offset < instrument.output.count else { return 0 }
        let fd = pty.master.rawValue
        let n = instrument.output.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n >= 0 { return n }
        if errno == EAGAIN || errno == EINTR { return 0 }
        throw SystemError(call: "write", errno: errno)
    }
}
