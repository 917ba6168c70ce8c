import Foundation
@testable import Ledger
import Testing

extension Ledger {
    /// Part of a lot sold to the co-op's buyer (issue 18: "24 meal boxes").
    func sellLot(_ lot: String, _ quantity: Int64, _ price: Int64, date: String = "2026-06-01") async throws -> Sale {
        try await recordSale(SaleDraft(project: "p", unit: lot, price: price, currency: try Currency("CAD"),
                                       date: try LedgerDate(date), buyer: "co-op", quantity: quantity))
    }

    func giveToLot(_ agent: String, _ kind: ContributionKind, _ lot: String, value: Int64? = nil, hours: String? = nil)
        async throws {
        try await contribute(ContributionDraft(
            date: try LedgerDate("2026-01-10"), agent: agent, project: "p", kind: kind, hours: hours.map { LedgerDecimal($0)! },
            workType: hours == nil ? nil : "eng", value: value, lot: lot))
    }

    func claim(_ bucket: String, event: Int64) async throws -> Claim? {
        try await store.claims(project: "p").first { $0.bucket == bucket && $0.event == event }
    }
}

/// Lots (issue 18, "Products: units and lots"): a quantity of one design, contributed to as a whole, sold in parts
/// that each pay the lot's claims pro rata, never oversold, written off in part.
@Suite("Lots sold in parts")
struct LotTests {
    static let lotBucket = """
        {"id": "fee", "percent": "5", "agent": "custodian"},
        {"id": "lot", "percent": "80", "filter": {"kind": "unit"},
         "rules": [{"event": "work", "claim": "debt"}, {"event": "material", "claim": "debt"}]}
        """

    @Test("a lot sold in two parts pays each debt q ÷ Q of its value per part, then refuses to sell more",
          arguments: Backend.enabled)
    func soldInParts(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["cook", "farmer"])
            try await ledger.addLot(id: "dal", design: "D1", quantity: 40, measure: "box")
            try await ledger.giveToLot("cook", .work, "dal", hours: "4")           // 200.00
            try await ledger.giveToLot("farmer", .material, "dal", value: 12000)  // 120.00
            try await ledger.equation(Self.lotBucket)

            // 10 of 40 boxes for 100.00: the lot bucket's 80.00 can pay each debt at most a quarter of it.
            let first = try await ledger.distribute(sale: try await ledger.sellLot("dal", 10, 10000).id)
            #expect(first.lines == [DistributionLine(bucket: "fee", agent: "custodian", amount: 500),
                                    DistributionLine(bucket: "lot", agent: "cook", amount: 5000),
                                    DistributionLine(bucket: "lot", agent: "farmer", amount: 3000),
                                    DistributionLine(bucket: nil, agent: "fund", amount: 1500)])
            // The other 30 for 400.00: the lot bucket's 320.00 pays the remaining three quarters, the rest is the fund's.
            let second = try await ledger.distribute(sale: try await ledger.sellLot("dal", 30, 40000).id)
            #expect(second.perAgent == ["custodian": 2000, "cook": 15000, "farmer": 9000, "fund": 14000])
            #expect(try await ledger.claim("lot", event: 1)?.paid == 20000)
            #expect(try await ledger.claim("lot", event: 2)?.balance == 0)

            await #expect(throws: LedgerError.invalid("quantity: lot 'dal' holds 0 box (40 produced, 40 sold, 0 written off); cannot sell 1")) {
                _ = try await ledger.sellLot("dal", 1, 100)
            }
            #expect(try await ledger.store.sales(project: nil).count == 2)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 2, distributions: 2, problem: nil))
            // A return puts its quantity back on sale; what the lot owed is already paid.
            try await ledger.reverseSale(2, date: try LedgerDate("2026-06-05"), note: "returned")
            #expect(try await ledger.lotStock("dal").available == 30)
            let third = try await ledger.distribute(sale: try await ledger.sellLot("dal", 30, 40000, date: "2026-06-06").id)
            #expect(third.perAgent == ["custodian": 2000, "fund": 38000])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 2, distributions: 3, problem: nil))
        }
    }

    @Test("the remainder rule: each part may pay ⌈value × q ÷ Q⌉, the balance caps the last part", arguments: Backend.enabled)
    func remainderRule(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["farmer"])
            try await ledger.addLot(id: "jam", design: "D1", quantity: 3, measure: "one")
            try await ledger.giveToLot("farmer", .material, "jam", value: 100)  // 1.00 over three jars
            try await ledger.equation("""
                {"id": "lot", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]}
                """)
            var paid = [Int64]()
            for _ in 0..<3 {
                let d = try await ledger.distribute(sale: try await ledger.sellLot("jam", 1, 5000).id)
                #expect(d.total == 5000)
                paid.append(d.amount("lot", "farmer"))
            }
            #expect(paid == [34, 34, 32])
            #expect(try await ledger.claim("lot", event: 1) == Claim(project: "p", bucket: "lot", event: 1, agent: "farmer",
                                                                      rule: .debt, original: 100, balance: 0, paid: 100))
        }
    }

    @Test("a write-off closes quantity for sale; the lot bucket never pays its share, a project-wide bucket still reaches the events",
          arguments: Backend.enabled)
    func writeOff(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["farmer"])
            try await ledger.addLot(id: "soup", design: "D1", quantity: 40, measure: "box", expires: try LedgerDate("2026-06-30"))
            try await ledger.giveToLot("farmer", .material, "soup", value: 40000)
            try await ledger.equation("""
                {"id": "lot", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]}
                """)
            let spoiled = try await ledger.writeOff(lot: "soup", quantity: 10, date: try LedgerDate("2026-05-20"), reason: "spoiled")
            #expect(spoiled.id == 1 && spoiled.quantity == 10 && spoiled.reason == "spoiled")
            let holds = "lot 'soup' holds 30 box (40 produced, 0 sold, 10 written off)"
            await #expect(throws: LedgerError.invalid("quantity: \(holds); cannot write off 31")) {
                try await ledger.writeOff(lot: "soup", quantity: 31, date: try LedgerDate("2026-05-21"), reason: "lost")
            }
            await #expect(throws: LedgerError.invalid("quantity: \(holds); cannot sell 31")) {
                _ = try await ledger.sellLot("soup", 31, 100000)
            }
            let sold = try await ledger.distribute(sale: try await ledger.sellLot("soup", 30, 100000).id)
            #expect(sold.perAgent == ["farmer": 30000, "fund": 70000])
            // The written-off quarter stays owed: the claim is not erased.
            #expect(try await ledger.claim("lot", event: 1)?.balance == 10000)
            #expect(try await ledger.lotStock("soup") == LotStock(lot: Lot(id: "soup", design: "D1", quantity: 40, measure: "box",
                                                                           expires: try LedgerDate("2026-06-30")),
                                                                  sold: 30, writtenOff: 10))
            #expect(try await ledger.store.writeOffs(lot: "soup") == [spoiled])

            // A bucket that is not product-filtered gathers the lot's events on any sale, as it gathers every event.
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.equation("""
                {"id": "network", "percent": "100", "filter": {"kind": "contribution", "kinds": ["material"]},
                 "rules": [{"event": "material", "claim": "debt"}]}
                """, version: 2)
            let other = try await ledger.distribute(sale: try await ledger.sell("U1", 20000).id)
            #expect(other.perAgent == ["farmer": 20000])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 1, distributions: 2, problem: nil))
        }
    }

    @Test("bad lots, lot sales, write-offs and lot contributions: one error each, the ledger unchanged", arguments: Backend.enabled)
    func badInput(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()
            try await ledger.addLot(id: "dal", design: "D1", quantity: 40, measure: "box")
            try await ledger.addLot(id: "old", design: "D1", quantity: 5, measure: "kg", expires: try LedgerDate("2026-05-01"))
            let date = try LedgerDate("2026-06-01")
            let refusals: [(LedgerError, () async throws -> Void)] = [
                (.invalid("quantity 0 must be a whole number greater than 0"),
                 { try await ledger.addLot(id: "x", design: "D1", quantity: 0, measure: "box") }),
                (.invalid("quantity -5 must be a whole number greater than 0"),
                 { try await ledger.addLot(id: "x", design: "D1", quantity: -5, measure: "box") }),
                (.invalid("quantity 1000000000000001 is beyond the maximum, 10^15"),
                 { try await ledger.addLot(id: "x", design: "D1", quantity: 1_000_000_000_000_001, measure: "box") }),
                (.invalid("unit of measure 'stone' is not one of one, box, portion, kg, g, l, ml, h"),
                 { try await ledger.addLot(id: "x", design: "D1", quantity: 3, measure: "stone") }),
                (.notFound("no design 'D9' (use `ledger design add`)"),
                 { try await ledger.addLot(id: "x", design: "D9", quantity: 3, measure: "box") }),
                (.duplicate("'U1' is already registered as a unit or lot"),
                 { try await ledger.addLot(id: "U1", design: "D1", quantity: 3, measure: "box") }),
                (.invalid("quantity: 'dal' is a lot; say how much of it is sold (--quantity, in box)"),
                 { _ = try await ledger.sell("dal", 1000) }),
                (.invalid("quantity: 'U1' is a serial-numbered unit, sold whole; give no quantity"),
                 { _ = try await ledger.sellLot("U1", 1, 1000) }),
                (.invalid("quantity 0 must be a whole number greater than 0"), { _ = try await ledger.sellLot("dal", 0, 1000) }),
                (.invalid("quantity: lot 'dal' holds 40 box (40 produced, 0 sold, 0 written off); cannot sell 41"),
                 { _ = try await ledger.sellLot("dal", 41, 1000) }),
                (.notFound("no lot 'nope'"), { _ = try await ledger.sellLot("nope", 1, 1000) }),
                (.invalid("lot 'old' expired on 2026-05-01; it cannot be sold on 2026-06-01"),
                 { _ = try await ledger.sellLot("old", 1, 1000) }),
                (.notFound("no lot 'nope'"), { try await ledger.writeOff(lot: "nope", quantity: 1, date: date, reason: "lost") }),
                (.invalid("quantity -1 must be a whole number greater than 0"),
                 { try await ledger.writeOff(lot: "dal", quantity: -1, date: date, reason: "lost") }),
                (.invalid("reason is empty: say why the quantity is written off (spoiled, lost, unsold)"),
                 { try await ledger.writeOff(lot: "dal", quantity: 1, date: date, reason: "") }),
                (.notFound("no lot 'nope' (use `ledger lot add`)"), { try await ledger.giveToLot("a", .material, "nope", value: 100) }),
                (.invalid("a contribution goes to a unit or a lot, not both"), {
                    try await ledger.contribute(ContributionDraft(date: date, agent: "a", project: "p", kind: .material,
                                                                  value: 100, unit: "U1", lot: "dal"))
                }),
            ]
            for (expected, attempt) in refusals {
                await #expect(throws: expected) { try await attempt() }
            }
            #expect(try await ledger.store.sales(project: nil).isEmpty)
            #expect(try await ledger.store.writeOffs(lot: "dal").isEmpty)
            #expect(try await ledger.store.lot("x") == nil)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 1, problem: nil))
        }
    }

    @Test("a ledger from before migrations 5 and 6 migrates; its distributions still recompute and it takes lots and lines",
          arguments: Backend.enabled)
    func migration(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.oneUnitOwedToOneAgent()
            let before = try await ledger.distribute(sale: try await ledger.sell("U1", 4000).id)
            // Take the ledger back to schema version 4, as the previous release wrote it.
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("DROP TABLE event_lots", [])  // migration 8's, which refers to lots
                try await s.execute("DELETE FROM schema_migrations WHERE version = 8", [])
                try await s.execute("DROP TABLE sale_lines", [])
                try await s.execute("DELETE FROM schema_migrations WHERE version = 6", [])
                try await s.execute("DROP TABLE lot_write_offs", [])
                try await s.execute("DROP TABLE lots", [])
                try await s.execute("ALTER TABLE sales DROP COLUMN quantity", [])
                try await s.execute("DELETE FROM schema_migrations WHERE version = 5", [])
            }
            let migrated = Ledger(store: try await SQLLedgerStore(database: database))
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 1, distributions: 1, problem: nil))
            #expect(try await migrated.store.distribution(sale: 1) == before)
            #expect(try await migrated.store.sale(1)?.quantity == nil)
            try await migrated.addLot(id: "dal", design: "D1", quantity: 4, measure: "box")
            try await migrated.giveToLot("a", .material, "dal", value: 800)
            let part = try await migrated.distribute(sale: try await migrated.sellLot("dal", 1, 1000).id)
            #expect(part.perAgent == ["a": 200, "fund": 800])
            try await migrated.registerUnit(serial: "U2", design: "D1")
            let lines = try await migrated.sellLines([SaleLine(unit: "dal", quantity: 3, price: 900), SaleLine(unit: "U2", price: 100)])
            #expect(try await migrated.distribute(sale: lines.id).perAgent == ["a": 600, "fund": 400])
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 2, distributions: 3, problem: nil))
        }
    }

    @Test("verify replays a lot's sale against the quantity it was produced in", arguments: Backend.enabled)
    func editedLotIsCaught(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.network(agents: ["farmer"])
            try await ledger.addLot(id: "jam", design: "D1", quantity: 4, measure: "one")
            try await ledger.giveToLot("farmer", .material, "jam", value: 400)
            try await ledger.equation("""
                {"id": "lot", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]}
                """)
            _ = try await ledger.distribute(sale: try await ledger.sellLot("jam", 1, 1000).id)
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE lots SET quantity = 2 WHERE id = 'jam'", [])
            }
            let problem = try await ledger.store.verifyChain().problem
            #expect(problem == "recomputing from the events: distribution line 1 of sale 1 was edited: stored lot farmer 100, recomputed lot farmer 200",
                    "\(problem ?? "intact")")
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE lots SET quantity = 4 WHERE id = 'jam'", [])
                try await s.execute("UPDATE sales SET quantity = 2 WHERE id = 1", [])
            }
            #expect(try await ledger.store.verifyChain().problem == "sale 1 was edited (it no longer matches its distribution)")
        }
    }
}
