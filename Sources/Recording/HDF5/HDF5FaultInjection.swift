import Synchronization

/// Tests make one HDF5 call fail, for failures no disk produces on demand (an extent that cannot grow, a
/// dataset write refused before any byte moves). Scoped to the task that sets it (`HDF5.$injectedFault`), so
/// tests running side by side in one process do not see each other's faults.
final class HDF5InjectedFault: Sendable {
    let operation: String
    private let callsToLetThrough: Mutex<Int>

    /// `operation` (e.g. "H5Dset_extent") fails once, on its call number `call` (1-based) from now.
    init(_ operation: String, call: Int) {
        self.operation = operation
        callsToLetThrough = Mutex(call - 1)
    }

    /// Whether this call of `operation` is the one to fail (counts it either way).
    func fails(_ called: String) -> Bool {
        guard called == operation else { return false }
        return callsToLetThrough.withLock { remaining in
            defer { remaining -= 1 }
            return remaining == 0
        }
    }

    var hasFired: Bool { callsToLetThrough.withLock { $0 < 0 } }
}

extension HDF5 {
    @TaskLocal static var injectedFault: HDF5InjectedFault?
}
