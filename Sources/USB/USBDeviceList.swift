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

/// Facts libusb knows about a device without opening it: the device as `mosquito list` shows it, but for the
/// strings only an opened device states, and where to read those.
struct USBDeviceFacts {
    /// No strings yet; access `.ok` until an open says otherwise.
    let info: USBDeviceInfo
    let serialIndex: UInt8
    let manufacturerIndex: UInt8
    let productIndex: UInt8

    init(_ device: OpaquePointer) throws(USBError) {
        var d = libusb_device_descriptor()
        try USBCall.check("libusb_get_device_descriptor", libusb_get_device_descriptor(device, &d))
        serialIndex = d.iSerialNumber
        manufacturerIndex = d.iManufacturer
        productIndex = d.iProduct
        let bus = libusb_get_bus_number(device)
        var ports = [UInt8](repeating: 0, count: 8)
        let depth = ports.withUnsafeMutableBufferPointer { libusb_get_port_numbers(device, $0.baseAddress, Int32($0.count)) }
        info = USBDeviceInfo(
            bus: bus, address: libusb_get_device_address(device),
            portPath: "\(bus)-" + ports.prefix(max(0, Int(depth))).map(String.init).joined(separator: "."),
            vendorID: d.idVendor, productID: d.idProduct, serial: nil, manufacturer: nil, product: nil,
            speed: USBSpeed(libusb: libusb_get_device_speed(device)), access: .ok)
    }

    var isMosquito: Bool { info.vendorID == USBIdentity.vendorID && info.productID == USBIdentity.productID }

    /// The device with the strings `handle` (opened on it) states.
    func described(by handle: borrowing USBDeviceHandle) -> USBDeviceInfo {
        var described = info
        described.serial = handle.string(index: serialIndex)
        described.manufacturer = handle.string(index: manufacturerIndex)
        described.product = handle.string(index: productIndex)
        return described
    }
}
