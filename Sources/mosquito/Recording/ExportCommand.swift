import ArgumentParser
import Foundation
import Recording

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert (part of) a recording to CSV, streaming: memory stays bounded on any file size.",
        discussion: """
            Columns are index, device_time_us, then one per channel (calibrated values, or ADC counts with \
            --raw). --from/--to are seconds of device time after the first sample; --to is exclusive.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv }

    @Argument(help: "A recording written by `mosquito record --output FILE.h5`.") var file: String
    @Option(help: "Output format.") var format: Format = .csv
    @Option(help: "Channel names to export, in this order, e.g. voltage,force (default: all).") var channels: String?
    @Option(help: "Start, in seconds after the first sample.") var from: Double?
    @Option(help: "End (exclusive), in seconds after the first sample.") var to: Double?
    @Option(help: "Which device of a multi-device recording: its serial or its position from 0.") var device: String?
    @Flag(help: "Write raw ADC counts instead of calibrated values.") var raw = false
    @Option(name: .shortAndLong, help: "Output file, or - for standard output.") var output: String = "-"
    @Flag(help: "Replace the output file if it exists.") var overwrite = false

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, !(value.isFinite && value >= 0) { throw ValidationError("\(name) must be seconds ≥ 0") }
        }
        if let from, let to, to < from { throw ValidationError("--to \(to) is before --from \(from)") }
    }

    func run() throws {
        let reader = try RecordingFile.open(file)
        let position = try devicePosition(in: reader)
        let names = reader.devices[position].device.configuration.channels.map(\.name)
        let selected = channels.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        // Everything that can be refused is checked before the output exists, so bad input writes nothing.
        for name in selected ?? [] where !names.contains(name) {
            throw CLIError("no channel '\(name)' in \(file) (channels: \(names.joined(separator: ", ")))")
        }
        let selection = CSVExportSelection(
            device: position, channels: selected, fromSeconds: from, toSeconds: to, rawCounts: raw)
        let toFile = output != "-"
        do throws(RecordingError) {
            try exportCSV(from: reader, selection: selection, toPath: output, overwrite: overwrite)
        } catch {
            // A failure after the file was created (read error, disk full) must not leave half a CSV behind;
            // `cannotCreate` means the file was never ours to remove.
            var created = toFile
            if case .cannotCreate = error { created = false }
            let removal = created ? "; " + removePartialOutput() : ""
            // `RecordingError.writeFailed` speaks for a recording, whose file keeps what its last flush wrote; what
            // an export wrote is removed instead (or went to standard output).
            if case let .writeFailed(path, reason) = error { throw CLIError("writing \(path) failed: \(reason)\(removal)") }
            throw CLIError(error.description + removal)
        }
    }

    /// Removes what a failed export wrote to its output file, and says so (or why it could not).
    private func removePartialOutput() -> String {
        do {
            try FileManager.default.removeItem(atPath: output)
            return "the partial output \(output) was removed"
        } catch {
            return "the partial output \(output) could not be removed: \(error.localizedDescription)"
        }
    }

    private func devicePosition(in reader: HDF5RecordingReader) throws -> Int {
        guard let device else { return 0 }
        guard let position = reader.devicePosition(named: device) else {
            throw CLIError("no device '\(device)' in \(file) (devices: \(reader.deviceNames))")
        }
        return position
    }
}
