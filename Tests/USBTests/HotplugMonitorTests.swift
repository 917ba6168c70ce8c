import Foundation
import Testing
@testable import USB

/// `USBHotplugMonitor`. Every test's name starts with `hotplugMonitor`: libusb keeps one udev monitor per
/// process, bound to the umockdev testbed that existed when the process's first libusb context opened, so these
/// run in a process of their own (`make test`).
extension USBEmulatedDeviceTests {
    /// The last guard on a wait for an event that comes within one poll interval when all is well.
    static let eventGuardMs = 60_000

    @Test(arguments: [false, true])
    func hotplugMonitorReportsDepartureAndArrival(polling: Bool) throws {
        let device = try EmulatedMosquito()
        let host = try USBHost()
        let monitor = try USBHotplugMonitor(host: host, pollIntervalMs: 100, forcePolling: polling)
        defer { monitor.stop() }
        #expect(monitor.usesHotplugCallbacks == (!polling && host.supportsHotplug))
        device.unplug()
        guard case .departed(let gone)? = monitor.next(timeoutMs: Self.eventGuardMs) else {
            Issue.record("no departure event")
            return
        }
        #expect(gone.serial == EmulatedMosquito.serial && gone.address == 2)
        try device.plug(address: 3)
        guard case .arrived(let back)? = monitor.next(timeoutMs: Self.eventGuardMs) else {
            Issue.record("no arrival event")
            return
        }
        #expect(back.serial == EmulatedMosquito.serial && back.address == 3)
    }

    /// libusb's device list on Linux is a cache only udev events update. Here they cannot reach it: the process's
    /// udev monitor belongs to an earlier testbed, as on a system without udevd (a container) or after a netlink
    /// overrun. The kernel's view (sysfs) still shows the unit come back, and the monitor must say so.
    @Test func hotplugMonitorPollingSeesAUnitLibusbWasNeverToldAbout() throws {
        let earlier = try EmulatedMosquito()
        let bystander = try USBHost()  // the process's udev monitor now listens to `earlier`'s testbed
        let device = try EmulatedMosquito(alongside: true)
        let host = try USBHost()
        let monitor = try USBHotplugMonitor(host: host, pollIntervalMs: 100, forcePolling: true)
        defer { monitor.stop() }
        device.unplug()
        guard case .departed(let gone)? = monitor.next(timeoutMs: Self.eventGuardMs) else {
            Issue.record("no departure event")
            return
        }
        #expect(gone.serial == EmulatedMosquito.serial && gone.address == 2)
        try device.plug(address: 3)
        guard case .arrived(let back)? = monitor.next(timeoutMs: Self.eventGuardMs) else {
            Issue.record("no arrival event")
            return
        }
        #expect(back.serial == EmulatedMosquito.serial && back.address == 3)
        // The premise held: libusb itself never learnt of the unit at its new address.
        #expect(try USBDiscovery.list(host: host).allSatisfy { $0.address != 3 })
        withExtendedLifetime((earlier, bystander)) {}
    }

    /// A unit swapped for another at the same address between two looks leaves the set of addresses unchanged;
    /// the serial tells them apart. (The long interval makes both changes land between two looks.)
    @Test func hotplugMonitorPollingSeesAUnitSwappedBetweenTwoLooks() throws {
        let device = try EmulatedMosquito()
        let host = try USBHost()
        let monitor = try USBHotplugMonitor(host: host, pollIntervalMs: 1500, forcePolling: true)
        defer { monitor.stop() }
        device.unplug()
        try device.plug(address: 2, serial: "MQ-2026-0099")
        guard case .departed(let gone)? = monitor.next(timeoutMs: Self.eventGuardMs) else {
            Issue.record("no departure event")
            return
        }
        #expect(gone.serial == EmulatedMosquito.serial && gone.address == 2)
        guard case .arrived(let other)? = monitor.next(timeoutMs: Self.eventGuardMs) else {
            Issue.record("no arrival event")
            return
        }
        #expect(other.serial == "MQ-2026-0099" && other.address == 2)
    }
}
