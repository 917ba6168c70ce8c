import Foundation
@testable import Ledger
import Testing
import TestSupport

/// Random ledgers whose amounts sit at the maximum, through the store on every backend, and random claims as
/// large as Int64 allows through the pure engine: every sum is exact or a clear error, never a trap.
@Suite("Amounts at the bound")
struct AmountBoundPropertyTests {
    static let max = AmountLimit.maximum

    /// An amount at or just under the maximum, most of the time; now and then a small one.
    static func amount(_ rng: inout SplitMix64) -> Int64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: max
        case 1: max - Int64.random(in: 1...1000, using: &rng)
        case 2: Int64.random(in: max / 2...max, using: &rng)
        default: Int64.random(in: 1...1_000_000, using: &rng)
        }
    }

    @Test("random ledgers at the maximum: lines sum exactly, no debt overpaid, reports exact, verify recomputes",
          arguments: Backend.enabled, Array(UInt64(1)...UInt64(6)))
    func storeProperties(backend: Backend, seed: UInt64) async throws {
        try await withLedger(backend) { ledger, _ in
            var rng = SplitMix64(seed: seed)
            let agents = (0..<Int.random(in: 1...4, using: &rng)).map { "a\($0)" }
            try await ledger.network(agents: agents)
            try await ledger.addDesign(id: "D2", name: "D2", parent: "D1")
            let units = ["U1", "U2", "U3", "U4"]
            for serial in units { try await ledger.registerUnit(serial: serial, design: Bool.random(using: &rng) ? "D1" : "D2") }
            var contributed = [String: Int128]()
            for _ in 0..<Int.random(in: 3...14, using: &rng) {
                let agent = agents.randomElement(using: &rng)!
                let kind = ContributionKind.allCases.randomElement(using: &rng)!
                // At 50.00 an hour, 200,000,000,000 hours is the maximum.
                let hours = "\(Int.random(in: 100_000_000_000...200_000_000_000, using: &rng))"
                let event = try await ledger.give(
                    agent, kind, value: kind == .work ? nil : Self.amount(&rng), hours: kind == .work ? hours : nil,
                    design: Bool.random(using: &rng) ? ["D1", "D2"].randomElement(using: &rng) : nil,
                    unit: Bool.random(using: &rng) ? units.randomElement(using: &rng) : nil,
                    date: "2026-01-\(String(format: "%02d", Int.random(in: 1...28, using: &rng)))")
                #expect(event.value > 0 && event.value <= Self.max, "seed \(seed)")
                contributed[agent, default: 0] += Int128(event.value)
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    let reversal = try await ledger.reverse(event: event.id, date: try LedgerDate("2026-01-28"), note: nil)
                    contributed[agent, default: 0] += Int128(reversal.value)
                }
            }
            let equation = PropertyTests.randomEquation(&rng, agents: agents)
            try await ledger.setEquation(json: Data(equation.canonicalJSON().utf8))
            var income: Int128 = 0
            var earned = [String: Int128]()
            for serial in units.shuffled(using: &rng) {
                let price = Self.amount(&rng)
                let sale = try await ledger.sell(serial, price, date: "2026-02-15",
                                                 directCosts: Int64.random(in: 0...price / 4, using: &rng))
                income += Int128(price)
                let d = try await ledger.distribute(sale: sale.id)
                #expect(d.lines.reduce(Int128(0)) { $0 + Int128($1.amount) } == Int128(sale.distributable), "seed \(seed)")
                #expect(d.lines.allSatisfy { $0.amount > 0 }, "seed \(seed)")
                for line in d.lines { earned[line.agent, default: 0] += Int128(line.amount) }
            }
            for claim in try await ledger.store.claims(project: "p") where claim.rule == .debt {
                #expect(claim.balance >= 0 && claim.balance + claim.paid == claim.original, "seed \(seed): debt overpaid")
            }
            for agent in agents {
                let report = try await ledger.agentReport(agent)
                #expect(Int128(report.contributed["CAD"] ?? 0) == contributed[agent] ?? 0, "seed \(seed)")
                #expect(Int128(report.totals["CAD"] ?? 0) == earned[agent] ?? 0, "seed \(seed)")
            }
            let project = try await ledger.projectReport("p")
            #expect(Int128(project.income) == income, "seed \(seed)")
            #expect(project.perAgent.allSatisfy { Int128($0.amount) == earned[$0.agent] }, "seed \(seed)")
            let events = try await ledger.store.events(project: nil).count
            #expect(try await ledger.store.verifyChain() == ChainReport(events: events, distributions: units.count, problem: nil),
                    "seed \(seed)")
        }
    }

    @Test("random claims as large as Int64 holds: the engine pays exactly or says what overflowed, never traps",
          arguments: Array(UInt64(1)...UInt64(80)))
    func engineWithHugeClaims(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let agents = (0..<Int.random(in: 1...5, using: &rng)).map { "a\($0)" }
        let project = Project(id: "p", name: "p", currency: try Currency("CAD"), custodian: nil, fundAgent: "fund")
        var events = [ContributionEvent]()
        for id in 1...Int64.random(in: 1...12, using: &rng) {
            let record = EventRecord(
                date: try LedgerDate("2026-01-10"), agent: agents.randomElement(using: &rng)!, project: "p",
                kind: ContributionKind.allCases.filter { $0 != .work }.randomElement(using: &rng)!, hours: nil, workType: nil,
                rate: nil, value: Self.amount(&rng), design: "D1", unit: "U1", note: nil, reverses: nil)
            events.append(ContributionEvent(id: id, record: record, previousHash: "", hash: ""))
        }
        let equation = PropertyTests.randomEquation(&rng, agents: agents)
        // Claims as earlier sales (or a factor in the thousands) leave them: originals, balances and payments
        // anywhere up to Int64.max.
        var claims = [ClaimKey: Claim]()
        for bucket in equation.buckets where bucket.filter != nil {
            for event in events where Bool.random(using: &rng) {
                guard let rule = bucket.rules?.first(where: { $0.event == event.kind }) else { continue }
                let original = Int64.random(in: 1...Int64.max, using: &rng)
                let paid = Bool.random(using: &rng) ? Int64.random(in: 0...1000, using: &rng) : Int64.random(in: 0...Int64.max, using: &rng)
                claims[ClaimKey(bucket: bucket.id, event: event.id)] = Claim(
                    project: "p", bucket: bucket.id, event: event.id, agent: event.agent, rule: rule.claim, original: original,
                    balance: rule.claim == .equity ? original : Int64.random(in: 0...original, using: &rng), paid: paid)
            }
        }
        let price = Self.amount(&rng)
        let sale = Sale(id: 1, draft: SaleDraft(
            project: "p", unit: "U1", price: price, currency: project.currency, date: try LedgerDate("2026-02-01"), buyer: "b",
            directCosts: Int64.random(in: 0...price, using: &rng)))
        do throws(LedgerError) {
            let plan = try DistributionEngine.plan(DistributionInput(
                sale: sale, project: project, equation: equation, lineage: ["D1"], events: events, claims: claims))
            #expect(plan.distribution.lines.reduce(Int128(0)) { $0 + Int128($1.amount) } == Int128(sale.distributable), "seed \(seed)")
            for claim in plan.claims where claim.rule == .debt {
                #expect(claim.balance >= 0 && claim.balance <= claims[ClaimKey(bucket: claim.bucket, event: claim.event)]?.balance ?? claim.original,
                        "seed \(seed)")
            }
        } catch {
            guard case .amountTooLarge(let message) = error else { Issue.record("seed \(seed): \(error)"); return }
            #expect(message.contains("exceeds 9223372036854775807 minor units"), "seed \(seed): \(message)")
        }
    }
}
