@testable import Ledger
import Testing
import TestSupport


/// Random networks, equations and sale sequences through the pure engine, feeding claims forward
/// as the store would: every distribution must sum exactly, pay nothing negative, overpay no debt.
@Suite("Distribution properties")
struct PropertyTests {
    static func randomEquation(_ rng: inout SplitMix64, agents: [String]) -> ValueEquation {
        let mode: ValueEquation.Mode = Bool.random(using: &rng) ? .straight : .remaining
        var remainingPercent = 100 * 100  // hundredths of a percent
        var buckets = [Bucket]()
        for index in 0..<Int.random(in: 1...4, using: &rng) {
            let cap = mode == .straight ? remainingPercent : 100 * 100
            guard cap > 0 else { break }
            let hundredths = Int64.random(in: 1...Int64(cap), using: &rng)
            if mode == .straight { remainingPercent -= Int(hundredths) }
            let percent = LedgerDecimal(mantissa: hundredths, scale: 2)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                buckets.append(Bucket(id: "b\(index)", percent: percent, agent: agents.randomElement(using: &rng)!))
                continue
            }
            var filter: BucketFilter = switch Int.random(in: 0..<3, using: &rng) {
            case 0: .unit
            case 1: .design(lineageWeight: LedgerDecimal(mantissa: Int64.random(in: 0...99, using: &rng), scale: 2))
            default: .projectDates(from: try! LedgerDate("2026-01-0\(Int.random(in: 1...9, using: &rng))"), to: nil)
            }
            // Half the buckets narrow their filter by a work type or by contribution kinds (issue 18).
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: filter = .all([filter, .workTypes(["eng"])])
            case 1: filter = .all([.contributions(Array(ContributionKind.allCases.shuffled(using: &rng).prefix(2))), filter])
            default: break
            }
            let kinds = ContributionKind.allCases.shuffled(using: &rng).prefix(Int.random(in: 1...6, using: &rng))
            let rules = kinds.map {
                ClaimRuleSpec(event: $0, claim: ClaimRule.allCases.randomElement(using: &rng)!,
                              factor: Bool.random(using: &rng) ? nil : LedgerDecimal(mantissa: Int64.random(in: 1...300, using: &rng), scale: 2))
            }
            buckets.append(Bucket(id: "b\(index)", percent: percent, filter: filter, rules: Array(rules)))
        }
        return ValueEquation(project: "p", version: 1, mode: mode, buckets: buckets)
    }

    @Test("random equations and events: exact sums, no negative line, no debt overpaid",
          arguments: Array(UInt64(1)...UInt64(60)))
    func properties(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let agents = (0..<Int.random(in: 1...6, using: &rng)).map { "a\($0)" }
        let project = Project(id: "p", name: "p", currency: try Currency("CAD"), custodian: nil, fundAgent: "fund")
        let lineage = ["D3", "D2", "D1"]
        let units = ["U1", "U2", "U3"]
        var events = [ContributionEvent]()
        for id in 1...Int64.random(in: 1...25, using: &rng) {
            let kind = ContributionKind.allCases.randomElement(using: &rng)!
            let hours = LedgerDecimal(mantissa: Int64.random(in: 1...4000, using: &rng), scale: 2)
            let rate = LedgerDecimal(mantissa: Int64.random(in: 0...9000, using: &rng), scale: 2)
            let record = EventRecord(
                date: try LedgerDate("2026-01-\(String(format: "%02d", Int.random(in: 1...28, using: &rng)))"),
                agent: agents.randomElement(using: &rng)!, project: "p", kind: kind,
                hours: kind == .work ? hours : nil, workType: kind == .work ? "eng" : nil, rate: kind == .work ? rate : nil,
                value: Int64.random(in: 1...50_000, using: &rng),
                design: Bool.random(using: &rng) ? lineage.randomElement(using: &rng) : nil,
                unit: Bool.random(using: &rng) ? units.randomElement(using: &rng) : nil,
                note: nil, reverses: nil)
            events.append(ContributionEvent(id: id, record: record, previousHash: "", hash: ""))
        }
        let equation = Self.randomEquation(&rng, agents: agents)
        try equation.validate()
        var claims = [ClaimKey: Claim]()
        for saleID in 1...Int64.random(in: 1...5, using: &rng) {
            let price = Int64.random(in: 0...200_000, using: &rng)
            let sale = Sale(id: saleID, draft: SaleDraft(
                project: "p", unit: units.randomElement(using: &rng)!, price: price, currency: project.currency,
                date: try LedgerDate("2026-02-01"), buyer: "b", directCosts: Int64.random(in: 0...price, using: &rng)))
            let plan = try DistributionEngine.plan(DistributionInput(
                sale: sale, project: project, equation: equation,
                lineage: Array(lineage.suffix(Int.random(in: 1...3, using: &rng))),
                citations: Bool.random(using: &rng) ? [:] : ["D3": LedgerDecimal(mantissa: Int64.random(in: 1...99, using: &rng), scale: 2),
                                                            "D2": LedgerDecimal(mantissa: Int64.random(in: 1...99, using: &rng), scale: 2)],
                events: events, claims: claims))
            let d = plan.distribution
            #expect(d.lines.reduce(0) { $0 + $1.amount } == sale.distributable, "seed \(seed) sale \(saleID)")
            #expect(d.lines.allSatisfy { $0.amount > 0 }, "seed \(seed)")
            #expect(d.payments.reduce(0) { $0 + $1.amount }
                    == d.lines.filter { line in equation.buckets.contains { $0.id == line.bucket && $0.filter != nil } }
                        .reduce(0) { $0 + $1.amount }, "seed \(seed)")
            for claim in plan.claims {
                let key = ClaimKey(bucket: claim.bucket, event: claim.event)
                // A narrowed bucket holds claims only on the events its narrowing admits.
                let event = events.first { $0.id == claim.event }!
                if case .all(let filters)? = equation.buckets.first(where: { $0.id == claim.bucket })?.filter {
                    if case .workTypes? = filters.last { #expect(event.kind == .work, "seed \(seed)") }
                    if case .contributions(let kinds)? = filters.first { #expect(kinds.contains(event.kind), "seed \(seed)") }
                }
                let before = claims[key]
                if claim.rule == .debt {
                    #expect(claim.balance >= 0 && claim.paid <= claim.original, "seed \(seed): debt overpaid")
                    #expect(claim.balance + claim.paid == claim.original, "seed \(seed)")
                }
                if claim.rule == .once, let before, before.balance == 0 {
                    #expect(claim.paid == before.paid, "seed \(seed): once claim paid twice")
                }
                claims[key] = claim
            }
        }
    }
}
