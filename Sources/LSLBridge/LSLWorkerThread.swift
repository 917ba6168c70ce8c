import Foundation
import Synchronization

/// The thread a bridge part runs its loop on (the publisher's pushes, the markers inlet's reads): started once,
/// asked to stop by a flag the loop reads, and waited for until the loop has returned.
final class LSLWorkerThread: Sendable {
    private let stopFlag = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    /// Whether `stop` was called: the loop returns once it has finished what it holds.
    var stopping: Bool { stopFlag.load(ordering: .acquiring) }

    func start(name: String, _ loop: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            loop()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the loop to end and returns once it has.
    func stop() {
        stopFlag.store(true, ordering: .releasing)
        done.wait()
    }

    /// `stop()` without holding a concurrency thread while the loop finishes.
    func stop() async {
        stopFlag.store(true, ordering: .releasing)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [done] in
                done.wait()
                c.resume()
            }
        }
    }
}
