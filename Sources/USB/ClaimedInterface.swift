import CLibUSB

/// An interface this process has claimed, together with the open handle it was claimed on: `deinit` releases
/// the interface, then the handle closes (members are destroyed after `deinit` runs).
struct ClaimedInterface: ~Copyable {
    let handle: USBDeviceHandle
    let number: Int32

    init(_ handle: consuming USBDeviceHandle, number: UInt8) throws(USBError) {
        try USBCall.check("libusb_claim_interface", libusb_claim_interface(handle.raw, Int32(number)))
        self.handle = handle
        self.number = Int32(number)
    }

    deinit { _ = libusb_release_interface(handle.raw, number) }
}
