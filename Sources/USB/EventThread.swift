import CLibUSB
import Foundation
import Synchronization

/// The thread that runs libusb's event loop: libusb creates none, and asynchronous transfers and hotplug
/// callbacks only complete while someone handles events.
/// Unchecked: `context` is immutable; the stop flags are atomics.
final class EventThread: @unchecked Sendable {
    private let context: OpaquePointer
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    init(context: OpaquePointer) {
        self.context = context
        let thread = Thread { [self] in run() }
        thread.name = "mosquito-usb-events"
        thread.qualityOfService = .userInteractive
        thread.start()
    }

    private func run() {
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        while !stopping.load(ordering: .acquiring) {
            // Errors here are transient (EINTR) or reported through the transfers themselves.
            _ = libusb_handle_events_timeout_completed(context, &tv, nil)
        }
        finished.signal()
    }

    /// Stops the loop and waits for the thread to leave libusb. Idempotent.
    ///
    /// The stop is an atomic flag plus libusb's interrupt, never the events lock: this loop gives that lock back
    /// only for an instant between waits, and a mutex is not fair, so a thread queued on it could wait minutes on
    /// a loaded machine (seen in CI: a `USBHost` taking 100 s to go away). The interrupt is sticky (an event on
    /// libusb's own pipe), so it also ends a wait that starts just after the flag was read; the re-interrupt is
    /// only a guard.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        stopping.store(true, ordering: .releasing)
        libusb_interrupt_event_handler(context)
        while finished.wait(timeout: .now() + .milliseconds(500)) == .timedOut {
            libusb_interrupt_event_handler(context)
        }
    }
}
