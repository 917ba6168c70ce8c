import CLibUSB
import Foundation
import MWP

/// Arrivals and departures of Mosquitos, for `mosquito list --watch` and for waiting on a unit to come back.
///
/// libusb hotplug callbacks when the platform has them, polling the device list otherwise. Either way the
/// events come out of one queue: `next(timeoutMs:)` for threads, `events` for async code.
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
    private var known: [UInt16: USBDeviceInfo] = [:]
    private var stopped = false
    private var workerDone = false
    private var callbackHandle: libusb_hotplug_callback_handle = 0

    /// Starts watching. Devices already attached are known, not reported (list them with `USBDiscovery`).
    public init(host: USBHost, pollIntervalMs: Int = 250, forcePolling: Bool = false) throws(USBError) {
        self.host = host
        self.pollIntervalMs = pollIntervalMs
        usesHotplugCallbacks = !forcePolling && host.supportsHotplug
        for info in try USBDiscovery.list(host: host) { known[Self.key(info.bus, info.address)] = info }
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
        let thread = Thread { [self] in work() }
        thread.name = "mosquito-usb-hotplug"
        thread.start()
    }

    deinit { stop() }

    public func stop() {
        condition.lock()
        guard !stopped else {
            condition.unlock()
            return
        }
        stopped = true
        condition.broadcast()
        while !workerDone { condition.wait() }
        condition.unlock()
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

    private static func key(_ bus: UInt8, _ address: UInt8) -> UInt16 { UInt16(bus) << 8 | UInt16(address) }

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

    /// Turns raw notes (or list differences, when polling) into events with full device descriptions.
    private func work() {
        defer { condition.withLock { workerDone = true; condition.broadcast() } }
        var lastPoll = Date()
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
                for gone in departures { depart(Self.key(gone.bus, gone.address)) }
                for device in arrivals {
                    if let facts = try? USBDeviceFacts(device) { arrive(USBDiscovery.describe(device, facts: facts)) }
                    libusb_unref_device(device)
                }
                // Hotplug notifications can be lost (a busy udev monitor, an event that raced registration), and
                // libusb's device list is rebuilt only from them: reconcile with the kernel's sysfs now and then,
                // so no arrival or departure goes unreported.
                if Date().timeIntervalSince(lastPoll) >= 0.5 {
                    lastPoll = Date()
                    reconcileWithSysfs()
                }
            } else {
                poll()
            }
        }
    }

    private func poll() {
        guard let now = try? USBDiscovery.list(host: host) else { return }
        let present = Set(now.map { Self.key($0.bus, $0.address) })
        for key in condition.withLock({ Array(known.keys) }) where !present.contains(key) { depart(key) }
        for info in now where condition.withLock({ known[Self.key(info.bus, info.address)] == nil }) { arrive(info) }
    }

    private func reconcileWithSysfs() {
        guard let now = USBSysfs.mosquitos() else { return }
        let present = Set(now.map { Self.key($0.bus, $0.address) })
        for key in condition.withLock({ Array(known.keys) }) where !present.contains(key) { depart(key) }
        for info in now where condition.withLock({ known[Self.key(info.bus, info.address)] == nil }) { arrive(info) }
    }

    private func arrive(_ info: USBDeviceInfo) {
        condition.withLock {
            // Reported once, whichever of callback and reconciliation sees it first.
            guard known[Self.key(info.bus, info.address)] == nil else { return }
            known[Self.key(info.bus, info.address)] = info
            queue.append(.arrived(info))
            condition.broadcast()
        }
    }

    private func depart(_ key: UInt16) {
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
