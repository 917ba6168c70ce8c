import Testing
@testable import USB

struct TransferSizingTests {
    @Test(arguments: [(UInt32(100), 1), (1000, 4), (10_000, 8), (100_000, 16), (100_000, 32)])
    func transfersHoldAboutTenMillisecondsInWholePackets(rate: UInt32, channels: Int) {
        let bytes = TransferSizing.transferBytes(rateHz: rate, channels: channels, maxPacketSize: 512)
        #expect(bytes % 512 == 0)
        let tenMs = TransferSizing.wireBytesPerSecond(rateHz: rate, channels: channels) / 100
        #expect(bytes >= tenMs && bytes < tenMs + 512 || bytes == 512 && tenMs < 512)
        // Eight in flight stay far inside usbfs's 16 MiB budget.
        #expect(bytes * TransferSizing.transfersInFlight <= 8 << 20)
    }

    @Test func fullSpeedPacketsAndTheUpperBound() {
        #expect(TransferSizing.transferBytes(rateHz: 1000, channels: 1, maxPacketSize: 64) % 64 == 0)
        let huge = TransferSizing.transferBytes(rateHz: 10_000_000, channels: 32, maxPacketSize: 512)
        #expect(huge == TransferSizing.maxBytes)
    }

    @Test func libusbErrorsHaveReadableNames() throws {
        #expect(throws: USBError(code: .access, call: "libusb_open")) { try USBCall.check("libusb_open", -3) }
        #expect(USBError(code: .noDevice, call: "x").name == "LIBUSB_ERROR_NO_DEVICE")
        #expect(USBError(code: .timeout, call: "libusb_bulk_transfer").description == "libusb_bulk_transfer: LIBUSB_ERROR_TIMEOUT")
        #expect(try USBCall.check("ok", 7) == 7)
        #expect(throws: USBError(code: .other, call: "y")) { try USBCall.check("y", -1234) }
    }
}
