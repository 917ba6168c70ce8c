/// A calibration as work done on a unit: what the contribution ledger credits to the technician.
public struct CalibrationContribution: Sendable, Equatable, Codable {
    public var technician: String
    public var unitSerial: String
    public var certificateID: String
    /// Unix seconds, UTC.
    public var startedAt: UInt64
    public var finishedAt: UInt64
    public var workType: String { "calibration" }

    public var secondsSpent: UInt64 { finishedAt >= startedAt ? finishedAt - startedAt : 0 }

    public init(technician: String, unitSerial: String, certificateID: String, startedAt: UInt64, finishedAt: UInt64) {
        self.technician = technician
        self.unitSerial = unitSerial
        self.certificateID = certificateID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// Where accepted calibrations are credited. The ledger implements it; calibration does not know the ledger.
public protocol ContributionRecorder: Sendable {
    func recordCalibration(_ contribution: CalibrationContribution) throws
}

extension CalibrationContribution {
    /// The contribution an accepted calibration in the history stands for (nil for verifications), so a ledger
    /// that arrives later can credit calibrations done before it existed.
    public init?(entry: HistoryEntry) {
        guard entry.kind == .calibration else { return nil }
        self.init(
            technician: entry.technician, unitSerial: entry.serial, certificateID: entry.id, startedAt: entry.startedAt,
            finishedAt: entry.finishedAt)
    }
}
