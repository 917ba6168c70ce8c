import Foundation
import TestSupport
@testable import Ledger
import Testing

/// Sales and their distributions are tamper-evident: `verifyChain` walks the distribution chain,
/// recomputes every distribution from the events and names the first bad row.
@Suite("Distribution chain")
struct DistributionChainTests {
    /// Three units sold and distributed out of sale order (sale 2, then 1, then 3), so chain positions
    /// differ from sale ids and the debt claims carry state from one distribution to the next.
    static func threeSales(_ ledger: Ledger) async throws -> [Int64: Distribution] {
        try await ledger.network(agents: ["a", "b"])
        for serial in ["U1", "U2", "U3"] { try await ledger.registerUnit(serial: serial, design: "D1") }
        try await ledger.give("a", .material, value: 10000, unit: "U1")
        try await ledger.give("b", .work, hours: "10", design: "D1")
        try await ledger.give("a", .cash, value: 3000, unit: "U2")
        try await ledger.equation("""
            {"id": "fee", "percent": "10", "agent": "custodian"},
            {"id": "unit", "percent": "50", "filter": {"kind": "unit"},
             "rules": [{"event": "material", "claim": "debt"}, {"event": "cash", "claim": "debt"}]},
            {"id": "design", "percent": "40", "filter": {"kind": "design"}, "rules": [{"event": "work", "claim": "equity"}]}
            """)
        let one = try await ledger.sell("U1", 100000), two = try await ledger.sell("U2", 50000)
        let three = try await ledger.sell("U3", 30000)
        var distributions = [Int64: Distribution]()
        for sale in [two, one, three] { distributions[sale.id] = try await ledger.distribute(sale: sale.id) }
        return distributions
    }

    func tamper(_ database: any SQLDatabase, _ statements: String...) async throws {
        try await database.transaction { s throws(LedgerError) in
            for statement in statements { try await s.execute(statement, []) }
        }
    }

    @Test("an untampered ledger with several sales verifies, backdated later events included", arguments: Backend.enabled)
    func intact(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            let distributions = try await Self.threeSales(ledger)
            #expect(distributions[1]!.payments.contains { $0.bucket == "unit" && $0.agent == "a" })
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 3, distributions: 3, problem: nil))
            // Logged after the distributions but dated before the sales: the replay must not see it.
            try await ledger.give("a", .material, value: 5000, unit: "U1", date: "2026-01-05")
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 4, distributions: 3, problem: nil))
            // U1 comes back and is sold again: its later sale sees the backdated event too.
            try await ledger.reverseSale(1, date: try LedgerDate("2026-06-01"), note: "returned")
            let four = try await ledger.sell("U1", 20000)
            #expect(try await ledger.distribute(sale: four.id).amount("unit", "a") == 5000)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 4, distributions: 4, problem: nil))
        }
    }

    @Test("an edited sale is named", arguments: Backend.enabled)
    func editedSale(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            _ = try await Self.threeSales(ledger)
            try await tamper(database, "UPDATE sales SET price = 90000 WHERE id = 1")
            #expect(try await ledger.store.verifyChain().problem == "sale 1 was edited (it no longer matches its distribution)")
            try await tamper(database, "UPDATE sales SET price = 100000 WHERE id = 1")
            #expect(try await ledger.store.verifyChain().isIntact)
            try await tamper(database, "UPDATE sales SET buyer = 'someone else' WHERE id = 3")
            #expect(try await ledger.store.verifyChain().problem == "sale 3 was edited (it no longer matches its distribution)")
        }
    }

    @Test("an edited line amount, and money moved between agents, name the line", arguments: Backend.enabled)
    func editedLine(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            let lines = try await Self.threeSales(ledger)[1]!.lines
            func describe(_ line: DistributionLine) -> String { "\(line.bucket ?? "fund") \(line.agent)" }
            try await tamper(database, "UPDATE distribution_lines SET amount = amount + 100 WHERE sale = 1 AND line = 2")
            #expect(try await ledger.store.verifyChain().problem
                == "distribution line 2 of sale 1 was edited: stored \(describe(lines[1])) \(lines[1].amount + 100), recomputed \(describe(lines[1])) \(lines[1].amount)")
            // Moving 100 from line 2 to line 1 keeps the total: still caught, and line 1 is named.
            try await tamper(database, "UPDATE distribution_lines SET amount = amount - 200 WHERE sale = 1 AND line = 2",
                             "UPDATE distribution_lines SET amount = amount + 100 WHERE sale = 1 AND line = 1")
            #expect(try await ledger.store.verifyChain().problem
                == "distribution line 1 of sale 1 was edited: stored \(describe(lines[0])) \(lines[0].amount + 100), recomputed \(describe(lines[0])) \(lines[0].amount)")
        }
    }

    @Test("a line given to another agent, added or deleted is named", arguments: Backend.enabled)
    func addedOrDeletedLine(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            let lines = try await Self.threeSales(ledger)[3]!.lines
            try await tamper(database, "UPDATE distribution_lines SET agent = 'a' WHERE sale = 3 AND line = 1")
            #expect(try await ledger.store.verifyChain().problem?
                .hasPrefix("distribution line 1 of sale 3 was edited: stored \(lines[0].bucket ?? "fund") a ") == true)
            try await tamper(database, "UPDATE distribution_lines SET agent = '\(lines[0].agent)' WHERE sale = 3 AND line = 1",
                             "INSERT INTO distribution_lines (sale, line, bucket, agent, amount) VALUES (3, \(lines.count + 1), NULL, 'a', 5)")
            #expect(try await ledger.store.verifyChain().problem
                == "distribution line \(lines.count + 1) of sale 3 was added (fund a 5)")
            try await tamper(database, "DELETE FROM distribution_lines WHERE sale = 3 AND line >= \(lines.count)")
            let last = lines[lines.count - 1]
            #expect(try await ledger.store.verifyChain().problem
                == "distribution line \(lines.count) of sale 3 is missing (recomputed \(last.bucket ?? "fund") \(last.agent) \(last.amount))")
        }
    }

    @Test("a deleted or edited claim payment is named", arguments: Backend.enabled)
    func claimPayments(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            let payment = try await Self.threeSales(ledger)[1]!.payments.first { $0.bucket == "unit" }!
            try await tamper(database, "DELETE FROM claim_payments WHERE sale = 1 AND bucket = 'unit' AND event = \(payment.event)")
            #expect(try await ledger.store.verifyChain().problem
                == "claim payment (bucket unit, event \(payment.event), a \(payment.amount)) of sale 1 is missing")
            try await tamper(database, """
                INSERT INTO claim_payments (sale, bucket, event, agent, amount) VALUES (1, 'unit', \(payment.event), 'b', \(payment.amount))
                """)
            #expect(try await ledger.store.verifyChain().problem
                == "claim payment (bucket unit, event \(payment.event)) of sale 1 was edited: stored b \(payment.amount), recomputed a \(payment.amount)")
        }
    }

    @Test("swapped hashes, reordered, deleted distributions and a stale head are named", arguments: Backend.enabled)
    func chainOrder(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            _ = try await Self.threeSales(ledger)  // chain: #1 sale 2, #2 sale 1, #3 sale 3
            // Swap the hashes of #1 and #2 (#2's previous hash keeps a copy of #1's).
            try await tamper(database,
                             "UPDATE distributions SET hash = (SELECT hash FROM distributions WHERE sale = 1) WHERE sale = 2",
                             "UPDATE distributions SET hash = (SELECT previous_hash FROM distributions WHERE sale = 1) WHERE sale = 1")
            #expect(try await ledger.store.verifyChain().problem == "distribution of sale 2 was edited (hash mismatch)")
            try await tamper(database,
                             "UPDATE distributions SET hash = (SELECT hash FROM distributions WHERE sale = 2) WHERE sale = 1",
                             "UPDATE distributions SET hash = (SELECT previous_hash FROM distributions WHERE sale = 1) WHERE sale = 2")
            #expect(try await ledger.store.verifyChain().isIntact)

            try await tamper(database, "UPDATE distributions SET position = 99 WHERE sale = 2",
                             "UPDATE distributions SET position = 1 WHERE sale = 1",
                             "UPDATE distributions SET position = 2 WHERE sale = 2")
            #expect(try await ledger.store.verifyChain().problem
                == "distribution #1 (sale 1) is not the first distribution (rows reordered or replaced)")
            try await tamper(database, "UPDATE distributions SET position = 99 WHERE sale = 2",
                             "UPDATE distributions SET position = 2 WHERE sale = 1",
                             "UPDATE distributions SET position = 1 WHERE sale = 2")
            #expect(try await ledger.store.verifyChain().isIntact)

            try await tamper(database, "UPDATE distribution_head SET position = 2, hash = (SELECT hash FROM distributions WHERE sale = 1)")
            #expect(try await ledger.store.verifyChain().problem
                == "the distribution chain head is not the last distribution (#3, sale 3)")
            try await tamper(database, "DELETE FROM distribution_head")
            #expect(try await ledger.store.verifyChain().problem == "the distribution chain head is missing (chain starts at sale 2)")
            try await tamper(database, "INSERT INTO distribution_head (id, position, hash) SELECT 1, 3, hash FROM distributions WHERE sale = 3")
            #expect(try await ledger.store.verifyChain().isIntact)

            for sale in [1, 3] {
                try await tamper(database, "DELETE FROM distribution_lines WHERE sale = \(sale)",
                                 "DELETE FROM claim_payments WHERE sale = \(sale)", "DELETE FROM distributions WHERE sale = \(sale)")
            }
            #expect(try await ledger.store.verifyChain().problem == "distribution #2 is missing (the newest rows were deleted)")
        }
    }

    @Test("a deleted distribution in the middle of the chain is named", arguments: Backend.enabled)
    func deletedDistribution(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            _ = try await Self.threeSales(ledger)
            try await tamper(database, "DELETE FROM distribution_lines WHERE sale = 1", "DELETE FROM claim_payments WHERE sale = 1",
                             "DELETE FROM distributions WHERE sale = 1")
            #expect(try await ledger.store.verifyChain().problem == "distribution #2 is missing (row deleted); next row is #3 (sale 3)")
        }
    }

    @Test("a distribution outside the chain (as an older mosquito would write it) is named", arguments: Backend.enabled)
    func unchainedDistribution(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            _ = try await Self.threeSales(ledger)
            try await tamper(database, "UPDATE distributions SET position = NULL, previous_hash = NULL, hash = NULL WHERE sale = 3")
            #expect(try await ledger.store.verifyChain().problem == "distribution of sale 3 has no valid chain position (0)")
        }
    }

    @Test("a forger who rewrites the hashes consistently is caught by the recomputation", arguments: Backend.enabled)
    func consistentForgery(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            let lines = try await Self.threeSales(ledger)[1]!.lines
            let number = lines.firstIndex { $0.bucket == "fee" }! + 1, fee = lines[number - 1]
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE distribution_lines SET amount = amount + 500 WHERE sale = 1 AND bucket = 'fee'", [])
                try await s.execute("UPDATE distribution_lines SET amount = amount - 500 WHERE sale = 1 AND bucket = 'design'", [])
                // Rechain every distribution from the genesis with the store's own hashing.
                var previous = DistributionChain.genesis
                for stored in try await SQLLedgerStore.storedLinks(s) {
                    try await SQLLedgerStore.chain(stored.link, previous: previous, s)
                    previous = DistributionChain.hash(stored.link, previous: previous)
                }
            }
            #expect(try await ledger.store.verifyChain().problem
                == "recomputing from the events: distribution line \(number) of sale 1 was edited: stored fee custodian \(fee.amount + 500), recomputed fee custodian \(fee.amount)")
        }
    }

    @Test("distributions anchor the event chain: rewriting it consistently is still caught", arguments: Backend.enabled)
    func rewrittenEventChain(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            _ = try await Self.threeSales(ledger)
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE events SET value = 1 WHERE seq = 2", [])
                // Rehash events 2 and 3 and the head, as a forger with the code would.
                var previous = HashChain.genesis
                for event in try await SQLLedgerStore.events(project: nil, s) {
                    let hash = HashChain.hash(seq: event.id, record: event.record, previous: previous)
                    try await s.execute("UPDATE events SET previous_hash = ?, hash = ? WHERE seq = ?",
                                        [.text(previous), .text(hash), .integer(event.id)])
                    try await s.execute("UPDATE chain_head SET seq = ?, hash = ?", [.integer(event.id), .text(hash)])
                    previous = hash
                }
            }
            #expect(try await ledger.store.verifyChain().problem
                == "distribution of sale 2 cites event 3, which is not in the event chain as it was")
        }
    }

    @Test("edited claim balances, which steer later distributions, are named", arguments: Backend.enabled)
    func editedClaims(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            _ = try await Self.threeSales(ledger)
            let claim = try await ledger.store.claims(project: "p").first { $0.bucket == "unit" }!
            try await tamper(database, "UPDATE claims SET balance = balance + 700 WHERE bucket = 'unit' AND event = \(claim.event)")
            #expect(try await ledger.store.verifyChain().problem
                == "claim (project p, bucket unit, event \(claim.event)) was edited: stored balance \(claim.balance + 700) paid \(claim.paid), recomputed balance \(claim.balance) paid \(claim.paid)")
        }
    }

    @Test("a ledger made before the distribution chain migrates, verifies and is then protected", arguments: Backend.enabled)
    func migration(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            _ = try await Self.threeSales(ledger)
            // Take the ledger back to schema version 1, as the previous release wrote it.
            try await tamper(database, "DROP INDEX distributions_by_position",
                             "ALTER TABLE distributions DROP COLUMN position", "ALTER TABLE distributions DROP COLUMN events_seq",
                             "ALTER TABLE distributions DROP COLUMN events_hash", "ALTER TABLE distributions DROP COLUMN sale_digest",
                             "ALTER TABLE distributions DROP COLUMN previous_hash", "ALTER TABLE distributions DROP COLUMN hash",
                             "DROP TABLE distribution_head", "DROP TABLE claims_baseline",
                             "DELETE FROM schema_migrations WHERE version = 2")
            let migrated = Ledger(store: try await SQLLedgerStore(database: database))
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 3, distributions: 3, recomputed: 0, problem: nil))
            let versions = try await database.transaction { s throws(LedgerError) in
                try await s.query("SELECT version FROM schema_migrations ORDER BY version", [])
            }
            #expect(versions == [[.integer(1)], [.integer(2)], [.integer(3)], [.integer(4)], [.integer(5)], [.integer(6)], [.integer(7)], [.integer(8)], [.integer(9)]])

            // Rows found at migration are chained in sale order; later edits to them are caught.
            try await tamper(database, "UPDATE distribution_lines SET amount = amount + 1 WHERE sale = 2 AND line = 1")
            #expect(try await migrated.store.verifyChain().problem == "distribution of sale 2 was edited (hash mismatch)")
            try await tamper(database, "UPDATE distribution_lines SET amount = amount - 1 WHERE sale = 2 AND line = 1")

            // A distribution made after the migration is recomputed, from the claims as found.
            try await migrated.registerUnit(serial: "U4", design: "D1")
            let four = try await migrated.distribute(sale: try await migrated.sell("U4", 40000).id)
            #expect(four.total == 40000)
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 3, distributions: 4, recomputed: 1, problem: nil))
            // The baseline claims steer the replay: editing them shows up as a difference in sale 4.
            try await tamper(database, "UPDATE claims_baseline SET balance = 0 WHERE bucket = 'design'")
            let problem = try await migrated.store.verifyChain().problem ?? ""
            #expect(problem.hasPrefix("recomputing from the events: distribution line") && problem.contains("of sale 4"), "\(problem)")
        }
    }
}

/// Random ledgers through the store: events logged, reversed and backdated between distributions,
/// sales distributed out of order, the equation replaced midway. Every one must verify intact, which
/// holds only if the replay feeds the engine exactly what it saw when the distribution was made.
@Suite("Distribution chain properties")
struct DistributionChainPropertyTests {
    static let seeds = Array(UInt64(1)...UInt64(8))

    @Test("random ledgers verify intact and recompute exactly", arguments: Backend.enabled, seeds)
    func randomLedgersVerify(backend: Backend, seed: UInt64) async throws {
        try await withLedger(backend) { ledger, database in
            var rng = SplitMix64(seed: seed)
            let agents = (0..<Int.random(in: 1...4, using: &rng)).map { "a\($0)" }
            try await ledger.network(agents: agents)
            try await ledger.addDesign(id: "D2", name: nil, parent: "D1")
            try await ledger.addDesign(id: "D3", name: nil, parent: "D2")
            let units = ["U1", "U2", "U3", "U4", "U5", "U6"]
            for (index, serial) in units.enumerated() {
                try await ledger.registerUnit(serial: serial, design: ["D1", "D2", "D3"][index % 3])
            }
            func logEvents(_ count: Int, _ rng: inout SplitMix64) async throws {
                for _ in 0..<count {
                    let kind = ContributionKind.allCases.randomElement(using: &rng)!
                    let day = String(format: "%02d", Int.random(in: 1...28, using: &rng))
                    let event = try await ledger.give(
                        agents.randomElement(using: &rng)!, kind,
                        value: kind == .work ? nil : Int64.random(in: 1...50_000, using: &rng),
                        hours: kind == .work ? "\(Int.random(in: 1...40, using: &rng)).5" : nil,
                        design: Bool.random(using: &rng) ? ["D1", "D2", "D3"].randomElement(using: &rng) : nil,
                        unit: Bool.random(using: &rng) ? units.randomElement(using: &rng) : nil,
                        date: "2026-0\(Int.random(in: 1...3, using: &rng))-\(day)")
                    if Int.random(in: 0..<6, using: &rng) == 0 {
                        try await ledger.reverse(event: event.id, date: try LedgerDate("2026-03-28"), note: nil)
                    }
                }
            }
            var equation = PropertyTests.randomEquation(&rng, agents: agents)
            try await ledger.setEquation(json: Data(equation.canonicalJSON().utf8))
            try await logEvents(Int.random(in: 1...10, using: &rng), &rng)
            var sales = [Sale]()
            for (index, serial) in units.enumerated() {
                let price = Int64.random(in: 0...200_000, using: &rng)
                sales.append(try await ledger.recordSale(SaleDraft(
                    project: "p", unit: serial, price: price, currency: try Currency("CAD"),
                    date: try LedgerDate("2026-0\(index / 2 + 2)-15"), buyer: "b",
                    directCosts: Int64.random(in: 0...price, using: &rng))))
            }
            for (index, sale) in sales.shuffled(using: &rng).enumerated() {
                _ = try await ledger.distribute(sale: sale.id)
                try await logEvents(Int.random(in: 0...3, using: &rng), &rng)
                if index == 2 {
                    equation = PropertyTests.randomEquation(&rng, agents: agents)
                    equation.version = 2
                    try await ledger.setEquation(json: Data(equation.canonicalJSON().utf8))
                }
            }
            let events = try await ledger.store.events(project: nil).count
            #expect(try await ledger.store.verifyChain() == ChainReport(events: events, distributions: units.count, problem: nil),
                    "seed \(seed)")

            // And one cent moved between two lines of a random distribution is named.
            let target = sales.randomElement(using: &rng)!.id
            let lines = try await ledger.store.distribution(sale: target)!.lines
            guard lines.count >= 2 else { return }
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE distribution_lines SET amount = amount + 1 WHERE sale = ? AND line = 1", [.integer(target)])
                try await s.execute("UPDATE distribution_lines SET amount = amount - 1 WHERE sale = ? AND line = 2", [.integer(target)])
            }
            #expect(try await ledger.store.verifyChain().problem?.hasPrefix("distribution line 1 of sale \(target) was edited") == true,
                    "seed \(seed)")
        }
    }
}
