import Signal
import Synchronization

/// The newest-wins side of one device's fan-out: live views and network outlets subscribe and leave while
/// the device runs. Each subscriber reads from its own bounded keep-newest ring, so a slow one loses its own
/// oldest frames (counted, exactly, in its ring) and never holds back the device, the recorder or another
/// subscriber.
///
/// Frames arrive here only from ``StreamIngest`` after the stream's index rule (``StreamIndex``): each host
/// index at most once, in order, rebased across reconnects: the indices a subscriber sees are the ones the
/// recording holds. The lossless side (the recorder) is the ingest's ``FanOut``.
public final class StreamOutlets: Sendable {
    public let channelCount: Int
    /// The instrument's device→host clock mapping, one for the whole session whatever the mode (kept fresh by the
    /// hub while streaming, by the recording's run while recording): a subscriber stamps host times with it.
    public let clock: ClockSync
    private let subscribers = Mutex<[ObjectIdentifier: StreamSubscription]>([:])
    /// Copied once per change so the reader thread takes the current list without allocating.
    private let current = Mutex<[StreamSubscription]>([])

    public init(channelCount: Int, clock: ClockSync = ClockSync()) {
        self.channelCount = channelCount
        self.clock = clock
    }

    /// A new subscriber, fed from the next frame on. `capacity` (a power of two) bounds its memory.
    public func subscribe(capacity: Int = 1 << 15) -> StreamSubscription {
        let subscription = StreamSubscription(ring: FrameRing(capacity: capacity, channelCount: channelCount, policy: .keepNewest))
        subscribers.withLock { s in
            s[ObjectIdentifier(subscription)] = subscription
            let all = Array(s.values)
            current.withLock { $0 = all }
        }
        return subscription
    }

    /// Stops feeding `subscription`; what its ring holds can still be read.
    public func unsubscribe(_ subscription: StreamSubscription) {
        subscribers.withLock { s in
            s[ObjectIdentifier(subscription)] = nil
            let all = Array(s.values)
            current.withLock { $0 = all }
        }
    }

    public var count: Int { current.withLock { $0.count } }

    /// Who reads the subscribers' output over the network now, as each subscriber reports it.
    public var networkReaders: [NetworkReader] { current.withLock { $0 }.flatMap(\.networkReaders) }

    /// Reader thread: copies delivered frames to every subscriber.
    func publish(_ span: FrameSpan) {
        let targets = current.withLock { $0 }
        for subscription in targets { subscription.ring.writeDroppingOldest(span) }
    }
}

/// One newest-wins subscriber of a device's stream.
public final class StreamSubscription: Sendable {
    /// Read by the subscriber only (one consumer); written by the device's reader thread only.
    public let ring: FrameRing

    private let readers = Mutex<(@Sendable () -> [NetworkReader])?>(nil)

    init(ring: FrameRing) { self.ring = ring }

    /// A network subscriber (an LSL outlet) says how to list its readers, for the hub's status.
    public func reportReaders(_ report: @escaping @Sendable () -> [NetworkReader]) { readers.withLock { $0 = report } }

    var networkReaders: [NetworkReader] { readers.withLock { $0 }?() ?? [] }

    /// Frames this subscriber lost because it read too slowly, since it subscribed: exact.
    public var droppedFrames: UInt64 { ring.hostOverrunSampleCount }
}
