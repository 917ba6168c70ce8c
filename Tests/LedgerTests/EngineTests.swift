@testable import Ledger
import Testing

/// The pure engine on hand-built inputs: the rules where the reference is silent.
@Suite("Distribution engine rules")
struct EngineTests {
    let project = Project(id: "p", name: "p", currency: try! Currency("CAD"), custodian: nil, fundAgent: "fund")

    func event(_ id: Int64, _ agent: String, _ kind: ContributionKind, _ value: Int64,
               design: String? = nil, unit: String? = "U1") -> ContributionEvent {
        let record = EventRecord(date: try! LedgerDate("2026-01-01"), agent: agent, project: "p", kind: kind,
                                 hours: nil, workType: nil, rate: nil, value: value, design: design, unit: unit,
                                 note: nil, reverses: nil)
        return ContributionEvent(id: id, record: record, previousHash: "", hash: "")
    }

    func plan(_ mode: ValueEquation.Mode, _ buckets: [Bucket], _ events: [ContributionEvent], price: Int64,
              lineage: [String] = ["D1"]) throws -> Distribution {
        let sale = Sale(id: 1, draft: SaleDraft(project: "p", unit: "U1", price: price, currency: project.currency,
                                                date: try LedgerDate("2026-02-01"), buyer: "b", directCosts: 0))
        return try DistributionEngine.plan(DistributionInput(
            sale: sale, project: project, equation: ValueEquation(project: "p", version: 1, mode: mode, buckets: buckets),
            lineage: lineage, events: events, claims: [:])).distribution
    }

    let unitBucket = Bucket(id: "u", percent: LedgerDecimal(100), filter: .unit,
                            rules: [ClaimRuleSpec(event: .material, claim: .debt), ClaimRuleSpec(event: .cite, claim: .equity)])

    @Test func straightGivesACappedDebtsExcessToTheOtherClaimsOfItsLevel() throws {
        let d = try plan(.straight, [unitBucket], [event(1, "a", .material, 1000), event(2, "b", .cite, 1000)], price: 10000)
        #expect(d.perAgent == ["a": 1000, "b": 9000])
    }

    @Test func remainingPaysEachClaimAtMostItsShare() throws {
        let d = try plan(.remaining, [unitBucket], [event(1, "a", .material, 1000), event(2, "b", .cite, 1000)], price: 10000)
        #expect(d.perAgent == ["a": 1000, "b": 1000, "fund": 8000])
    }

    @Test func aLineageLevelsUnpaidSurplusLeavesTheBucket() throws {
        let design = Bucket(id: "d", percent: LedgerDecimal(100), filter: .design(lineageWeight: LedgerDecimal("0.5")!),
                            rules: [ClaimRuleSpec(event: .material, claim: .debt), ClaimRuleSpec(event: .cite, claim: .equity)])
        let d = try plan(.straight, [design], [event(1, "a", .material, 1000, design: "D2", unit: nil),
                                               event(2, "b", .cite, 100, design: "D1", unit: nil)],
                         price: 10000, lineage: ["D2", "D1"])
        #expect(d.perAgent == ["a": 1000, "b": 5000, "fund": 4000])
    }

    @Test func unallocatedPercentageAndEmptyBucketsGoToTheFund() throws {
        let fee = Bucket(id: "fee", percent: LedgerDecimal(5), agent: "custodian")
        let empty = Bucket(id: "e", percent: LedgerDecimal(50), filter: .unit, rules: [ClaimRuleSpec(event: .work, claim: .equity)])
        let d = try plan(.straight, [empty, fee], [], price: 333)
        // 333 split 50 : 5 : 45 = 166.5 / 16.65 / 149.85 → 166 / 17 / 150 (the two largest remainders get
        // the two leftover cents); the empty bucket's 166 carries to the fee.
        #expect(d.lines == [DistributionLine(bucket: "fee", agent: "custodian", amount: 183),
                            DistributionLine(bucket: nil, agent: "fund", amount: 150)])
    }

    @Test func saleInAnotherCurrencyIsRefused() throws {
        let sale = Sale(id: 1, draft: SaleDraft(project: "p", unit: "U1", price: 100, currency: try Currency("EUR"),
                                                date: try LedgerDate("2026-02-01"), buyer: "b", directCosts: 0))
        #expect(throws: LedgerError.currencyMismatch(sale: "EUR", project: "CAD")) {
            try DistributionEngine.plan(DistributionInput(
                sale: sale, project: project, equation: ValueEquation(project: "p", version: 1, mode: .straight, buckets: [unitBucket]),
                lineage: ["D1"], events: [], claims: [:]))
        }
    }
}
