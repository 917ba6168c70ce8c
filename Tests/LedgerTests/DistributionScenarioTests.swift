import Foundation
@testable import Ledger
import Testing

/// End-to-end distributions through the storage protocol, on every backend.
@Suite("Distribution scenarios")
struct DistributionScenarioTests {
    static let debtRules = """
    [{"event": "work", "claim": "debt"}, {"event": "material", "claim": "debt"}, {"event": "cash", "claim": "debt"},
     {"event": "expense", "claim": "debt"}, {"event": "use", "claim": "debt"}]
    """

    @Test("reference worked example: 195.00 → 75.00 / 70.00 / 30.00 / 20.00", arguments: Backend.enabled)
    func referenceExample(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["worker", "contributor", "financier1", "financier2"])
            try await ledger.setWorkType(project: "p", name: "eng", rate: "25")
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.give("worker", .work, hours: "1", unit: "U1")
            try await ledger.give("worker", .material, value: 5000, unit: "U1")      // production 50
            try await ledger.give("contributor", .cash, value: 5000, unit: "U1")     // payment 50
            try await ledger.give("contributor", .expense, value: 1000, unit: "U1")  // expense 10
            try await ledger.give("contributor", .material, value: 1000, unit: "U1") // resource 10
            try await ledger.give("financier1", .use, value: 3000, unit: "U1")       // community resource
            try await ledger.give("financier2", .use, value: 2000, unit: "U1")
            try await ledger.equation("""
                {"id": "all", "percent": "100", "filter": {"kind": "unit"}, "rules": \(Self.debtRules)}
                """)
            let sale = try await ledger.sell("U1", 19500)
            let d = try await ledger.distribute(sale: sale.id)
            #expect(d.perAgent == ["worker": 7500, "contributor": 7000, "financier1": 3000, "financier2": 2000])
            #expect(d.total == 19500)
            let stored = try await ledger.store.distribution(sale: sale.id)
            #expect(stored == d)
            #expect(try await ledger.store.claims(project: "p").allSatisfy { $0.balance == 0 })
        }
    }

    /// Debt 100.00 (a), equity 500.00 (b); custodian 10 %, unit debt 50 %, design equity 40 %; sale 1000.00.
    func multiBucket(_ ledger: Ledger, mode: String) async throws -> Distribution {
        try await ledger.network(agents: ["a", "b"])
        try await ledger.registerUnit(serial: "U1", design: "D1")
        try await ledger.give("a", .material, value: 10000, unit: "U1")
        try await ledger.give("b", .work, hours: "10", design: "D1")
        try await ledger.equation(mode: mode, buckets: """
            {"id": "fee", "percent": "10", "agent": "custodian"},
            {"id": "unit", "percent": "50", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]},
            {"id": "design", "percent": "40", "filter": {"kind": "design"}, "rules": [{"event": "work", "claim": "equity"}]}
            """)
        return try await ledger.distribute(sale: try await ledger.sell("U1", 100000).id)
    }

    @Test("straight: a bucket's unabsorbed surplus carries to the next bucket", arguments: Backend.enabled)
    func straightBuckets(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            let d = try await multiBucket(ledger, mode: "straight")
            #expect(d.amount("fee", "custodian") == 10000)
            #expect(d.amount("unit", "a") == 10000)
            #expect(d.amount("design", "b") == 80000)  // its 40 % plus the 400.00 the debt could not absorb
            #expect(d.amount(nil, "fund") == 0)
            #expect(d.total == 100000)
        }
    }

    @Test("remaining: each bucket takes its percentage of what is left; the rest goes to the fund", arguments: Backend.enabled)
    func remainingBuckets(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            let d = try await multiBucket(ledger, mode: "remaining")
            #expect(d.amount("fee", "custodian") == 10000)   // 10 % of 1000
            #expect(d.amount("unit", "a") == 10000)          // 50 % of 900 = 450, capped at the debt's 100
            #expect(d.amount("design", "b") == 32000)        // 40 % of 800
            #expect(d.amount(nil, "fund") == 48000)
            #expect(d.total == 100000)
        }
    }

    @Test("a debt is paid off across three sales and then no longer paid", arguments: Backend.enabled)
    func debtAcrossSales(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["lender"])
            for serial in ["U1", "U2", "U3", "U4"] { try await ledger.registerUnit(serial: serial, design: "D1") }
            try await ledger.give("lender", .cash, value: 25000)
            try await ledger.equation("""
                {"id": "tooling", "percent": "50", "filter": {"kind": "project_dates", "from": "2026-01-01"},
                 "rules": [{"event": "cash", "claim": "debt"}]}
                """)
            var paid = [Int64]()
            for serial in ["U1", "U2", "U3", "U4"] {
                let d = try await ledger.distribute(sale: try await ledger.sell(serial, 20000).id)
                paid.append(d.amount("tooling", "lender"))
                #expect(d.total == 20000)
                #expect(d.amount(nil, "fund") == 20000 - d.amount("tooling", "lender"))
            }
            #expect(paid == [10000, 10000, 5000, 0])
            let claim = try #require(try await ledger.store.claims(project: "p").first)
            #expect(claim.balance == 0 && claim.paid == 25000 && claim.original == 25000)
        }
    }

    @Test("equity-like design claims are paid on every sale", arguments: Backend.enabled)
    func equityEverySale(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["ana", "ben"])
            for serial in ["U1", "U2", "U3"] { try await ledger.registerUnit(serial: serial, design: "D1") }
            try await ledger.give("ana", .work, hours: "10", design: "D1")  // 500.00
            try await ledger.give("ben", .work, hours: "5", design: "D1")   // 250.00
            try await ledger.equation("""
                {"id": "design", "percent": "100", "filter": {"kind": "design"}, "rules": [{"event": "work", "claim": "equity"}]}
                """)
            for serial in ["U1", "U2", "U3"] {
                let d = try await ledger.distribute(sale: try await ledger.sell(serial, 30000).id)
                #expect(d.perAgent == ["ana": 20000, "ben": 10000])
            }
            let claims = try await ledger.store.claims(project: "p")
            #expect(claims.map(\.paid).sorted() == [30000, 60000])
            #expect(claims.allSatisfy { $0.balance == $0.original })
        }
    }

    @Test("design lineage: levels weighted, empty levels drop out and the rest is renormalised", arguments: Backend.enabled)
    func lineage(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["ana", "ben"])
            try await ledger.addDesign(id: "D2", name: "D rev 2", parent: "D1")
            try await ledger.addDesign(id: "D3", name: "D rev 3", parent: "D2")
            try await ledger.registerUnit(serial: "U2", design: "D2")
            try await ledger.registerUnit(serial: "U3", design: "D3")
            try await ledger.give("ana", .work, hours: "2", design: "D1")
            try await ledger.give("ben", .work, hours: "2", design: "D2")
            try await ledger.equation("""
                {"id": "design", "percent": "100", "filter": {"kind": "design", "lineage_weight": "0.25"},
                 "rules": [{"event": "work", "claim": "equity"}]}
                """)
            // U2 (D2 ← D1): D2 gets 75 %, D1 25 %.
            let d2 = try await ledger.distribute(sale: try await ledger.sell("U2", 10000).id)
            #expect(d2.perAgent == ["ben": 7500, "ana": 2500])
            // U3 (D3 ← D2 ← D1): D3 has no claim; D2 : D1 = 0.1875 : 0.0625 = 3 : 1.
            let d3 = try await ledger.distribute(sale: try await ledger.sell("U3", 10000).id)
            #expect(d3.perAgent == ["ben": 7500, "ana": 2500])
        }
    }

    @Test("exact sums under awkward splits: 100.00 among 3, 0.01 among 7", arguments: Backend.enabled)
    func awkwardSplits(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            let agents = ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]
            try await ledger.network(agents: agents)
            try await ledger.addDesign(id: "D7", name: "seven", parent: nil)
            try await ledger.registerUnit(serial: "U3", design: "D1")
            try await ledger.registerUnit(serial: "U7", design: "D7")
            for agent in agents.prefix(3) { try await ledger.give(agent, .work, hours: "1", design: "D1") }
            for agent in agents { try await ledger.give(agent, .work, hours: "1", design: "D7") }
            try await ledger.equation("""
                {"id": "design", "percent": "100", "filter": {"kind": "design"}, "rules": [{"event": "work", "claim": "equity"}]}
                """)
            let three = try await ledger.distribute(sale: try await ledger.sell("U3", 10000).id)
            #expect(three.perAgent == ["a1": 3334, "a2": 3333, "a3": 3333])  // tie → smallest agent id
            let seven = try await ledger.distribute(sale: try await ledger.sell("U7", 1).id)
            #expect(seven.lines == [DistributionLine(bucket: "design", agent: "a1", amount: 1)])
        }
    }

    @Test("distributing a sale twice is refused and changes nothing", arguments: Backend.enabled)
    func idempotent(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()
            let sale = try await ledger.sell("U1", 5000)
            let first = try await ledger.distribute(sale: sale.id)
            let claims = try await ledger.store.claims(project: "p")
            await #expect(throws: LedgerError.alreadyDistributed(sale: sale.id)) {
                try await ledger.distribute(sale: sale.id)
            }
            await #expect(throws: LedgerError.alreadyDistributed(sale: sale.id)) {
                try await ledger.distribute(sale: sale.id, dryRun: true)
            }
            #expect(try await ledger.store.distribution(sale: sale.id) == first)
            #expect(try await ledger.store.claims(project: "p") == claims)
        }
    }

    @Test("dry run computes without writing", arguments: Backend.enabled)
    func dryRun(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()
            let sale = try await ledger.sell("U1", 5000)
            let preview = try await ledger.distribute(sale: sale.id, dryRun: true)
            #expect(preview.perAgent == ["a": 5000])
            #expect(try await ledger.store.distribution(sale: sale.id) == nil)
            #expect(try await ledger.store.claims(project: "p").isEmpty)
            #expect(try await ledger.distribute(sale: sale.id) == preview)
        }
    }

    @Test("a failure while storing a distribution leaves nothing half-written", arguments: Backend.enabled)
    func atomicDistribution(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()
            let sale = try await ledger.sell("U1", 5000)
            // A plan whose last write collides (the same new claim twice) fails after the lines are written.
            await #expect(throws: LedgerError.self) {
                try await ledger.store.distribute(sale: sale.id, dryRun: false) { input throws(LedgerError) in
                    var plan = try DistributionEngine.plan(input)
                    plan.claims.append(plan.claims[0])
                    return plan
                }
            }
            #expect(try await ledger.store.distribution(sale: sale.id) == nil)
            #expect(try await ledger.store.claims(project: "p").isEmpty)
            #expect(try await ledger.distribute(sale: sale.id).perAgent == ["a": 5000])
        }
    }

    @Test("currency mismatch and price zero", arguments: Backend.enabled)
    func saleRules(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()
            await #expect(throws: LedgerError.currencyMismatch(sale: "EUR", project: "CAD")) {
                _ = try await ledger.sell("U1", 5000, currency: "EUR")
            }
            #expect(try await ledger.store.sales(project: nil).isEmpty)
            let free = try await ledger.sell("U1", 0)
            let d = try await ledger.distribute(sale: free.id)
            #expect(d.lines.isEmpty && d.distributable == 0)
            #expect(try await ledger.store.claims(project: "p").isEmpty)
        }
    }

    @Test("reversed events and later-dated events are not gathered", arguments: Backend.enabled)
    func reversalsAndDates(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["a", "b"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            let wrong = try await ledger.give("a", .material, value: 90000, unit: "U1")
            try await ledger.reverse(event: wrong.id, date: try LedgerDate("2026-01-11"), note: "typo")
            try await ledger.give("a", .material, value: 9000, unit: "U1")
            try await ledger.give("b", .material, value: 1000, unit: "U1", date: "2026-07-01")  // after the sale
            try await ledger.equation("""
                {"id": "u", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]}
                """)
            let d = try await ledger.distribute(sale: try await ledger.sell("U1", 20000).id)
            #expect(d.perAgent == ["a": 9000, "fund": 11000])
        }
    }

    @Test("editing, deleting or reordering an event is detected and named", arguments: Backend.enabled)
    func tamperDetection(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.network(agents: ["a"])
            for value in [100, 200, 300, 400] as [Int64] { try await ledger.give("a", .cash, value: value) }
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 4, problem: nil))

            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE events SET value = 999 WHERE seq = 2", [])
            }
            #expect(try await ledger.store.verifyChain().problem == "event 2 was edited (hash mismatch)")
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE events SET value = 200 WHERE seq = 2", [])
            }
            #expect(try await ledger.store.verifyChain().isIntact)

            try await database.transaction { s throws(LedgerError) in
                try await s.execute("DELETE FROM events WHERE seq = 4", [])
            }
            #expect(try await ledger.store.verifyChain().problem == "event 4 is missing (the newest rows were deleted)")

            try await database.transaction { s throws(LedgerError) in
                try await s.execute("DELETE FROM events WHERE seq = 2", [])
            }
            #expect(try await ledger.store.verifyChain().problem == "event 2 is missing (row deleted); next row is event 3")
        }
    }

    @Test("reordered rows are named", arguments: Backend.enabled)
    func reorderDetection(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.network(agents: ["a"])
            for value in [100, 200, 300] as [Int64] { try await ledger.give("a", .cash, value: value) }
            // Swap the contents of rows 2 and 3, keeping their sequence numbers.
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE events SET seq = 99 WHERE seq = 2", [])
                try await s.execute("UPDATE events SET seq = 2 WHERE seq = 3", [])
                try await s.execute("UPDATE events SET seq = 3 WHERE seq = 99", [])
            }
            #expect(try await ledger.store.verifyChain().problem == "event 2 does not follow event 1 (rows reordered or replaced)")
        }
    }
}
