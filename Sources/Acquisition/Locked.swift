import Foundation

/// A value behind a pthread mutex (NSLock), for state the reader thread and another thread contend for.
///
/// Not `Synchronization.Mutex`: its contended hand-over goes through the kernel (FUTEX_LOCK_PI), which
/// ThreadSanitizer cannot see, so `make tsan` reports every contended hand-over as a race and real ones drown.
/// Unchecked: `value` is only touched inside `lock`.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
