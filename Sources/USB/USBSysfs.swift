import Foundation
import MWP

#if canImport(Glibc)
import Glibc
#endif

/// Mosquitos as the kernel's sysfs lists them, without libusb. libusb's own device list can lag behind a lost
/// hotplug notification (it is rebuilt only from those notifications); sysfs is the kernel's word.
enum USBSysfs {
    static let devicesDirectory = "/sys/bus/usb/devices"

    /// nil when this system has no USB sysfs at all (nothing to reconcile with).
    static func mosquitos() -> [USBDeviceInfo]? {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: devicesDirectory) else { return nil }
        var found: [USBDeviceInfo] = []
        for entry in entries.sorted() {
            let dir = devicesDirectory + "/" + entry + "/"
            guard let vid = hex(dir + "idVendor"), let pid = hex(dir + "idProduct"),
                vid == USBIdentity.vendorID, pid == USBIdentity.productID,
                let bus = attribute(dir + "busnum").flatMap({ UInt8($0) }),
                let address = attribute(dir + "devnum").flatMap({ UInt8($0) })
            else { continue }
            var info = USBDeviceInfo(
                bus: bus, address: address, portPath: entry, vendorID: vid, productID: pid,
                serial: attribute(dir + "serial"), manufacturer: attribute(dir + "manufacturer"),
                product: attribute(dir + "product"), speed: speed(attribute(dir + "speed")), access: .ok)
            if access(info.nodePath, R_OK | W_OK) != 0 && (errno == EACCES || errno == EPERM) {
                info.access = .permissionDenied(fix: USBDeviceInfo.permissionFix)
            }
            found.append(info)
        }
        return found
    }

    private static func attribute(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func hex(_ path: String) -> UInt16? { attribute(path).flatMap { UInt16($0, radix: 16) } }

    /// sysfs states the speed in Mb/s.
    private static func speed(_ text: String?) -> USBSpeed {
        switch text {
        case "1.5": .low
        case "12": .full
        case "480": .high
        case "5000": .superSpeed
        case "10000", "20000": .superPlus
        default: .unknown
        }
    }
}
