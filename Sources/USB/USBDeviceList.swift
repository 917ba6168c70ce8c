import CLibUSB
import MWP

/// A snapshot of the devices libusb sees; `deinit` frees the list and drops its references.
struct USBDeviceList: ~Copyable {
    private let list: UnsafeMutablePointer<OpaquePointer?>
    let devices: [OpaquePointer]

    init(host: USBHost) throws(USBError) {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = try USBCall.check("libusb_get_device_list", Int32(truncatingIfNeeded: libusb_get_device_list(host.raw, &list)))
        guard let list else { throw USBError(code: .other, call: "libusb_get_device_list") }
        self.list = list
        devices = (0..<Int(n)).compactMap { list[$0] }
    }

    deinit { libusb_free_device_list(list, 1) }
}

/// Facts libusb knows about a device without opening it.
struct USBDeviceFacts {
    let vendorID: UInt16
    let productID: UInt16
    let bus: UInt8
    let address: UInt8
    let portPath: String
    let speed: USBSpeed
    let serialIndex: UInt8
    let manufacturerIndex: UInt8
    let productIndex: UInt8

    init(_ device: OpaquePointer) throws(USBError) {
        var d = libusb_device_descriptor()
        try USBCall.check("libusb_get_device_descriptor", libusb_get_device_descriptor(device, &d))
        vendorID = d.idVendor
        productID = d.idProduct
        serialIndex = d.iSerialNumber
        manufacturerIndex = d.iManufacturer
        productIndex = d.iProduct
        bus = libusb_get_bus_number(device)
        address = libusb_get_device_address(device)
        var ports = [UInt8](repeating: 0, count: 8)
        let depth = ports.withUnsafeMutableBufferPointer { libusb_get_port_numbers(device, $0.baseAddress, Int32($0.count)) }
        portPath = "\(bus)-" + ports.prefix(max(0, Int(depth))).map(String.init).joined(separator: ".")
        speed = USBSpeed(libusb: libusb_get_device_speed(device))
    }

    var isMosquito: Bool { vendorID == USBIdentity.vendorID && productID == USBIdentity.productID }
}
