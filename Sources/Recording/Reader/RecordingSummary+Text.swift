import Foundation

extension RecordingSummary {
    /// The plain-text form `mosquito inspect` prints (one fact per line, devices indented).
    public var text: String {
        var lines = [
            "\(path): \(metadata.format) v\(metadata.formatVersion), software \(metadata.softwareVersion), host \(metadata.host)",
            "started \(metadata.startTime), "
                + (metadata.stopTime.map { "stopped \($0)" }
                   ?? "not closed cleanly (recorder interrupted; holds data up to its last flush)"),
            "command: \(metadata.commandLine)",
        ]
        for device in devices { lines += Self.lines(for: device) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func lines(for summary: DeviceContents) -> [String] {
        let device = summary.device, identity = device.identity
        let indices = summary.firstIndex.map { first in ", indices \(first)…\(summary.lastIndex ?? first)" } ?? ""
        let channels = device.configuration.channels.map { channel -> String in
            "\(channel.name) \(channel.kind) [\(channel.unit)] \(channel.adcBits)-bit"
        }
        let pipeline = device.pipeline.isEmpty ? "none" : device.pipeline.joined(separator: "; ")
        var lines: [String] = []
        lines.append("device \(identity.serial) (\(device.uri)): design \(identity.design) rev \(identity.hardwareRevision), "
                     + "firmware \(identity.firmware)")
        lines.append("  rate \(number(device.configuration.rateHz)) Hz, \(summary.sampleCount) samples, "
                     + "\(number(summary.durationSeconds)) s\(indices)")
        lines.append("  channels: " + channels.joined(separator: ", "))
        lines.append("  pipeline: " + pipeline)
        if device.calibration.isEmpty { lines.append("  calibration: none") }
        for record in device.calibration {
            let date = UTCTimestamp.string(Date(timeIntervalSince1970: TimeInterval(record.calibratedAt)))
            let coefficients = record.coefficients.prefix(record.degree + 1).map(number).joined(separator: ", ")
            lines.append("  calibration \(record.channel): degree \(record.degree) [\(coefficients)], \(date) by "
                         + "\(record.technician)" + (record.certificateID.map { ", certificate \($0)" } ?? ""))
        }
        let causes = summary.missingByCause.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("  gaps: \(summary.gapCount)" + (summary.gapCount == 0 ? ""
            : " (\(summary.missingSamples) samples missing: \(causes.joined(separator: ", ")))"))
        lines.append("  events: \(summary.eventCount)")
        let clock = summary.clock
        if let low = clock.roundTripMinNs, let median = clock.roundTripMedianNs, let high = clock.roundTripMaxNs {
            lines.append("  clock: \(clock.exchanges) exchanges, round trip min/median/max "
                         + "\(micros(low))/\(micros(median))/\(micros(high)) µs"
                         + (clock.driftPPM.map { ", drift \(String(format: "%.2f", $0)) ppm" } ?? ""))
        } else {
            lines.append("  clock: no exchanges")
        }
        return lines
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func micros(_ nanos: Int64) -> String { String(format: "%.1f", Double(nanos) / 1000) }
}
