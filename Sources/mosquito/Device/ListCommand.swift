import ArgumentParser
import Device
import Foundation
import USB

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List attached Mosquitos, one line each.")

    @Option(help: "Also ask this tty whether it is a Mosquito (repeatable; e.g. a simulator's pty).")
    var probe: [String] = []
    @Flag(help: "Print JSON instead of text.") var json = false
    @Flag(help: "Keep running and print USB Mosquitos as they arrive and leave.") var watch = false

    /// A path the user named is checked: a typo would otherwise read as "no Mosquito found".
    func validate() throws {
        for path in probe where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("--probe \(path): no such file")
        }
    }

    func run() throws {
        if watch { return try watchUSB() }
        var found = SerialDiscovery.candidates().map { SerialDiscovery.probe(path: $0) }
        found += probe.map { SerialDiscovery.probe(path: $0) }
        found += Discoveries.extra()
        let attached = found.compactMap { $0 }
        if json {
            try Console.json(attached)
        } else if attached.isEmpty {
            Console.error("no Mosquito found (serial ports scanned: \(SerialDiscovery.candidates().count))")
        } else {
            for d in attached { Console.line(d.line) }
        }
    }

    /// Arrivals and departures until Ctrl-C (libusb hotplug, or polling where the platform has none).
    private func watchUSB() throws {
        let monitor: USBHotplugMonitor
        do throws(USBError) { monitor = try USBHotplugMonitor(host: USBHost()) } catch {
            throw CLIError("cannot watch USB: \(error)")
        }
        defer { monitor.stop() }
        ProcessSignals.restoreDefaults([SIGINT, SIGTERM])
        while true {
            guard let event = monitor.next(timeoutMs: 500) else { continue }
            switch event {
            case .arrived(let d): json ? try Console.json(WatchEvent(event: "arrived", device: d)) : Console.line("+ " + d.summary)
            case .departed(let d): json ? try Console.json(WatchEvent(event: "departed", device: d)) : Console.line("- " + d.summary)
            }
        }
    }
}

private struct WatchEvent: Encodable {
    let event: String
    let device: USBDeviceInfo
}

/// Discoveries that live above the device layer (USB) add their instruments here.
enum Discoveries {
    /// USB Mosquitos, beside the serial ones; one that cannot be opened says why and how to fix it.
    static func extra() -> [DiscoveredInstrument?] {
        guard let devices = try? USBDriver.listMosquitos() else { return [] }
        return devices.map { d in
            var problem: String?
            switch d.access {
            case .ok: break
            case .permissionDenied(let fix): problem = "permission denied on \(d.nodePath): \(fix)"
            case .failed(let why): problem = why
            }
            return DiscoveredInstrument(
                uri: d.uri.description, serial: d.serial,
                details: [
                    "bus": "\(d.bus)", "address": "\(d.address)", "speed": d.speed.rawValue,
                    "manufacturer": d.manufacturer ?? "?", "product": d.product ?? "?",
                ],
                problem: problem)
        }
    }
}
