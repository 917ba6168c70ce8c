import Foundation
import MWP
import Device

/// The built-in simulated instrument, in process: the same firmware bytes as the pty simulator, without a tty.
///
/// The reader thread drives the firmware's catch-up loop: each `receive` emits every frame due by now, and
/// sleeps until the next one is due (or a request arrives) when nothing is.
/// Unchecked: `instrument` and `sent` are touched only inside `link`'s calls, under its lock; the rest is immutable.
public final class SimulatorTransport: Transport, PhysicalInput, @unchecked Sendable {
    private var instrument: SimulatedInstrument
    /// How much of `instrument.output` the reader has taken (dropped in one move, not byte by byte).
    private var sent = 0
    private let link = InProcessLink()
    private let epochNs = MonotonicClock.nowNs()
    private let driftFactor: Double
    /// A device clock does not start at zero when the host connects.
    private static let bootOffsetUs: UInt64 = 5_000_000

    public var description: String { "sim:" + instrumentSerial }
    private let instrumentSerial: String

    public init(config: SimulatorConfig) {
        instrument = SimulatedInstrument(config: config)
        driftFactor = 1 + config.clockDriftPPM * 1e-6
        instrumentSerial = config.unit.serial
    }

    /// Device time now, from the host's monotonic clock and the simulated crystal's error.
    public func deviceNowUs() -> UInt64 {
        let elapsedNs = Double(MonotonicClock.nowNs() - epochNs) * driftFactor
        return Self.bootOffsetUs + UInt64(elapsedNs / 1000)
    }

    /// Reaches into the simulated physical world (calibration rigs, drift), outside the protocol.
    public func withInstrument<T>(_ body: (inout SimulatedInstrument) -> T) -> T {
        link.withLock { body(&instrument) }
    }

    public var physicalInput: (any PhysicalInput)? { self }

    public func apply(physical value: Double, channel: Int) {
        withInstrument { $0.applyPhysicalInput(value, channel: channel) }
    }

    public func send(_ bytes: UnsafeRawBufferPointer) throws(TransportError) {
        try link.send { () throws(TransportError) in
            guard !instrument.isDisconnected else { throw .disconnected(description) }
            instrument.receive(bytes, nowUs: deviceNowUs())
        }
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws(TransportError) -> Int {
        try link.receive(timeoutMs: timeoutMs) { (now) throws(TransportError) -> InProcessLink.Poll in
            // Generate no more than one read's worth ahead: a burst is handed out as it is made, never piled up.
            if instrument.output.count - sent < buffer.count {
                if sent > 0 {
                    instrument.output.removeFirst(sent)
                    sent = 0
                }
                instrument.advance(nowUs: deviceNowUs(), maxOutputBytes: buffer.count)
            }
            let pending = instrument.output.count - sent
            if pending > 0 {
                let n = min(buffer.count, pending)
                let start = sent
                instrument.output.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<start + n])) }
                sent += n
                return .bytes(n)
            }
            if instrument.isDisconnected { throw .disconnected(description) }
            guard let dueUs = instrument.nextFrameDueUs() else { return .wait(dueNs: nil) }
            let deviceNow = deviceNowUs()
            let untilUs = dueUs > deviceNow ? Double(dueUs - deviceNow) / driftFactor : 0
            return .wait(dueNs: now + UInt64(untilUs * 1000))
        }
    }

    public func close() { link.close() }
}
