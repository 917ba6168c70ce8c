import CLibUSB
import Device
import Foundation
import MWP

/// Arrivals and departures of Mosquitos, for `mosquito list --watch` and for waiting on a unit to come back.
///
/// libusb hotplug callbacks when the platform has them, a look at the bus every interval otherwise (and now and
/// then anyway, to catch what a lost notification hid; `AttachedMosquitos` says how a look decides). Either way
/// the events come out of one queue: `next(timeoutMs:)` for threads, `events` for async code. Call `stop` when done.
/// Unchecked: the queue and the raw events are guarded by `condition`; `attached` is the worker's alone.
public final class USBHotplugMonitor: @unchecked Sendable {
    public enum Event: Sendable, Equatable {
        case arrived(USBDeviceInfo)
        case departed(USBDeviceInfo)
    }

    public let usesHotplugCallbacks: Bool
    private let host: USBHost
    private let pollIntervalMs: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Event] = []
    private var rawArrivals: [OpaquePointer] = []
    private var rawDepartures: [(bus: UInt8, address: UInt8)] = []
    private var known: [AttachedMosquitos.Key: USBDeviceInfo] = [:]
    private var stopped = false
    private var callbackHandle: libusb_hotplug_callback_handle = 0
    /// Signalled once the worker has let go of the monitor: when `stop` returns, nothing of the monitor's still
    /// holds the host, so its libusb context ends when its owner drops it, not whenever a thread gets round to it.
    private let workerExited = DispatchSemaphore(value: 0)
    private var workerStarted = false
    // Only the worker touches this.
    private var attached = AttachedMosquitos()

    /// Starts watching. Devices already attached are known, not reported (list them with `USBDiscovery`).
    public init(host: USBHost, pollIntervalMs: Int = 250, forcePolling: Bool = false) throws(USBError) {
        self.host = host
        self.pollIntervalMs = pollIntervalMs
        usesHotplugCallbacks = !forcePolling && host.supportsHotplug
        for info in try Self.attachedNow(host: host) { known[AttachedMosquitos.key(info)] = info }
        if usesHotplugCallbacks {
            var handle: libusb_hotplug_callback_handle = 0
            try USBCall.check(
                "libusb_hotplug_register_callback",
                libusb_hotplug_register_callback(
                    host.raw,
                    Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue),
                    0, Int32(USBIdentity.vendorID), Int32(USBIdentity.productID), LIBUSB_HOTPLUG_MATCH_ANY,
                    hotplugCallback, Unmanaged.passUnretained(self).toOpaque(), &handle))
            callbackHandle = handle
        }
        let thread = Thread { [weak self, workerExited] in
            self?.work()
            workerExited.signal()
        }
        thread.name = "mosquito-usb-hotplug"
        workerStarted = true
        thread.start()
    }

    deinit { stop() }

    public func stop() {
        let first = condition.withLock { () -> Bool in
            guard !stopped else { return false }
            stopped = true
            condition.broadcast()
            return true
        }
        guard first else { return }
        if workerStarted { workerExited.wait() }
        if usesHotplugCallbacks { libusb_hotplug_deregister_callback(host.raw, callbackHandle) }
        condition.withLock { rawArrivals.forEach { libusb_unref_device($0) }; rawArrivals = [] }
    }

    /// The next event, waiting up to `timeoutMs`; nil on timeout or after `stop`.
    public func next(timeoutMs: Int) -> Event? {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopped {
            if !condition.wait(until: deadline) { break }
        }
        return queue.isEmpty ? nil : queue.removeFirst()
    }

    /// The events as an async sequence; it ends when the monitor stops.
    public var events: AsyncStream<Event> {
        AsyncStream { continuation in
            let thread = Thread { [self] in
                while true {
                    if let event = next(timeoutMs: 500) {
                        continuation.yield(event)
                    } else if condition.withLock({ stopped }) {
                        continuation.finish()
                        return
                    }
                }
            }
            thread.start()
        }
    }

    /// What is attached when watching starts, seen the way later looks see it (sysfs decides, libusb describes),
    /// so the first look does not report as new a unit libusb's cache had missed.
    private static func attachedNow(host: USBHost) throws(USBError) -> [USBDeviceInfo] {
        let listed = try USBDiscovery.list(host: host)
        guard let kernel = USBSysfs.mosquitos() else { return listed }
        var described: [AttachedMosquitos.Key: USBDeviceInfo] = [:]
        for info in listed { described[AttachedMosquitos.key(info)] = info }
        return kernel.map { described[AttachedMosquitos.key($0)] ?? $0 }
    }

    /// On the event thread: libusb forbids opening devices here, so only note what happened.
    fileprivate func noted(device: OpaquePointer, arrived: Bool) {
        condition.withLock {
            if arrived {
                rawArrivals.append(libusb_ref_device(device))
            } else {
                rawDepartures.append((libusb_get_bus_number(device), libusb_get_device_address(device)))
            }
            condition.broadcast()
        }
    }

    /// Turns raw notes (hotplug callbacks) and looks at the bus into events with full device descriptions.
    private func work() {
        var lastLook = MonotonicClock.nowNs()
        while true {
            condition.lock()
            if rawArrivals.isEmpty && rawDepartures.isEmpty && !stopped {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(pollIntervalMs) / 1000))
            }
            if stopped {
                condition.unlock()
                return
            }
            let arrivals = rawArrivals
            let departures = rawDepartures
            rawArrivals = []
            rawDepartures = []
            condition.unlock()
            if usesHotplugCallbacks {
                for gone in departures { depart(AttachedMosquitos.key(gone.bus, gone.address)) }
                for device in arrivals {
                    if let facts = try? USBDeviceFacts(device) { arrive(USBDiscovery.describe(device, facts: facts)) }
                    libusb_unref_device(device)
                }
                // Hotplug notifications can be lost (a busy udev monitor, an event that raced registration), and
                // libusb's device list is rebuilt only from them: look at the kernel's view now and then, so no
                // arrival or departure goes unreported.
                if MonotonicClock.nowNs() - lastLook >= 500_000_000 {
                    lastLook = MonotonicClock.nowNs()
                    look()
                }
            } else {
                look()
            }
        }
    }

    /// Reports what changed since the last look. Only the worker calls this, and only the worker changes `known`.
    private func look() {
        let known = condition.withLock { self.known }
        let changes: AttachedMosquitos.Changes
        if let kernel = USBSysfs.mosquitos() {
            changes = attached.compare(kernel: kernel, known: known) { (try? USBDiscovery.list(host: host)) ?? [] }
        } else {
            // No sysfs (not Linux): libusb's list is the only view there is.
            guard let listed = try? USBDiscovery.list(host: host) else { return }
            changes = attached.compare(kernel: listed, known: known) { listed }
        }
        for key in changes.departed { depart(key) }
        for info in changes.arrived { arrive(info) }
    }

    private func arrive(_ info: USBDeviceInfo) {
        condition.withLock {
            // Reported once, whichever of callback and look sees it first.
            guard known[AttachedMosquitos.key(info)] == nil else { return }
            known[AttachedMosquitos.key(info)] = info
            queue.append(.arrived(info))
            condition.broadcast()
        }
    }

    private func depart(_ key: AttachedMosquitos.Key) {
        condition.withLock {
            guard let info = known.removeValue(forKey: key) else { return }
            queue.append(.departed(info))
            condition.broadcast()
        }
    }
}

private let hotplugCallback: libusb_hotplug_callback_fn = { _, device, event, userData in
    guard let device, let userData else { return 0 }
    let monitor = Unmanaged<USBHotplugMonitor>.fromOpaque(userData).takeUnretainedValue()
    monitor.noted(device: device, arrived: event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
    return 0
}
