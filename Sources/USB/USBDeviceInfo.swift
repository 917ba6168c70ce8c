import CLibUSB
import Device
import Foundation
import MWP

public enum USBSpeed: String, Sendable, Codable {
    case low = "1.5 Mb/s", full = "12 Mb/s", high = "480 Mb/s", superSpeed = "5 Gb/s", superPlus = "10 Gb/s"
    case unknown = "unknown"

    init(libusb value: Int32) {
        switch value {
        case Int32(LIBUSB_SPEED_LOW.rawValue): self = .low
        case Int32(LIBUSB_SPEED_FULL.rawValue): self = .full
        case Int32(LIBUSB_SPEED_HIGH.rawValue): self = .high
        case Int32(LIBUSB_SPEED_SUPER.rawValue): self = .superSpeed
        case Int32(LIBUSB_SPEED_SUPER_PLUS.rawValue): self = .superPlus
        default: self = .unknown
        }
    }
}

/// Whether this process can open the device, and if not, why and what fixes it.
public enum USBAccess: Sendable, Equatable, Codable {
    case ok
    case permissionDenied(fix: String)
    case failed(String)
}

/// One attached Mosquito as `mosquito list` shows it.
public struct USBDeviceInfo: Sendable, Equatable, Codable {
    public var bus: UInt8
    public var address: UInt8
    public var portPath: String
    public var vendorID: UInt16
    public var productID: UInt16
    public var serial: String?
    public var manufacturer: String?
    public var product: String?
    public var speed: USBSpeed
    public var access: USBAccess

    /// The usbfs node libusb opens.
    public var nodePath: String { String(format: "/dev/bus/usb/%03d/%03d", bus, address) }

    public var uri: DeviceURI { .usb(vendorID: vendorID, productID: productID, serial: serial) }

    public static let permissionFix =
        "install the udev rules (sudo make install-udev), then unplug and replug the instrument; "
        + "on systems without logind, also add yourself to the plugdev group"

    /// One line: what a lab user needs to pick the instrument, or to see why they cannot.
    public var summary: String {
        var line = "\(uri)  bus \(bus) address \(address) (port \(portPath))  \(speed.rawValue)"
        line += "  \(manufacturer ?? "?") \(product ?? "?")"
        switch access {
        case .ok: break
        case .permissionDenied(let fix): line += "  NOT ACCESSIBLE: permission denied on \(nodePath); \(fix)"
        case .failed(let why): line += "  NOT ACCESSIBLE: \(why)"
        }
        return line
    }
}
