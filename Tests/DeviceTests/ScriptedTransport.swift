import Foundation
import MWP
@testable import Device

/// A link whose far end answers each request with bytes the test chose: the seam for replies no honest firmware
/// sends. Requests are decoded as the device would; `answer` gives the wire bytes to send back (nil: silence).
final class ScriptedTransport: Transport, @unchecked Sendable {
    let description = "scripted"
    private let answer: @Sendable (Frame) -> [UInt8]?
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var requests = FrameDecoder()
    private var outbound: [UInt8] = []
    private var closed = false

    init(answer: @escaping @Sendable (Frame) -> [UInt8]?) { self.answer = answer }

    func send(_ bytes: UnsafeRawBufferPointer) throws(TransportError) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { throw .closed }
        requests.append(bytes)
        while case .frame(let frame) = requests.next() { outbound += answer(frame) ?? [] }
        condition.broadcast()
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws(TransportError) -> Int {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        condition.lock()
        defer { condition.unlock() }
        while outbound.isEmpty && !closed {
            if !condition.wait(until: deadline) { return 0 }
        }
        guard !closed else { throw .closed }
        let n = min(buffer.count, outbound.count)
        outbound.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        outbound.removeFirst(n)
        return n
    }

    func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }
}
