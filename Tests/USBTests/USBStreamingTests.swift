import Device
import Foundation
import MWP
import Simulator
import Testing
@testable import USB

/// The real driver against the simulated firmware behind an emulated USB device. Serialized: one umockdev
/// testbed per process at a time.
@Suite(.serialized, .enabled(if: UMockdevEnvironment.shouldRun, Comment(rawValue: UMockdevEnvironment.missing)))
struct USBEmulatedDeviceTests {
    init() throws {
        try #require(UMockdevEnvironment.active, Comment(rawValue: UMockdevEnvironment.missing))
    }

    @Test func listsTheMosquitoWithItsStringsAndSpeed() throws {
        let device = try EmulatedMosquito()
        let found = try USBDiscovery.list(host: USBHost())
        try #require(found.count == 1)
        #expect(found[0].serial == EmulatedMosquito.serial)
        #expect(found[0].manufacturer == "SENSORICA")
        #expect(found[0].product == "Mosquito")
        #expect(found[0].bus == 1 && found[0].address == 2)
        #expect(found[0].speed == .high)
        #expect(found[0].access == .ok)
        #expect(found[0].uri == .usb(vendorID: 0x1209, productID: 0x0001, serial: EmulatedMosquito.serial))
        _ = device
    }

    @Test func identifiesConfiguresStreamsExactValuesAndStops() throws {
        let device = try EmulatedMosquito()
        let host = try USBHost()
        let transport = try USBTransport(uri: try DeviceURI(parsing: "usb:1209:0001:\(EmulatedMosquito.serial)"), host: host)
        #expect(device.claimed == 1)
        let session = DeviceSession(transport: transport, requestTimeoutMs: 2000)
        let identity = try session.identify()
        #expect(identity.serial == EmulatedMosquito.serial)
        #expect(identity.channels.count == 4)

        let rate: UInt32 = 2000
        try session.configure(rateHz: rate, channelMask: 0b1011)
        // CONFIGURE resized the IN transfers to ~10 ms of this stream, whole packets, eight in flight.
        let expected = TransferSizing.transferBytes(rateHz: rate, channels: 3, maxPacketSize: 512)
        #expect(transport.transferBytes == expected)
        #expect(expected % 512 == 0)
        let collector = SampleCollector()
        try session.start(into: collector)
        let wanted = 600
        #expect(collector.wait(forSamples: wanted))
        try session.stop()
        #expect(device.lastInLength == expected)
        #expect(device.maxInFlight >= TransferSizing.transfersInFlight)

        let rows = collector.samples
        try #require(rows.count >= wanted)
        for (i, row) in rows.enumerated() {
            #expect(row.index == UInt64(i))
            let truth = [0, 1, 3].map { device.rawSample(channel: $0, index: row.index, rateHz: rate) }
            #expect(row.values == truth, "sample \(row.index)")
            if row.values != truth { break }
        }
        #expect(collector.frameErrors.isEmpty)
        #expect(session.decoderCounters.crcErrors == 0)

        session.close()
        // Stop cancelled every transfer and waited for it before releasing the interface.
        #expect(device.pendingIn == 0)
        #expect(device.claimed == 0)
    }

    @Test func usbURIsOpenThroughTheDeviceOpenerOnceRegistered() throws {
        let device = try EmulatedMosquito()
        var opener = DeviceOpener()
        #expect(throws: DeviceError.self) { _ = try opener.openSession("usb:1209:0001") }
        USBDriver.register(into: &opener)
        let session = try opener.openSession("usb:1209:0001")
        #expect(session.identity?.serial == EmulatedMosquito.serial)
        session.close()
        #expect(throws: DeviceError.transport(.notFound("usb:1209:0001:MQ-NOT-HERE"))) {
            _ = try opener.openSession("usb:1209:0001:MQ-NOT-HERE")
        }
        _ = device
    }
}
