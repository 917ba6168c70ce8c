import CLibUSB
import Foundation
import Synchronization

/// The thread that runs libusb's event loop: libusb creates none, and asynchronous transfers and hotplug
/// callbacks only complete while someone handles events.
final class EventThread: @unchecked Sendable {
    private let context: OpaquePointer
    /// libusb reads this flag (as `int *completed`) between event waits; set it and interrupt to stop.
    private let stopFlag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    init(context: OpaquePointer) {
        self.context = context
        stopFlag.initialize(to: 0)
        let thread = Thread { [self] in run() }
        thread.name = "mosquito-usb-events"
        thread.qualityOfService = .userInteractive
        thread.start()
    }

    deinit { stopFlag.deallocate() }

    private func run() {
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        while stopFlag.pointee == 0 {
            // Errors here are transient (EINTR) or reported through the transfers themselves.
            _ = libusb_handle_events_timeout_completed(context, &tv, stopFlag)
        }
        finished.signal()
    }

    /// Stops the loop and waits for the thread to leave libusb. Idempotent.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        libusb_lock_events(context)
        stopFlag.pointee = 1
        libusb_unlock_events(context)
        libusb_interrupt_event_handler(context)
        finished.wait()
    }
}
