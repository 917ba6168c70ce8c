import Device
import Foundation
import MWP

/// Keeps every sample a session delivers, plus how the link ended.
final class SampleCollector: StreamConsumer, @unchecked Sendable {
    private let condition = NSCondition()
    private var rows: [(index: UInt64, values: [Int32])] = []
    private var lost: TransportError?
    private var errors: [FrameError] = []

    func samples(_ view: SamplesView) {
        let channels = view.header.channelMask.nonzeroBitCount
        condition.withLock {
            for s in 0..<Int(view.header.count) {
                rows.append((view.header.firstIndex + UInt64(s), (0..<channels).map { view.value(sample: s, channel: $0) }))
            }
            condition.broadcast()
        }
    }
    func status(_ status: DeviceStatus) {}
    func log(level: UInt8, text: String) {}
    func frameError(_ error: FrameError) { condition.withLock { errors.append(error) } }
    func linkLost(_ error: TransportError) {
        condition.withLock {
            lost = error
            condition.broadcast()
        }
    }

    var samples: [(index: UInt64, values: [Int32])] { condition.withLock { rows } }
    var linkError: TransportError? { condition.withLock { lost } }
    var frameErrors: [FrameError] { condition.withLock { errors } }

    /// Waits until `count` samples arrived (or the link died); `seconds` is only the last guard against a hang.
    @discardableResult
    func wait(forSamples count: Int, seconds: Double = 60) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while rows.count < count && lost == nil {
            if !condition.wait(until: deadline) { break }
        }
        return rows.count >= count
    }

    func waitForLinkLoss(seconds: Double = 60) -> TransportError? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while lost == nil {
            if !condition.wait(until: deadline) { break }
        }
        return lost
    }
}
