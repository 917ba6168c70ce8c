import ArgumentParser
import Calibration
import Foundation
import Ledger

/// An accepted calibration is work on a unit: credit it in the contribution ledger, so the technician is paid
/// when the unit sells. The rule (hours, day, note) is Calibration's ``CalibrationContribution``; the ledger
/// knows serials and agents, not devices; this is only where the two meet.
enum CalibrationCredit {
    /// Checked before any measurement, so a calibration that could not be credited is never half-done.
    static func precheck(ledger location: String, technician: String, project: String) async throws {
        do throws(LedgerError) {
            try await Ledger.open(location).checkContributor(agent: technician, project: project)
        } catch {
            throw CLIError("cannot credit calibrations in \(location): \(error)")
        }
    }

    static func record(_ contribution: CalibrationContribution, ledger location: String, project: String) async throws -> ContributionEvent {
        let hours = LedgerDecimal(mantissa: Int64(clamping: contribution.creditedCentiHours), scale: 2)
        do throws(LedgerError) {
            let ledger = try await Ledger.open(location)
            let draft = ContributionDraft(
                date: try LedgerDate(contribution.creditedDay), agent: contribution.technician, project: project,
                kind: .work, hours: hours, workType: contribution.workType, unit: contribution.unitSerial,
                note: contribution.creditNote)
            return try await ledger.contribute(draft)
        } catch {
            throw CLIError("crediting calibration \(contribution.certificateID) in the ledger: \(error)")
        }
    }
}

/// `mosquito ledger credit-calibration ID`: credits a calibration from the history (e.g. one made before the
/// ledger existed, or on a bench without it).
struct CreditCalibrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit-calibration",
        abstract: "Credit an accepted calibration (by certificate ID) to its technician as work on the unit.")

    @Argument(help: "Certificate ID, e.g. MQC-20261126-1A2B3C4D.") var certificate: String
    @Option(help: "Calibration history file (default: the user's data directory).") var history: String?
    @Option(help: "SQLite file or postgres:// URL (default: the user's data directory).") var ledger: String?
    @Option(help: "Project the work belongs to.") var project: String = "mosquito"

    func run() async throws {
        let store = CalibrationHistory(path: history ?? CalibrationHistory.defaultPath())
        let entry: HistoryEntry
        do throws(CalibrationError) { entry = try store.entry(id: certificate) } catch { throw CLIError("\(error)") }
        guard let contribution = CalibrationContribution(entry: entry) else {
            throw CLIError("\(certificate) is a verification, not a calibration: nothing to credit")
        }
        let event = try await CalibrationCredit.record(contribution, ledger: ledger ?? Ledger.defaultPath(), project: project)
        Console.line("credited \(contribution.technician): event \(event.id), \(contribution.unitSerial), certificate \(certificate)")
    }
}
