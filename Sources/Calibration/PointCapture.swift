import Foundation
import Device
import MWP
import Signal

/// Listens to one streaming channel: keeps live block statistics for the display and stability, and, when armed,
/// accumulates exactly `samples` readings into one point.
///
/// The session must be configured with only this channel in its mask, so every value in a frame is ours.
/// Unchecked: every mutable field is guarded by `condition`; `blockSize` is immutable.
public final class PointCapture: StreamConsumer, @unchecked Sendable {
    public let blockSize: Int
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var block = RunningStats()
    private var lastBlock: RunningStats?
    private var detector: StabilityDetector
    private var armedFor = 0
    private var capture = RunningStats()
    private var lost: UInt64 = 0
    /// The stream's index rule: a repeated or backwards frame never counts twice in a point, an index jump is
    /// loss, and no index the wire sends can trap.
    private var index = StreamIndex()
    private var linkError: TransportError?
    private var frameErrors = 0

    public init(blockSize: Int = 200, detector: StabilityDetector = StabilityDetector()) {
        self.blockSize = max(1, blockSize)
        self.detector = detector
    }

    /// The latest complete block and whether the reading has settled: what the technician sees live.
    public struct Live: Sendable, Equatable {
        public var meanRaw: Double
        public var stdRaw: Double
        public var isStable: Bool
        public var spread: Double?
    }

    public var live: Live? {
        condition.withLock {
            lastBlock.map { Live(meanRaw: $0.mean, stdRaw: $0.standardDeviation, isStable: detector.isStable, spread: detector.spread) }
        }
    }

    /// Forget the settling history (the reference just changed).
    public func resetStability() { condition.withLock { detector.reset(); lastBlock = nil; block = RunningStats() } }

    /// Takes the next `samples` readings as one point; fails if the link goes or the data stops coming.
    public func capture(samples: Int, timeoutSeconds: Double) throws(CalibrationError) -> (stats: RunningStats, lost: UInt64) {
        condition.lock()
        defer { condition.unlock() }
        capture = RunningStats()
        lost = 0
        armedFor = samples
        defer { armedFor = 0 }
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        while capture.count < samples {
            if let e = linkError { throw .device(.transport(e)) }
            if !condition.wait(until: deadline) && capture.count < samples {
                throw .capture("only \(capture.count) of \(samples) samples arrived in \(Int(timeoutSeconds)) s")
            }
        }
        return (capture, lost)
    }

    public func samples(_ view: SamplesView) {
        condition.lock()
        defer { condition.unlock() }
        let lostBefore = index.loss.total
        let admission = index.admit(firstIndex: view.header.firstIndex, count: Int(view.header.count))
        if armedFor > 0 { lost = lost.addingSaturating(index.loss.total - lostBefore) }
        guard case .deliver(_, let skip, let count) = admission else { return }
        let stride = view.header.channelCount
        guard stride > 0 else { return }
        for s in skip..<skip + count {
            let x = Double(view.value(sample: s, channel: 0))
            if capture.count < armedFor { capture.add(x) }
            block.add(x)
            if block.count == blockSize {
                detector.add(blockMean: block.mean, blockStd: block.standardDeviation, count: block.count)
                lastBlock = block
                block = RunningStats()
            }
        }
        condition.broadcast()
    }

    public func status(_ status: DeviceStatus) {}
    public func log(level: UInt8, text: String) {}
    public func frameError(_ error: FrameError) { condition.withLock { frameErrors += 1 } }

    public func linkLost(_ error: TransportError) {
        condition.withLock {
            linkError = error
            condition.broadcast()
        }
    }

    /// A new START counts indices from zero again.
    public func streamRestarted() { condition.withLock { index = StreamIndex() } }

    /// Frames that repeated, went backwards or overflowed the index so far: their samples were not used.
    public var indexViolations: IndexViolations { condition.withLock { index.violations } }
}
