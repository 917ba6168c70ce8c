import Foundation
import Ledger
import Testing

/// `Ledger.check` refuses exactly what `contribute` would, and appends nothing: a caller about to do work it will
/// credit (`calibrate --ledger`) asks first, so work the ledger would refuse is not done.
@Suite("A contribution checked before the work")
struct ContributionCheckTests {
    static func calibration(agent: String = "a", project: String = "p", workType: String = "calibration",
                            unit: String? = "U1", reference: String? = nil) throws -> ContributionDraft {
        ContributionDraft(date: try LedgerDate("2026-03-01"), agent: agent, project: project, kind: .work,
                          hours: LedgerDecimal("0.01")!, workType: workType, unit: unit, sourceReference: reference)
    }

    @Test("every draft contribute would refuse, check refuses with the same error; none is appended",
          arguments: Backend.enabled)
    func sameRefusals(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["a"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.setWorkType(project: "p", name: "calibration", rate: "35.00")
            let credited = try await ledger.contribute(try Self.calibration(reference: "calibration certificate C1"))
            let refused: [(ContributionDraft, LedgerError)] = [
                (try Self.calibration(agent: "nobody"), .notFound("no agent 'nobody'")),
                (try Self.calibration(project: "q"), .notFound("no project 'q'")),
                (try Self.calibration(workType: "welding"), .notFound("project 'p' has no work type 'welding'")),
                (try Self.calibration(unit: "MQ-SIM-0001"), .notFound("no unit 'MQ-SIM-0001'")),
                (try Self.calibration(reference: "calibration certificate C1"),
                 .alreadyCredited("calibration certificate C1", event: credited.id)),
            ]
            for (draft, error) in refused {
                await #expect(throws: error) { try await ledger.check(draft) }
                await #expect(throws: error) { try await ledger.contribute(draft) }
            }
            // What contribute accepts, check accepts, without appending it.
            try await ledger.check(try Self.calibration(reference: "calibration certificate C2"))
            try await ledger.check(try Self.calibration(unit: nil))
            #expect(try await ledger.store.events(project: nil) == [credited])
        }
    }
}
