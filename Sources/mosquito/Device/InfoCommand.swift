import ArgumentParser
import Device
import MWP

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show an instrument's identity, channels and stored calibration.")

    @OptionGroup var deviceOption: DeviceOption
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let session = try deviceOption.openSession()
        defer { session.close() }
        let identity = session.identity!
        var calibrations: [CalibrationRecord] = []
        for c in identity.channels.indices {
            do throws(DeviceError) {
                calibrations.append(try session.readCalibration(channel: UInt8(c)))
            } catch {
                throw CLIError("\(deviceOption.device): reading channel \(c) calibration: \(error)")
            }
        }
        // Each record says which channel it belongs to; the description wants them by position.
        let byChannel = identity.channels.indices.map { i in calibrations.first { Int($0.channel) == i } }
        let report = InstrumentDescription(uri: deviceOption.device, identity: identity, calibrations: byChannel)
        if json { try Console.json(report) } else { report.print() }
    }
}

/// What `info` prints: the shared description, as text.
extension InstrumentDescription {
    func print() {
        Console.line("\(uri)")
        Console.line("  serial            \(serial)")
        Console.line("  design            \(design) rev \(hardwareRevision)")
        Console.line("  firmware          \(firmware)")
        Console.line("  max rate          \(maxRateHz) Hz")
        Console.line("  channels          \(channels.count)")
        for c in channels {
            let ch = c.channel
            Console.line("  [\(c.index)] \(ch.name) (\(ch.kind), \(ch.unit)), \(ch.adcBits)-bit ADC, raw \(ch.rawMin)…\(ch.rawMax)")
            if let cal = c.calibration {
                let coefficients = cal.coefficients.prefix(Int(cal.degree) + 1).map { "\($0)" }.joined(separator: ", ")
                let who = cal.technician.isEmpty ? "" : " by \(cal.technician)"
                Console.line("      calibration degree \(cal.degree): [\(coefficients)], \(utcDate(cal.calibratedAt))\(who)")
            }
        }
    }
}

func utcDate(_ unixSeconds: UInt64) -> String {
    let f = ISO8601DateFormatter()
    f.timeZone = .gmt
    return f.string(from: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
}

import Foundation
