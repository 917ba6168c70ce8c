import CUSBEmulator
import Device
import Foundation
import MWP
import Simulator
import Testing
@testable import USB

extension USBEmulatedDeviceTests {
    static let uri = "usb:1209:0001:\(EmulatedMosquito.serial)"

    /// A streaming session on the emulated device at `rate` over channels 0 and 1.
    static func streaming(_ device: EmulatedMosquito, host: USBHost, rate: UInt32 = 2000)
        throws -> (DeviceSession, USBTransport, SampleCollector)
    {
        let transport = try USBTransport(uri: try DeviceURI(parsing: uri), host: host)
        let session = DeviceSession(transport: transport, requestTimeoutMs: 2000)
        try session.identify()
        try session.configure(rateHz: rate, channelMask: 0b11)
        let collector = SampleCollector()
        try session.start(into: collector)
        return (session, transport, collector)
    }

    static func expectContiguousTruth(_ rows: [(index: UInt64, values: [Int32])], _ device: EmulatedMosquito, rate: UInt32) {
        for (i, row) in rows.enumerated() {
            let truth = [0, 1].map { device.rawSample(channel: $0, index: row.index, rateHz: rate) }
            guard row.index == UInt64(i), row.values == truth else {
                Issue.record("sample \(i): index \(row.index), values \(row.values), expected \(truth)")
                return
            }
        }
    }

    @Test func stallMidStreamIsClearedAndStreamingContinuesWithoutLoss() throws {
        let device = try EmulatedMosquito()
        let (session, transport, collector) = try Self.streaming(device, host: try USBHost())
        #expect(collector.wait(forSamples: 200))
        device.stallBulkIn()
        #expect(collector.wait(forSamples: 800))
        try session.stop()
        #expect(transport.streamCounters.stalls == 1)
        #expect(device.clearHalts == 1)
        Self.expectContiguousTruth(collector.samples, device, rate: 2000)
        session.close()
    }

    @Test func firmwareThatStopsAnsweringGivesARequestTimeout() throws {
        let device = try EmulatedMosquito()
        let transport = try USBTransport(uri: try DeviceURI(parsing: Self.uri), host: try USBHost())
        // Long enough that a loaded machine answers the requests that are answered: the ignored one costs it.
        let session = DeviceSession(transport: transport, requestTimeoutMs: 2000)
        try session.identify()
        device.ignoreRequests(true)
        #expect(throws: DeviceError.timeout(.configure)) { try session.configure(rateHz: 1000, channelMask: 1) }
        device.ignoreRequests(false)
        try session.configure(rateHz: 1000, channelMask: 1)
        session.close()
    }

    @Test func bulkOutThatNeverCompletesTimesOutWithATypedError() throws {
        let device = try EmulatedMosquito()
        let transport = try USBTransport(uri: try DeviceURI(parsing: Self.uri), host: try USBHost(), sendTimeoutMs: 200)
        device.nakBulkOut(true)
        do {
            try transport.send([0x01, 0x02, 0x00])
            Issue.record("send returned although the device NAKed every OUT packet")
        } catch {
            guard case .other(let message) = error else { Issue.record("unexpected \(error)"); return }
            #expect(message.contains("timed out"))
        }
        // libusb cancelled the OUT URB when its timeout expired.
        #expect(device.discarded >= 1)
        transport.close()
    }

    @Test func unplugMidStreamReportsUnpluggedAndKeepsEverythingReceived() throws {
        let device = try EmulatedMosquito()
        let (session, _, collector) = try Self.streaming(device, host: try USBHost())
        #expect(collector.wait(forSamples: 300))
        device.unplug()
        let lost = collector.waitForLinkLoss()
        guard case .disconnected(let message)? = lost else {
            Issue.record("expected a disconnect, got \(String(describing: lost))")
            return
        }
        #expect(message.contains("unplugged"))
        #expect(message.contains(EmulatedMosquito.serial))
        let rows = collector.samples
        #expect(rows.count >= 300)
        Self.expectContiguousTruth(rows, device, rate: 2000)
        #expect(throws: DeviceError.self) { try session.stop() }
        session.close()
    }

    @Test func replugIsFoundByTheReconnectHelperAndStreamsAgain() throws {
        let device = try EmulatedMosquito()
        let host = try USBHost()
        let (first, _, collector) = try Self.streaming(device, host: host)
        #expect(collector.wait(forSamples: 100))
        device.unplug()
        #expect(collector.waitForLinkLoss() != nil)
        first.close()

        // Plugged back while the helper waits, most likely; found either way, so the order is left to chance.
        let replug = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            try? device.plug(address: 3)
        }
        replug.start()
        let session = try USBReconnect.waitAndReopenSession(
            serial: EmulatedMosquito.serial, host: host, timeoutMs: 60_000)
        #expect(session.identity?.serial == EmulatedMosquito.serial)
        #expect((session.transport as? USBTransport)?.info.address == 3)
        try session.configure(rateHz: 2000, channelMask: 0b11)
        let again = SampleCollector()
        try session.start(into: again)
        #expect(again.wait(forSamples: 200))
        try session.stop()
        Self.expectContiguousTruth(again.samples, device, rate: 2000)
        session.close()
    }

    /// What `record --follow` calls while a USB unit is away: the opener's reopen waits on hotplug arrivals
    /// (``USBReconnect``) for the serial it was told, instead of failing at once and being polled again.
    @Test func theOpenersReopenWaitsForTheUnitToBePluggedBack() throws {
        let device = try EmulatedMosquito()
        var opener = DeviceOpener()
        USBDriver.register(into: &opener)
        device.unplug()
        #expect(throws: DeviceError.self) { _ = try opener.openSession("usb:1209:0001") }
        let replug = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            try? device.plug(address: 4)
        }
        replug.start()
        let session = try opener.reopenSession("usb:1209:0001", serial: EmulatedMosquito.serial, waitMs: 60_000)
        #expect(session.identity?.serial == EmulatedMosquito.serial)
        #expect((session.transport as? USBTransport)?.info.address == 4)
        session.close()
    }

    @Test func reconnectGivesUpWithAClearErrorWhenTheUnitStaysAway() throws {
        let device = try EmulatedMosquito()
        device.unplug()
        let host = try USBHost()
        #expect(throws: TransportError.self) {
            _ = try USBReconnect.waitAndReopen(serial: EmulatedMosquito.serial, host: host, timeoutMs: 300)
        }
    }

    @Test func deviceThatCannotBeOpenedSaysPermissionAndTheFix() throws {
        let device = try EmulatedMosquito()
        // sysfs is world-readable on a real system; the testbed's root starts private.
        chmod(device.root, 0o755)
        // umockdev's ioctl socket stands in for the kernel; only the node itself should refuse.
        chmod(device.root + "/ioctl/dev/bus/usb/001/002", 0o777)
        let host = try USBHost()
        // An unprivileged user: the node (root-owned, no access for others) refuses to open.
        let previous = mq_set_thread_fsuid(65534)
        let found = Result { try USBDiscovery.list(host: host) }
        let opened = Result { () throws(TransportError) in try USBTransport(uri: try! DeviceURI(parsing: Self.uri), host: host) }
        _ = mq_set_thread_fsuid(previous)
        let list = try found.get()
        try #require(list.count == 1)
        guard case .permissionDenied(let fix) = list[0].access else {
            Issue.record("expected permission denied, got \(list[0].access)")
            return
        }
        #expect(fix.contains("make install-udev"))
        #expect(list[0].summary.contains("permission denied on /dev/bus/usb/001/002"))
        #expect(list[0].serial == EmulatedMosquito.serial)  // from sysfs
        guard case .failure(.permissionDenied(let what)) = opened else {
            Issue.record("expected the open to be refused for permission, got \(opened)")
            return
        }
        #expect(what.contains("/dev/bus/usb/001/002"))
        #expect(TransportError.permissionDenied(what).description.contains("udev"))
    }
}
