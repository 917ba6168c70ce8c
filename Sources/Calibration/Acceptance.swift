import Device
import Foundation
import MWP

/// Who did the work and under what conditions: the parts of a record no instrument can measure.
public struct WorkContext: Sendable, Equatable {
    public var technician: String
    public var authorizedBy: String
    public var conditions: String?
    /// Unix seconds, UTC.
    public var startedAt: UInt64

    public init(technician: String, authorizedBy: String? = nil, conditions: String? = nil, startedAt: UInt64) {
        self.technician = technician
        self.authorizedBy = authorizedBy ?? technician
        self.conditions = conditions
        self.startedAt = startedAt
    }

    /// The technician's name must fit the device record's 16 ASCII characters.
    public func validate() throws(CalibrationError) {
        guard !technician.isEmpty else { throw .badInput("--technician must not be empty") }
        guard technician.utf8.count <= 16, technician.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
            throw .badInput("--technician '\(technician)' must be at most 16 ASCII characters (the device stores it)")
        }
    }
}

public func nowUnixSeconds() -> UInt64 { UInt64(max(0, UTCClock.nowNs() / 1_000_000_000)) }

/// The method statement that goes into the history and onto the certificate.
public func methodStatement(_ plan: MeasurementPlan, reference: ReferenceStandard, kind: HistoryEntry.Kind) -> String {
    let passes = plan.descending ? "ascending then descending" : "ascending"
    let base = "Comparison with reference standard \(reference.id) at \(plan.points.count) points (\(passes)); "
        + "\(plan.samplesPerPoint) raw samples per point at \(plan.rateHz) Hz, mean and standard deviation recorded."
    switch kind {
    case .calibration:
        return base + " Least-squares polynomial raw → physical by Householder QR. Degree rule: \(DegreeChoice.autoRule)."
    case .verification:
        return base + " Readings taken through the calibration stored on the device; nothing on the device changed."
    }
}

extension CalibrationResult {
    /// The one as-left acceptance check: a result outside tolerance is never written, nor offered for acceptance.
    public func checkAcceptable() throws(CalibrationError) {
        guard asLeftWithinTolerance else {
            throw .notAccepted(
                "as-left max error \(fmt(maxAsLeftError)) \(unit) exceeds the tolerance \(fmt(toleranceLimit)) \(unit) (\(tolerance)); the device was not changed")
        }
    }
}

/// Accepts a calibration: stores it on the device and proves it (write, read back, compare), then appends it to
/// the history under a new certificate ID. Nothing reaches the history unless the device holds exactly the new
/// record; an as-left result outside tolerance is not accepted at all. The entry's ``CalibrationContribution``
/// is what a ledger credits.
public func acceptCalibration(
    _ result: CalibrationResult, plan: MeasurementPlan, identity: IdentityRecord, work: WorkContext,
    session: DeviceSession, history: CalibrationHistory, decisionRule: DecisionRule = .simple,
    now: UInt64 = nowUnixSeconds()
) throws(CalibrationError) -> HistoryEntry {
    try work.validate()
    try result.checkAcceptable()
    let record = result.record(calibratedAt: now, technician: work.technician)
    try writeAndVerify(record, on: session)
    let entry = HistoryEntry(
        kind: .calibration, id: CertificateID.make(kind: .calibration, at: now), identity: identity,
        channel: result.channel, startedAt: work.startedAt, finishedAt: now, technician: work.technician,
        authorizedBy: work.authorizedBy, conditions: work.conditions,
        method: methodStatement(plan, reference: result.reference, kind: .calibration), calibration: result,
        written: record, verification: nil, decisionRule: decisionRule)
    try history.append(entry)
    return entry
}

/// Files a verification in the history (it changed nothing on the device).
public func recordVerification(
    _ result: VerificationResult, plan: MeasurementPlan, identity: IdentityRecord, work: WorkContext,
    history: CalibrationHistory, now: UInt64 = nowUnixSeconds()
) throws(CalibrationError) -> HistoryEntry {
    let entry = HistoryEntry(
        kind: .verification, id: CertificateID.make(kind: .verification, at: now), identity: identity,
        channel: result.channel, startedAt: work.startedAt, finishedAt: now, technician: work.technician,
        authorizedBy: work.authorizedBy, conditions: work.conditions,
        method: methodStatement(plan, reference: result.reference, kind: .verification), calibration: nil,
        written: nil, verification: result, decisionRule: result.decisionRule)
    try history.append(entry)
    return entry
}
