import CLibUSB
import Foundation

/// Finds attached Mosquitos (by the VID:PID in `USBIdentity`) and says for each whether it can be opened.
public enum USBDiscovery {
    /// Every Mosquito on the bus, in bus/address order. Strings come from the device when it can be opened,
    /// from sysfs when it cannot (so an inaccessible unit still shows its serial).
    public static func list(host: USBHost) throws(USBError) -> [USBDeviceInfo] {
        let list = try USBDeviceList(host: host)
        var found: [USBDeviceInfo] = []
        for device in list.devices {
            guard let facts = try? USBDeviceFacts(device), facts.isMosquito else { continue }
            found.append(describe(device, facts: facts))
        }
        return found.sorted { ($0.bus, $0.address) < ($1.bus, $1.address) }
    }

    /// Opens `device` briefly to read its strings.
    static func describe(_ device: OpaquePointer, facts: USBDeviceFacts) -> USBDeviceInfo {
        do throws(USBError) {
            return facts.described(by: try USBDeviceHandle(device: device))
        } catch {
            var info = facts.info
            info.access = error.code == .access ? .permissionDenied(fix: USBDeviceInfo.permissionFix) : .failed(error.description)
            let sysfs = "/sys/bus/usb/devices/" + info.portPath + "/"
            info.serial = sysfsAttribute(sysfs + "serial")
            info.manufacturer = sysfsAttribute(sysfs + "manufacturer")
            info.product = sysfsAttribute(sysfs + "product")
            return info
        }
    }

    private static func sysfsAttribute(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
