import Foundation
@testable import Ledger
import Testing

/// Per-design citation weights (`design add --parent r1 --cites 0.4`), issue 18 item 8: each derived design
/// states the share of a sale of it owed to its parent; designs that state none keep the bucket's lineage_weight.
@Suite("Citation weights")
struct CitationWeightTests {
    static let designBucket = """
        {"id": "design", "percent": "100", "filter": {"kind": "design", "lineage_weight": "0.5"},
         "rules": [{"event": "work", "claim": "equity"}]}
        """

    /// The issue's lineage r4 ← r3 ← r2 ← r1: r2 cites r1 at 0.4, r3 cites r2 at 0.25, r4 states nothing (when
    /// `cited`). ana designed r1, ben r2, cleo r3 (2 h each); nobody worked on r4 itself. Unit U4 is an r4.
    func lineage(_ ledger: Ledger, cited: Bool) async throws {
        try await ledger.network(agents: ["ana", "ben", "cleo"])
        try await ledger.addDesign(id: "r1", name: nil, parent: nil)
        try await ledger.addDesign(id: "r2", name: nil, parent: "r1", cites: cited ? LedgerDecimal("0.4") : nil)
        try await ledger.addDesign(id: "r3", name: nil, parent: "r2", cites: cited ? LedgerDecimal("0.25") : nil)
        try await ledger.addDesign(id: "r4", name: nil, parent: "r3")
        try await ledger.registerUnit(serial: "U4", design: "r4")
        try await ledger.give("ana", .work, hours: "2", design: "r1")
        try await ledger.give("ben", .work, hours: "2", design: "r2")
        try await ledger.give("cleo", .work, hours: "2", design: "r3")
        try await ledger.equation(Self.designBucket)
    }

    @Test("the issue's r4 sale: 900.00 / 180.00 / 120.00 with per-design weights; the bucket-wide weight alone gives 600.00 / 300.00 / 300.00",
          arguments: Backend.enabled)
    func issueFigures(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await lineage(ledger, cited: true)
            // r4 has no claim and drops out; r3 : r2 : r1 = c4·0.75 : c4·0.25·0.6 : c4·0.25·0.4 = 75 : 15 : 10.
            let d = try await ledger.distribute(sale: try await ledger.sell("U4", 120000).id)
            #expect(d.perAgent == ["cleo": 90000, "ben": 18000, "ana": 12000])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 3, distributions: 1, recomputed: 1, problem: nil))
        }
        try await withLedger(backend) { ledger, _ in
            try await lineage(ledger, cited: false)
            // lineage_weight 0.5 at every level: r3 : r2 : r1 = 0.25 : 0.125 : 0.125.
            let d = try await ledger.distribute(sale: try await ledger.sell("U4", 120000).id)
            #expect(d.perAgent == ["cleo": 60000, "ben": 30000, "ana": 30000])
        }
    }

    @Test("the sold design's own weight: r4 cites r3 at 0.1, so r4's designers keep 90 % and the rest passes up",
          arguments: Backend.enabled)
    func soldDesignCites(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await lineage(ledger, cited: true)
            try await ledger.addAgent(id: "dan", name: "Dan", kind: .person)
            try await ledger.addDesign(id: "r5", name: nil, parent: "r3", cites: LedgerDecimal("0.1"))
            try await ledger.registerUnit(serial: "U5", design: "r5")
            try await ledger.give("dan", .work, hours: "2", design: "r5")
            // r5 0.9; r3 0.1·0.75; r2 0.1·0.25·0.6; r1 0.1·0.25·0.4 (r1, the root, keeps what reaches it).
            let d = try await ledger.distribute(sale: try await ledger.sell("U5", 100000).id)
            #expect(d.perAgent == ["dan": 90000, "cleo": 7500, "ben": 1500, "ana": 1000])
            #expect(d.total == 100000)
        }
    }

    @Test("a weight outside (0, 1), with more than 2 decimals or without a parent is refused naming cites; nothing is written",
          arguments: Backend.enabled)
    func refusedWeights(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: [])
            let cases: [(String, String?, String)] = [
                ("0", "D1", "cites 0 must be in (0, 1) with at most 2 decimals"),
                ("1", "D1", "cites 1 must be in (0, 1) with at most 2 decimals"),
                ("1.5", "D1", "cites 1.5 must be in (0, 1) with at most 2 decimals"),
                ("-0.4", "D1", "cites -0.4 must be in (0, 1) with at most 2 decimals"),
                ("0.001", "D1", "cites 0.001 must be in (0, 1) with at most 2 decimals"),
                ("0.4", nil, "cites 0.4 needs --parent: a design cites the revision it derives from"),
            ]
            for (weight, parent, message) in cases {
                await #expect(throws: LedgerError.invalid(message)) {
                    try await ledger.addDesign(id: "D9", name: nil, parent: parent, cites: LedgerDecimal(weight)!)
                }
                #expect(try await ledger.store.design("D9") == nil)
            }
            #expect(try await ledger.store.verifyChain().problem == nil)
        }
    }

    @Test("a stored weight edited to change a past distribution is caught by the recomputation; an impossible one is named as tampering",
          arguments: Backend.enabled)
    func editedWeights(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await lineage(ledger, cited: true)
            _ = try await ledger.distribute(sale: try await ledger.sell("U4", 120000).id)
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE designs SET cites = '0.5' WHERE id = 'r3'", [])
            }
            // r3 at 0.5 would have paid ana (line 1) 240.00, not 120.00.
            let problem = try await ledger.store.verifyChain().problem
            #expect(problem == "recomputing from the events: distribution line 1 of sale 1 was edited: stored design ana 12000, recomputed design ana 24000",
                    "\(problem ?? "intact")")
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("UPDATE designs SET cites = '5' WHERE id = 'r3'", [])
            }
            await #expect(throws: LedgerError.tampered(
                "ledger tampered: table designs, row id=r3, column cites: '5' is not a weight in (0, 1) with at most 2 decimals")) {
                _ = try await ledger.store.verifyChain()
            }
        }
    }

    @Test("a ledger from before migration 4 migrates and every old distribution still recomputes", arguments: Backend.enabled)
    func migration(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await lineage(ledger, cited: false)
            let before = try await ledger.distribute(sale: try await ledger.sell("U4", 120000).id)
            // Take the ledger back to schema version 3, as the previous release wrote it.
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("ALTER TABLE designs DROP COLUMN cites", [])
                try await s.execute("DELETE FROM schema_migrations WHERE version = 4", [])
            }
            let migrated = Ledger(store: try await SQLLedgerStore(database: database))
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 3, distributions: 1, recomputed: 1, problem: nil))
            #expect(try await migrated.store.distribution(sale: 1) == before)
            #expect(try await migrated.store.design("r3")?.cites == nil)
            // The migrated ledger takes per-design weights from now on.
            try await migrated.addDesign(id: "r5", name: nil, parent: "r3", cites: LedgerDecimal("0.1"))
            try await migrated.registerUnit(serial: "U5", design: "r5")
            let after = try await migrated.distribute(sale: try await migrated.sell("U5", 120000).id)
            #expect(after.perAgent == ["cleo": 60000, "ben": 30000, "ana": 30000])
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 3, distributions: 2, recomputed: 2, problem: nil))
        }
    }
}

/// `mosquito ledger design add --cites` as a user meets it.
@Suite("Citation weights over the CLI", .serialized)
struct CitationWeightCLITests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-cites-\(UUID().uuidString).sqlite").path

    func ledger(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["ledger"] + arguments + ["--ledger", path])
    }

    @Test("bad --cites: one error line naming cites, exit 1, the ledger unchanged; a good one is stored and shown")
    func badAndGood() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ledger(["demo"]).status == 0)
        let dump = try ledger(["export", "--json"]).stdout
        let cases: [([String], String)] = [
            (["--parent", "MQ-FORCE-r2", "--cites", "abc"], "Error: cites 'abc' is not a decimal like 0.4"),
            (["--parent", "MQ-FORCE-r2", "--cites", "1"], "Error: cites 1 must be in (0, 1) with at most 2 decimals"),
            (["--parent", "MQ-FORCE-r2", "--cites=-0.4"], "Error: cites -0.4 must be in (0, 1) with at most 2 decimals"),
            (["--parent", "MQ-FORCE-r2", "--cites", "0.001"], "Error: cites 0.001 must be in (0, 1) with at most 2 decimals"),
            (["--parent", "MQ-FORCE-r2", "--cites", "0"], "Error: cites 0 must be in (0, 1) with at most 2 decimals"),
            (["--cites", "0.4"], "Error: cites 0.4 needs --parent: a design cites the revision it derives from"),
        ]
        for (options, message) in cases {
            let result = try ledger(["design", "add", "--id", "MQ-FORCE-r3"] + options)
            #expect(result.status == 1, "\(options)")
            #expect(result.stderr == message + "\n", "\(options)")
            #expect(try ledger(["export", "--json"]).stdout == dump)
            #expect(try ledger(["verify"]).status == 0)
        }
        let added = try ledger(["design", "add", "--id", "MQ-FORCE-r3", "--parent", "MQ-FORCE-r2", "--cites", "0.4"])
        #expect(added.status == 0 && added.stdout == "design MQ-FORCE-r3 added (from MQ-FORCE-r2, cites 0.4)\n")
        let opened = try await Ledger.open(path)
        #expect(try await opened.store.design("MQ-FORCE-r3") == Design(id: "MQ-FORCE-r3", name: "MQ-FORCE-r3", parent: "MQ-FORCE-r2",
                                                                       cites: LedgerDecimal("0.4")))
        await opened.close()
    }
}
