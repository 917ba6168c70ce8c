import Acquisition
import Foundation
import MosquitoModel
import Signal
import Synchronization

/// Listens to one channel of a stream as a newest-wins subscriber of its ``StreamOutlets``: keeps live block
/// statistics for the display and stability, and, when armed, accumulates exactly `samples` readings into one point.
///
/// The samples are the stream's own, after its ``StreamIngest``: each index at most once and in order (a repeated,
/// backwards or overflowing frame never weighs in a point), every jump declared lost by the ingest's accounting.
/// Nothing runs on the session's reader thread: the capture drains its subscription on the caller's thread.
///
/// Loss in a point is counted exactly, from the indices it was taken over: every index between the last sample read
/// before arming and the point's last sample that the point did not get, whether the link lost it (the ingest
/// declares it, by cause) or this subscriber fell behind (its ring dropped it). Such a point is flagged, not refused:
/// it still holds exactly `samples` readings of a settled input, so its mean and its s (and the uncertainty, which
/// uses the n it holds) are what they claim; the number lost travels with the point (``CapturedPoint/samplesLost``)
/// into the history and the technician's output, so a reviewer can reject a calibration taken over a lossy link.
public final class PointCapture: Sendable {
    /// The stream this capture owns (one made for a bare session), whose link loss ends a capture; nil when it
    /// subscribes to a stream someone else (a hub) owns.
    private let ingest: StreamIngest?
    /// The channel's column in the stream's frames.
    public let column: Int
    private let outlets: StreamOutlets
    private let subscription: StreamSubscription
    /// Also what makes the subscription's ring have one consumer at a time: it is drained only under this lock.
    private let reading: Mutex<ChannelReading>

    /// A capture of `column` of a stream someone else owns (a hub's outlets).
    public convenience init(
        subscribingTo outlets: StreamOutlets, column: Int, blockSize: Int = 200,
        detector: StabilityDetector = StabilityDetector(), capacity: Int = 1 << 15
    ) {
        self.init(outlets: outlets, ingest: nil, column: column, blockSize: blockSize, detector: detector, capacity: capacity)
    }

    /// A capture with a stream of its own for one channel of a bare session: configure the session with only
    /// `channel` in its mask and start it into the returned ingest.
    public static func ownStream(
        channel: UInt8, rateHz: UInt32, blockSize: Int = 200, detector: StabilityDetector = StabilityDetector(),
        capacity: Int = 1 << 15
    ) -> (capture: PointCapture, ingest: StreamIngest) {
        let outlets = StreamOutlets(channelCount: 1)
        let ingest = StreamIngest(channelMask: 1 << UInt32(channel), rateHz: rateHz, rings: [], endIndex: nil, outlets: outlets)
        let capture = PointCapture(
            outlets: outlets, ingest: ingest, column: 0, blockSize: blockSize, detector: detector, capacity: capacity)
        return (capture, ingest)
    }

    private init(
        outlets: StreamOutlets, ingest: StreamIngest?, column: Int, blockSize: Int, detector: StabilityDetector, capacity: Int
    ) {
        self.outlets = outlets
        self.ingest = ingest
        self.column = column
        reading = Mutex(ChannelReading(blockSize: blockSize, detector: detector))
        subscription = outlets.subscribe(capacity: capacity)
    }

    deinit { outlets.unsubscribe(subscription) }

    /// The latest complete block and whether the reading has settled: what the technician sees live.
    public struct Live: Sendable, Equatable {
        public var meanRaw: Double
        public var stdRaw: Double
        public var isStable: Bool
        public var spread: Double?
    }

    public var live: Live? {
        reading.withLock { reading in
            drain(into: &reading)
            return reading.lastBlock.map {
                Live(meanRaw: $0.mean, stdRaw: $0.standardDeviation, isStable: reading.detector.isStable,
                     spread: reading.detector.spread)
            }
        }
    }

    /// Forget the settling history (the reference just changed).
    public func resetStability() {
        reading.withLock { reading in
            drain(into: &reading)
            reading.resetStability()
        }
    }

    /// Samples this subscriber lost because it read too slowly (already counted in the points they fell in).
    public var droppedSamples: UInt64 { subscription.droppedFrames }

    /// Takes the next `samples` readings as one point; fails if the link goes or the data stops coming.
    public func capture(samples: Int, timeoutSeconds: Double) throws(CalibrationError) -> (stats: RunningStats, lost: UInt64) {
        arm(samples: samples)
        return try awaitPoint(timeoutSeconds: timeoutSeconds)
    }

    /// Starts a point: what was read so far only feeds the live blocks; the point starts after it.
    public func arm(samples: Int) {
        reading.withLock { reading in
            drain(into: &reading)
            reading.arm(samples: samples)
        }
    }

    /// Waits for the armed point, reading the subscription as it fills (a short poll: the reader thread never
    /// signals a subscriber, so that nothing it feeds can hold it up).
    public func awaitPoint(timeoutSeconds: Double) throws(CalibrationError) -> (stats: RunningStats, lost: UInt64) {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        while true {
            let (done, taken, wanted) = reading.withLock { reading in
                drain(into: &reading)
                return (reading.isPointFull, reading.point.count, reading.armedFor)
            }
            if done { break }
            if let e = ingest?.snapshot().linkError { throw .capture("the instrument's link was lost: \(e)") }
            if Date() >= deadline {
                throw .capture("only \(taken) of \(wanted) samples arrived in \(Int(timeoutSeconds)) s")
            }
            usleep(2_000)
        }
        return reading.withLock { $0.takePoint() }
    }

    /// Reads everything the subscription holds into the live blocks and, when armed, the point.
    private func drain(into reading: inout ChannelReading) {
        subscription.ring.read { spans in
            spans.forEach { span in
                for f in 0..<span.count {
                    reading.take(index: span.indices[f], raw: span.values[f * span.channelCount + column])
                }
            }
            return spans.count
        }
    }
}
