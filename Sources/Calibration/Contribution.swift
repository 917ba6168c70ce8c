/// A calibration as work done on a unit: what the contribution ledger credits to the technician. The credit
/// rule lives here, so every shell that credits a calibration (the CLI, the server) credits it the same way;
/// turning it into a ledger event is the shell's, since calibration knows no ledger. Shells make one from a history
/// entry (`init?(entry:)`), so its memberwise init is internal.
public struct CalibrationContribution: Sendable, Equatable, Codable {
    public var technician: String
    public var unitSerial: String
    public var certificateID: String
    /// Unix seconds, UTC.
    public var startedAt: UInt64
    public var finishedAt: UInt64
    /// The ledger work type a calibration is credited as, whichever calibration it is.
    public static let workType = "calibration"
    public var workType: String { Self.workType }

    public var secondsSpent: UInt64 { finishedAt >= startedAt ? finishedAt - startedAt : 0 }

    /// Hours credited, in hundredths: the time spent rounded to the nearest hundredth of an hour (half up), and
    /// at least 0.01 h, since a calibration is never free work. Exact for any two timestamps: never traps.
    public var creditedCentiHours: UInt64 {
        // 36 s is a hundredth of an hour: round(s / 36) without forming s × 100.
        let s = secondsSpent
        return max(1, s / 36 + (s % 36 >= 18 ? 1 : 0))
    }

    /// The day the work is credited on: when it finished, as a UTC date (`2027-01-15`).
    public var creditedDay: String { utcText(finishedAt, format: "yyyy-MM-dd") }

    /// What the ledger event says, so the certificate can be found from it.
    public var creditNote: String { "calibration certificate \(certificateID)" }

    /// What the credit is of, as the ledger holds it (its source reference): a certificate is credited at most
    /// once per ledger. The note's words, so a refusal reads "calibration certificate MQC-… is already credited
    /// as event 20", and a credit made before ledgers kept references is found by its note.
    public var creditSource: String { creditNote }
}

extension CalibrationContribution {
    /// The contribution an accepted calibration in the history stands for (nil for verifications), so a ledger
    /// can credit calibrations done before it existed, or on a bench without it.
    public init?(entry: HistoryEntry) {
        guard entry.kind == .calibration else { return nil }
        self.init(
            technician: entry.technician, unitSerial: entry.serial, certificateID: entry.id, startedAt: entry.startedAt,
            finishedAt: entry.finishedAt)
    }
}
