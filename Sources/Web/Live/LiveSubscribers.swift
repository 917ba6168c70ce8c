import Signal
import Synchronization

/// The live views of one device: one keep-newest ring per WebSocket client. A client that reads too slowly
/// loses its oldest frames (counted in the ring), never the device's or another client's.
public final class LiveSubscribers: Sendable {
    private let rings = Mutex<[ObjectIdentifier: FrameRing]>([:])
    /// Copied once per change so the reader thread takes a snapshot without allocating.
    private let snapshot = Mutex<[FrameRing]>([])

    public init() {}

    public func add(_ ring: FrameRing) {
        rings.withLock { r in
            r[ObjectIdentifier(ring)] = ring
            let all = Array(r.values)
            snapshot.withLock { $0 = all }
        }
    }

    public func remove(_ ring: FrameRing) {
        rings.withLock { r in
            r[ObjectIdentifier(ring)] = nil
            let all = Array(r.values)
            snapshot.withLock { $0 = all }
        }
    }

    public var count: Int { snapshot.withLock { $0.count } }

    func current() -> [FrameRing] { snapshot.withLock { $0 } }
}
