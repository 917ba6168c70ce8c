import Device
import Foundation

/// The hand-off between transfer completions (libusb's event thread) and the session's reader (`receive`):
/// bytes in arrival order, then how the link ended. Everything received before a failure is delivered first.
///
/// Public so the benchmarks can drive the host-side path without hardware.
/// Unchecked: `bytes`, `failure` and `closed` are guarded by `condition`.
public final class InboundStream: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var bytes: InboundBytes
    private var failure: TransportError?
    private var closed = false

    public init(capacity: Int = 1 << 20) { bytes = InboundBytes(capacity: capacity) }

    /// A completed transfer's data.
    public func deliver(_ data: UnsafeRawBufferPointer) {
        condition.lock()
        bytes.append(data)
        condition.signal()
        condition.unlock()
    }

    /// The link failed; the reader sees it once it has taken everything before it. The first failure wins.
    public func fail(_ error: TransportError) {
        condition.withLock {
            if failure == nil { failure = error }
            condition.broadcast()
        }
    }

    public func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    public var isClosed: Bool { condition.withLock { closed } }
    public var failed: TransportError? { condition.withLock { failure } }

    /// Up to `buffer.count` bytes, waiting up to `timeoutMs` for some; 0 on timeout.
    public func take(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws(TransportError) -> Int {
        condition.lock()
        defer { condition.unlock() }
        if closed { throw .closed }
        if !bytes.isEmpty { return bytes.take(into: buffer) }
        if let failure { throw failure }
        let deadline = Date(timeIntervalSinceNow: Double(max(0, timeoutMs)) / 1000)
        while true {
            if closed { throw .closed }
            if !bytes.isEmpty { return bytes.take(into: buffer) }
            if let failure { throw failure }
            if !condition.wait(until: deadline) { return 0 }
        }
    }
}
