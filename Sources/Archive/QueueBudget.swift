import Synchronization

/// What the messages of every device waiting to be written take together: the archive's memory bound. Each
/// device has its own bound as well (`Settings.deviceQueueBytes`), so one device held up on its back-fill cannot
/// take all of it from the others.
final class QueueBudget: Sendable {
    let limit: Int
    private let used = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// Takes `size` bytes if they fit; whether it did.
    func take(_ size: Int) -> Bool {
        used.withLock { u in
            guard u + size <= limit else { return false }
            u += size
            return true
        }
    }

    /// Counts `size` bytes that are let in whatever the bound (a device's first message, a meta, a status).
    func charge(_ size: Int) { used.withLock { $0 += size } }

    func give(_ size: Int) { used.withLock { $0 -= size } }
}
