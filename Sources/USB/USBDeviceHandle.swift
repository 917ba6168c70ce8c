import CLibUSB

/// An open device; `deinit` closes it.
struct USBDeviceHandle: ~Copyable {
    let raw: OpaquePointer

    /// Opens `device` (a `libusb_device *` from a device list).
    init(device: OpaquePointer) throws(USBError) {
        var handle: OpaquePointer?
        try USBCall.check("libusb_open", libusb_open(device, &handle))
        guard let handle else { throw USBError(code: .other, call: "libusb_open") }
        raw = handle
    }

    deinit { libusb_close(raw) }

    /// An ASCII string descriptor; nil when the index is 0 (absent) or the device will not say.
    func string(index: UInt8) -> String? {
        guard index != 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBufferPointer { b in
            libusb_get_string_descriptor_ascii(raw, index, b.baseAddress, Int32(b.count))
        }
        guard let length = try? USBCall.check("libusb_get_string_descriptor_ascii", n) else { return nil }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }

    func clearHalt(endpoint: UInt8) throws(USBError) {
        try USBCall.check("libusb_clear_halt", libusb_clear_halt(raw, endpoint))
    }
}
