import Foundation
@testable import Ledger
import Testing
import TestSupport

/// Random lots sold in random parts: every distribution sums to its distributable amount to the minor unit, no
/// debt is paid past its value, a lot sold out repays each of its debts exactly, and `verify` recomputes it all.
@Suite("Lot properties")
struct LotPropertyTests {
    static func parts(of quantity: Int64, _ rng: inout SplitMix64) -> [Int64] {
        var left = quantity, parts = [Int64]()
        while left > 0 {
            let part = Int64.random(in: 1...left, using: &rng)
            parts.append(part)
            left -= part
        }
        return parts
    }

    @Test("a lot sold out in random parts repays each debt exactly; written off in part, at least its sold share, never more",
          arguments: Array(UInt64(1)...UInt64(200)))
    func soldOut(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let project = Project(id: "p", name: "p", currency: try Currency("CAD"), custodian: nil, fundAgent: "fund")
        let equation = ValueEquation(project: "p", version: 1, mode: Bool.random(using: &rng) ? .straight : .remaining, buckets: [
            Bucket(id: "lot", percent: LedgerDecimal(100), filter: .unit, rules: [ClaimRuleSpec(event: .material, claim: .debt)]),
        ])
        let produced = Int64.random(in: 1...(Bool.random(using: &rng) ? 7 : 1_000), using: &rng)
        let writtenOff = Bool.random(using: &rng) ? Int64.random(in: 0..<produced, using: &rng) : 0
        let events = try (1...Int64.random(in: 1...6, using: &rng)).map { id in
            ContributionEvent(
                id: id,
                record: EventRecord(date: try LedgerDate("2026-01-02"), agent: "a\(id % 3)", project: "p", kind: .material,
                                    hours: nil, workType: nil, rate: nil, value: Int64.random(in: 1...100_000, using: &rng),
                                    design: nil, unit: "L", note: nil, reverses: nil),
                previousHash: "", hash: "")
        }
        let total = events.reduce(0) { $0 + $1.value }
        // Every part priced to pay every debt's share in full, or each part at a random price that may not.
        let generous = Bool.random(using: &rng)
        var claims = [ClaimKey: Claim]()
        for (index, quantity) in Self.parts(of: produced - writtenOff, &rng).enumerated() {
            let price = generous ? total : Int64.random(in: 0...total, using: &rng)
            let sale = Sale(id: Int64(index + 1), draft: SaleDraft(
                project: "p", unit: "L", price: price, currency: project.currency, date: try LedgerDate("2026-02-01"),
                buyer: "b", directCosts: 0, quantity: quantity))
            let plan = try DistributionEngine.plan(DistributionInput(
                sale: sale, project: project, equation: equation, lineage: ["D"],
                lotShare: LotShare(sold: quantity, produced: produced), events: events, claims: claims))
            #expect(plan.distribution.lines.reduce(0) { $0 + $1.amount } == price, "seed \(seed)")
            for claim in plan.claims {
                #expect(claim.balance >= 0 && claim.balance + claim.paid == claim.original, "seed \(seed)")
                claims[ClaimKey(bucket: claim.bucket, event: claim.event)] = claim
            }
            // Each part pays a debt at most ⌈value × q ÷ Q⌉.
            for payment in plan.distribution.payments {
                let value = events.first { $0.id == payment.event }!.value
                #expect(Int128(payment.amount) * Int128(produced) < Int128(value) * Int128(quantity) + Int128(produced), "seed \(seed)")
            }
        }
        for event in events {
            let paid = claims[ClaimKey(bucket: "lot", event: event.id)]?.paid ?? 0
            #expect(paid <= event.value, "seed \(seed)")
            guard generous else { continue }
            if writtenOff == 0 {
                #expect(paid == event.value, "seed \(seed): a lot sold out repays its debt exactly")
            } else {
                #expect(Int128(paid) * Int128(produced) >= Int128(event.value) * Int128(produced - writtenOff), "seed \(seed)")
            }
        }
    }

    @Test("random lots, units, shared work, part sales, sales of several lines, write-offs and returns: exact sums, no debt overpaid, verify intact",
          arguments: Backend.enabled, Array(UInt64(1)...UInt64(10)))
    func onTheLedger(backend: Backend, seed: UInt64) async throws {
        try await withLedger(backend) { ledger, _ in
            var rng = SplitMix64(seed: seed)
            let agents = ["ana", "ben", "cleo"]
            try await ledger.network(agents: agents)
            let lots = ["L1", "L2"]
            for lot in lots {
                try await ledger.addLot(id: lot, design: "D1", quantity: Int64.random(in: 1...50, using: &rng), measure: "box")
            }
            try await ledger.registerUnit(serial: "U1", design: "D1")
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let product = (lots + ["U1"]).randomElement(using: &rng)!
                let agent = agents.randomElement(using: &rng)!
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    // Work shared across both lots, by their produced quantities or by a drawn split.
                    let split = Bool.random(using: &rng) ? nil : lots.map { _ in "\(Int.random(in: 1...9, using: &rng)).25" }
                    try await ledger.shareWork(agent, hours: "\(Int.random(in: 1...20, using: &rng))", across: lots, split: split)
                } else if Bool.random(using: &rng) {
                    try await ledger.give(agent, .work, hours: "\(Int.random(in: 1...20, using: &rng)).5", unit: product)
                } else {
                    try await ledger.give(agent, .material, value: Int64.random(in: 1...90_000, using: &rng), unit: product)
                }
            }
            let equation = PropertyTests.randomEquation(&rng, agents: agents)
            try await ledger.setEquation(json: equation.canonicalJSON().data(using: .utf8)!)
            for step in 0..<Int.random(in: 2...8, using: &rng) {
                let lot = lots.randomElement(using: &rng)!
                let available = try await ledger.lotStock(lot).available
                guard available > 0 else { continue }
                switch Int.random(in: 0..<6, using: &rng) {
                case 0:
                    try await ledger.writeOff(lot: lot, quantity: Int64.random(in: 1...available, using: &rng),
                                              date: try LedgerDate("2026-03-01"), reason: "spoiled")
                case 1 where step > 0:
                    let sales = try await ledger.store.sales(project: "p")
                    if let sale = sales.randomElement(using: &rng), try await ledger.store.saleReversal(sale: sale.id) == nil {
                        try await ledger.reverseSale(sale.id, date: try LedgerDate("2026-06-02"), note: nil)
                    }
                case 2:
                    // One sale of a part of every lot that still holds some, and the unit if it is not sold.
                    var lines = [SaleLine]()
                    for lot in lots {
                        let held = try await ledger.lotStock(lot).available
                        if held > 0 {
                            lines.append(SaleLine(unit: lot, quantity: Int64.random(in: 1...held, using: &rng),
                                                  price: Int64.random(in: 0...100_000, using: &rng)))
                        }
                    }
                    let unitSold = try await ledger.store.sales(project: "p").contains { sale in
                        sale.productLines.contains { $0.unit == "U1" }
                    }
                    if !unitSold { lines.append(SaleLine(unit: "U1", price: Int64.random(in: 0...100_000, using: &rng))) }
                    guard lines.count >= 2 else { continue }
                    let sale = try await ledger.sellLines(lines.shuffled(using: &rng))
                    let d = try await ledger.distribute(sale: sale.id)
                    #expect(d.total == lines.reduce(0) { $0 + $1.price }, "seed \(seed)")
                    #expect(d.lines.allSatisfy { $0.amount > 0 }, "seed \(seed)")
                default:
                    let price = Int64.random(in: 0...300_000, using: &rng)
                    let sale = try await ledger.sellLot(lot, Int64.random(in: 1...available, using: &rng), price)
                    let d = try await ledger.distribute(sale: sale.id)
                    #expect(d.total == price, "seed \(seed)")
                    #expect(d.lines.allSatisfy { $0.amount > 0 }, "seed \(seed)")
                }
                for lot in lots {
                    let stock = try await ledger.lotStock(lot)
                    #expect(stock.available >= 0 && stock.available <= stock.lot.quantity, "seed \(seed)")
                }
            }
            for claim in try await ledger.store.claims(project: "p") where claim.rule == .debt {
                #expect(claim.balance >= 0 && claim.balance + claim.paid == claim.original, "seed \(seed)")
            }
            let report = try await ledger.store.verifyChain()
            #expect(report.problem == nil && report.recomputed == report.distributions, "seed \(seed): \(report)")
        }
    }
}
