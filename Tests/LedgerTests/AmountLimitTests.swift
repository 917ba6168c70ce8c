import Foundation
@testable import Ledger
import Testing

/// Every amount is bounded at input by `AmountLimit.maximum`, and every sum the ledger takes is checked.
@Suite("Maximum amount and checked sums")
struct AmountLimitTests {
    static let max = AmountLimit.maximum
    static func beyond(_ field: String) -> LedgerError {
        .invalid("\(field) is beyond the maximum amount, 10000000000000.00 CAD (10^15 minor units)")
    }

    @Test("the maximum is accepted; one minor unit more, or Int64.max, is refused naming the field", arguments: Backend.enabled)
    func boundAtInput(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["a"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.registerUnit(serial: "U2", design: "D1")
            try await ledger.give("a", .cash, value: Self.max)
            for value in [Self.max + 1, Int64.max] {
                await #expect(throws: Self.beyond("value")) { try await ledger.give("a", .cash, value: value) }
                await #expect(throws: Self.beyond("price")) { _ = try await ledger.sell("U1", value) }
                await #expect(throws: Self.beyond("direct costs")) { _ = try await ledger.sell("U1", Self.max, directCosts: value) }
            }
            // 200,000,000,000 h at 50.00 is exactly the maximum; an hour more is not.
            try await ledger.give("a", .work, hours: "200000000000")
            await #expect(throws: Self.beyond("work value (hours × rate)")) { try await ledger.give("a", .work, hours: "200000000001") }
            try await ledger.setWorkType(project: "p", name: "eng", rate: "1000000000000")
            await #expect(throws: Self.beyond("work value (hours × rate)")) { try await ledger.give("a", .work, hours: "1000000000000") }
            #expect(try await ledger.store.events(project: nil).map(\.value) == [Self.max, Self.max])
            #expect(try await ledger.sell("U1", Self.max, directCosts: Self.max).price == Self.max)
            #expect(try await ledger.store.sales(project: nil).count == 1)
        }
    }

    @Test("two contributions at the maximum, claimed as equity with factor 9000 in remaining mode, distribute exactly",
          arguments: Backend.enabled)
    func maximalEquityClaims(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["a", "b"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.give("a", .cash, value: Self.max)
            try await ledger.give("b", .cash, value: Self.max)
            // Each claim is worth 9 × 10^18, so the two weigh more than Int64 can hold.
            try await ledger.equation("""
                {"id": "investors", "percent": "100", "filter": {"kind": "project_dates"},
                 "rules": [{"event": "cash", "claim": "equity", "factor": "9000"}]}
                """, mode: "remaining")
            let d = try await ledger.distribute(sale: try await ledger.sell("U1", Self.max).id)
            #expect(d.perAgent == ["a": Self.max / 2, "b": Self.max / 2])
            #expect(try await ledger.store.claims(project: "p").map(\.original) == [9_000_000_000_000_000_000, 9_000_000_000_000_000_000])
            #expect(try await ledger.store.verifyChain().isIntact)
            #expect(try await ledger.agentReport("a").contributed == ["CAD": Self.max])
        }
    }

    @Test("an equity claim whose payments would pass Int64 stops the distribution with a clear error, not a trap")
    func equityPaidOverflow() throws {
        let project = Project(id: "p", name: "p", currency: try Currency("CAD"), custodian: nil, fundAgent: "fund")
        let record = EventRecord(date: try LedgerDate("2026-01-01"), agent: "a", project: "p", kind: .cash,
                                 hours: nil, workType: nil, rate: nil, value: Self.max, design: nil, unit: nil,
                                 note: nil, reverses: nil)
        let event = ContributionEvent(id: 1, record: record, previousHash: "", hash: "")
        let equation = ValueEquation(project: "p", version: 1, mode: .straight, buckets: [
            Bucket(id: "d", percent: LedgerDecimal(100), filter: .projectDates(from: nil, to: nil),
                   rules: [ClaimRuleSpec(event: .cash, claim: .equity)])])
        // As paid by some 9,223 earlier sales at the maximum.
        let claim = Claim(project: "p", bucket: "d", event: 1, agent: "a", rule: .equity, original: Self.max,
                          balance: Self.max, paid: Int64.max - 10)
        let sale = Sale(id: 9224, draft: SaleDraft(project: "p", unit: "U1", price: Self.max, currency: project.currency,
                                                   date: try LedgerDate("2026-02-01"), buyer: "b", directCosts: 0))
        #expect(throws: LedgerError.amountTooLarge(
            "what the claim of bucket 'd' on event 1 has been paid exceeds 9223372036854775807 minor units, more than the ledger can total exactly")) {
            try DistributionEngine.plan(DistributionInput(sale: sale, project: project, equation: equation, lineage: [],
                                                          events: [event], claims: [ClaimKey(bucket: "d", event: 1): claim]))
        }
    }

    @Test("amounts typed on the command line: the maximum's digits, then more, in every currency exponent")
    func parsing() throws {
        let cad = try Currency("CAD"), jpy = try Currency("JPY"), kwd = try Currency("KWD")
        #expect(try cad.parse("10000000000000.00", field: "price") == Self.max)
        #expect(try jpy.parse("1000000000000000") == Self.max)
        #expect(try kwd.parse("1000000000000.000") == Self.max)
        #expect(try cad.parse("-10000000000000", field: "value") == -Self.max)
        #expect(try cad.parse("000000000000000000000000012.50") == 1250)
        for text in ["10000000000000.01", "92233720368547758.07", "1" + String(repeating: "0", count: 40), "-92233720368547758.08"] {
            #expect(throws: Self.beyond("price"), "\(text)") { try cad.parse(text, field: "price") }
        }
        #expect(throws: LedgerError.invalid("value '1.005' has more decimals than CAD has (2)")) { try cad.parse("1.005", field: "value") }
        #expect(throws: LedgerError.invalid("value '12.5' has more decimals than JPY has (0)")) { try jpy.parse("12.5", field: "value") }
        for text in ["", "-", "1e3", "12,50", "1.", ".5", "--1", "0x10", "١٢", "1 000", "+5", "nan", "inf"] {
            #expect(throws: LedgerError.invalid("value '\(text)' is not an amount like 12.50"), "\(text)") { try cad.parse(text, field: "value") }
        }
    }
}
