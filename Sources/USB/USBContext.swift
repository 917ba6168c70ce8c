import CLibUSB

/// Owns one libusb context; `deinit` exits it.
struct USBContext: ~Copyable {
    let raw: OpaquePointer

    init() throws(USBError) {
        var context: OpaquePointer?
        try USBCall.check("libusb_init", libusb_init(&context))
        guard let context else { throw USBError(code: .other, call: "libusb_init") }
        raw = context
    }

    deinit { libusb_exit(raw) }
}
