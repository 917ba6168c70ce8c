/// The producer's side of several consumers: one ``FrameRing`` per consumer, each with its own
/// ``OverflowPolicy``, so that a slow recorder never forces drops on the live view and vice versa.
///
/// Publishing copies the batch into each consumer's ring (one bulk copy per consumer). Sharing one
/// storage between consumers would avoid that copy but would couple their overflow policies: a frame the
/// recorder has no room for could not be written for anyone.
/// Unchecked: immutable after init; `publish` is called by the one producer thread, as each ring requires.
public final class FanOut: @unchecked Sendable {
    public let rings: [FrameRing]
    private let losslessRings: [FrameRing]
    private let latestRings: [FrameRing]

    /// No ring is allowed: a stream whose only readers are newest-wins subscribers held elsewhere records nothing.
    public init(rings: [FrameRing]) {
        precondition(Set(rings.map(\.channelCount)).count <= 1, "every consumer ring carries the same frame shape")
        self.rings = rings
        losslessRings = rings.filter { $0.policy == .lossless }
        latestRings = rings.filter { $0.policy == .keepNewest }
    }

    /// What the producer does when a lossless consumer has no room for the whole batch.
    public enum WhenFull: Sendable {
        /// Write nothing anywhere and return ``PublishResult/backPressure``; the producer waits and retries.
        case refuse
        /// Write what fits; the rest is dropped for the consumers that had no room and reported to them
        /// as a ``Gap/Cause/hostOverrun`` gap with the dropped sample indices.
        case dropExcess
    }

    public enum PublishResult: Sendable, Equatable {
        case published
        /// At least one lossless consumer had no room; nothing was written.
        case backPressure
        /// Published, but `droppedFrames` frames in total could not be written to lossless consumers.
        case publishedWithLoss(droppedFrames: Int)
    }

    /// Publishes `span` to every consumer. Keep-newest consumers always take the whole batch.
    public func publish(_ span: FrameSpan, whenFull: WhenFull) -> PublishResult {
        if whenFull == .refuse {
            for ring in losslessRings where ring.producerFreeCount() < span.count {
                return .backPressure
            }
        }
        var dropped = 0
        for ring in losslessRings {
            let written = ring.write(span)
            if written < span.count {
                ring.reportHostOverrun(span.slice(written..<span.count))
                dropped += span.count - written
            }
        }
        for ring in latestRings {
            ring.writeDroppingOldest(span)
        }
        return dropped == 0 ? .published : .publishedWithLoss(droppedFrames: dropped)
    }
}
