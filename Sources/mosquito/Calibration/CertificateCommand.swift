import ArgumentParser
import Calibration

struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Write the calibration certificate for a certificate ID as self-contained HTML (print to PDF from any browser).")

    @Argument(help: "Certificate ID, e.g. MQC-20261126-9F3A07C2.") var id: String
    @Option(help: "HTML file to write.") var output: String
    @OptionGroup var historyFile: HistoryFileOption

    func run() throws {
        let store = historyFile.store
        let html = try calibrationStep { () throws(CalibrationError) in try Certificate.html(try store.entry(id: id)) }
        try Console.writeAtomically(html, to: output)
        Console.line("certificate \(id) written to \(output)")
    }
}

struct CalibrationGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibration",
        abstract: "The host's calibration records.",
        subcommands: [CalibrationHistoryCommand.self])
}

struct CalibrationHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every calibration and verification of one unit: a table, and the drift trend as an SVG chart.")

    @Option(help: "Unit serial number.") var serial: String
    @Option(help: "SVG file for the drift chart. Default: <serial>-drift.svg.") var chart: String?
    @OptionGroup var historyFile: HistoryFileOption
    @Flag(help: "Print the entries as JSON instead of a table.") var json = false

    func run() throws {
        let store = historyFile.store
        let entries = try calibrationStep { () throws(CalibrationError) in try store.entries(serial: serial) }
        guard !entries.isEmpty else { throw CLIError("no calibrations or verifications of \(serial) in \(store.path)") }
        let chartPath = chart ?? "\(serial)-drift.svg"
        try Console.writeAtomically(CalibrationCharts.driftChart(entries, serial: serial), to: chartPath)
        if json { try Console.json(entries) } else {
            Console.line(HistoryReport.table(entries))
            Console.line("drift chart written to \(chartPath)")
        }
    }
}
