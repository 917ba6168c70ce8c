import ArgumentParser
import Device
import Foundation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List attached Mosquitos, one line each.")

    @Option(help: "Also ask this tty whether it is a Mosquito (repeatable; e.g. a simulator's pty).")
    var probe: [String] = []
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
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
}

/// Discoveries that live above the device layer (USB) add their instruments here.
enum Discoveries {
    static func extra() -> [DiscoveredInstrument?] { [] }
}
