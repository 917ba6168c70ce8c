import Foundation
import MWP

/// One instrument found on this host, as `mosquito list` shows it.
public struct DiscoveredInstrument: Sendable, Codable, Equatable {
    public var uri: String
    public var serial: String?
    public var design: String?
    public var hardwareRevision: UInt16?
    public var firmware: String?
    public var channels: Int?
    /// Transport details (bus/address, speed, manufacturer …) as label → value.
    public var details: [String: String]
    /// Why the instrument is there but cannot be used (e.g. permission), with the fix.
    public var problem: String?

    public init(uri: String, serial: String? = nil, design: String? = nil, hardwareRevision: UInt16? = nil,
                firmware: String? = nil, channels: Int? = nil, details: [String: String] = [:], problem: String? = nil) {
        self.uri = uri
        self.serial = serial
        self.design = design
        self.hardwareRevision = hardwareRevision
        self.firmware = firmware
        self.channels = channels
        self.details = details
        self.problem = problem
    }

    public var line: String {
        var parts = [uri]
        if let serial { parts.append(serial) }
        if let design { parts.append(design + (hardwareRevision.map { " rev \($0)" } ?? "")) }
        if let firmware { parts.append("fw " + firmware) }
        if let channels { parts.append("\(channels) ch") }
        parts += details.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if let problem { parts.append("(" + problem + ")") }
        return parts.joined(separator: "  ")
    }
}

/// Finds Mosquitos on serial ports: CDC-ACM ttys whose USB parent is a Mosquito, the udev symlinks, or any
/// tty the user names. Other ttys are never written to: probing an unknown device could disturb it.
public enum SerialDiscovery {
    /// ttys that are Mosquitos by their USB IDs or by the project's udev symlinks.
    public static func candidates() -> [String] {
        var paths: [String] = []
        let fm = FileManager.default
        if let links = try? fm.contentsOfDirectory(atPath: "/dev/mosquito") {
            paths += links.sorted().map { "/dev/mosquito/" + $0 }
        }
        for tty in (try? fm.contentsOfDirectory(atPath: "/sys/class/tty")) ?? [] where tty.hasPrefix("ttyACM") {
            if let ids = usbIDs(ofTTY: tty), ids == (USBIdentity.vendorID, USBIdentity.productID) {
                let dev = "/dev/" + tty
                // The symlink already lists this port.
                let linked = paths.contains { (try? fm.destinationOfSymbolicLink(atPath: $0)).map { URL(fileURLWithPath: $0).lastPathComponent == tty } ?? false }
                if !linked { paths.append(dev) }
            }
        }
        return paths
    }

    /// Asks the tty who it is (HELLO, short timeout); nil when nothing Mosquito-like answers.
    public static func probe(path: String) -> DiscoveredInstrument? {
        let uri = "serial:" + path
        let transport: SerialTransport
        do throws(TransportError) { transport = try SerialTransport(path: path) } catch {
            if case .permissionDenied = error { return DiscoveredInstrument(uri: uri, problem: error.description) }
            return nil
        }
        let session = DeviceSession(transport: transport, requestTimeoutMs: 500)
        defer { session.close() }
        guard let id = try? session.identify() else { return nil }
        return DiscoveredInstrument(
            uri: uri, serial: id.serial, design: id.design, hardwareRevision: id.hardwareRevision,
            firmware: id.firmware.description, channels: id.channels.count)
    }

    private static func usbIDs(ofTTY tty: String) -> (UInt16, UInt16)? {
        // /sys/class/tty/ttyACM0/device is the interface; its parent directory is the USB device.
        let device = URL(fileURLWithPath: "/sys/class/tty/\(tty)/device").resolvingSymlinksInPath().deletingLastPathComponent()
        func read(_ name: String) -> UInt16? {
            guard let text = try? String(contentsOf: device.appendingPathComponent(name), encoding: .utf8) else { return nil }
            return UInt16(text.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16)
        }
        guard let vid = read("idVendor"), let pid = read("idProduct") else { return nil }
        return (vid, pid)
    }
}
