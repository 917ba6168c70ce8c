import ArgumentParser
import Calibration
import Foundation
import Ledger

/// An accepted calibration is work on a unit: credit it in the contribution ledger, so the technician is paid
/// when the unit sells. The rule (hours, day, note, source) is Calibration's ``CalibrationContribution``; the
/// ledger knows serials and agents, not devices; this is only where the two meet.
enum CalibrationCredit {
    /// Everything the ledger would check when crediting the calibration, checked before it is done, so one it
    /// would refuse is never half-done (the device and history written, the ledger not). Called twice: before
    /// the device is opened (`unit` nil: the technician, the project, its `calibration` work type), then with
    /// the serial the unit reports, before anything is measured or written. Only what the calibration itself
    /// decides is left to the credit: its hours (checked here at the least, 0.01 h) and its new certificate.
    static func precheck(ledger location: String, technician: String, project: String, unit: String?) async throws {
        let draft = ContributionDraft(
            date: LedgerDate.today(), agent: technician, project: project, kind: .work,
            hours: LedgerDecimal(mantissa: 1, scale: 2), workType: CalibrationContribution.workType, unit: unit)
        do throws(LedgerError) {
            try await Ledger.using(location) { ledger throws(LedgerError) in try await ledger.check(draft) }
        } catch {
            let what = unit.map { "a calibration of \($0)" } ?? "calibrations"
            throw CLIError("cannot credit \(what) in \(location): \(error)")
        }
    }

    /// Appends the calibration's work event. The ledger refuses a certificate it has already credited, in the
    /// append's own transaction, so two credits of one certificate cannot both pass.
    static func record(_ contribution: CalibrationContribution, in ledger: Ledger, project: String) async throws(LedgerError) -> ContributionEvent {
        let hours = LedgerDecimal(mantissa: Int64(clamping: contribution.creditedCentiHours), scale: 2)
        let draft = ContributionDraft(
            date: try LedgerDate(contribution.creditedDay), agent: contribution.technician, project: project,
            kind: .work, hours: hours, workType: contribution.workType, unit: contribution.unitSerial,
            note: contribution.creditNote, sourceReference: contribution.creditSource)
        return try await ledger.contribute(draft)
    }

    /// An event that credited this certificate before ledgers kept source references: it carries none, and its
    /// note is the one every credit wrote. Every credit this version makes carries its reference, and released
    /// versions refuse a ledger whose schema is newer than theirs; only a build from before that refusal existed
    /// could still write a reference-less credit between this look and the append.
    static func creditedBeforeReferences(_ contribution: CalibrationContribution, in ledger: Ledger) async throws(LedgerError) -> ContributionEvent? {
        try await ledger.store.events(project: nil).first {
            $0.sourceReference == nil && $0.reverses == nil && $0.note == contribution.creditNote
        }
    }
}

/// `mosquito ledger credit-calibration ID`: credits a calibration from the history (e.g. one made before the
/// ledger existed, or on a bench without it), once.
struct CreditCalibrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit-calibration",
        abstract: "Credit an accepted calibration (by certificate ID) to its technician as work on the unit, once.")

    @Argument(help: "Certificate ID, e.g. MQC-20261126-1A2B3C4D.") var certificate: String
    @OptionGroup var historyFile: HistoryFileOption
    @OptionGroup var options: LedgerOptions
    @Option(help: "Project the work belongs to.") var project: String = "mosquito"

    func run() async throws {
        // A ledger command: every refusal is its one `Error:` line, and nothing is appended. The history is read
        // first, so a certificate that is not there opens no ledger.
        let credit: CalibrationContribution
        do throws(LedgerError) { credit = try contribution() } catch { throw CLIError(error.description) }
        try await options.show { ledger throws(LedgerError) in
            if let earlier = try await CalibrationCredit.creditedBeforeReferences(credit, in: ledger) {
                throw .alreadyCredited(credit.creditSource, event: earlier.id)
            }
            return try await CalibrationCredit.record(credit, in: ledger, project: project)
        } text: { event in
            "credited \(credit.technician): event \(event.id), \(credit.unitSerial), certificate \(certificate)"
        }
    }

    /// The certificate's calibration, as the credit rule reads it from the history.
    private func contribution() throws(LedgerError) -> CalibrationContribution {
        let entry: HistoryEntry
        do throws(CalibrationError) { entry = try historyFile.store.entry(id: certificate) } catch {
            throw .notFound("\(error)")
        }
        guard let credit = CalibrationContribution(entry: entry) else {
            throw .invalid("\(certificate) is a verification, not a calibration: nothing to credit")
        }
        return credit
    }
}
