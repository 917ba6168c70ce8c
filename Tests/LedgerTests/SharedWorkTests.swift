import Foundation
import Ledger
import Testing

extension Ledger {
    /// A driver's round of `hours` at 50.00 shared across `lots`, by `split` or by their produced quantities.
    @discardableResult
    func shareWork(_ agent: String, hours: String, across lots: [String], split: [String]? = nil,
                   date: String = "2026-01-10") async throws -> ContributionEvent {
        try await contribute(ContributionDraft(
            date: try LedgerDate(date), agent: agent, project: "p", kind: .work, hours: LedgerDecimal(hours)!, workType: "eng",
            lots: lots, split: split?.map { LedgerDecimal($0)! }))
    }
}

/// Work shared across lots (issue 18, "several lots with a split"): one delivery round for several batches, each
/// batch's sales paying its part of it, pro rata to what they sell of the batch.
@Suite("Work shared across lots")
struct SharedWorkTests {
    static let lotBucket = """
        {"id": "lot", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "work", "claim": "debt"}]}
        """

    @Test("split by produced quantity (40 : 20 = 2 : 1): each lot's sales repay its part, the balance caps the total",
          arguments: Backend.enabled)
    func byProducedQuantity(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["driver"])
            try await ledger.addLot(id: "A", design: "D1", quantity: 40, measure: "box")
            try await ledger.addLot(id: "B", design: "D1", quantity: 20, measure: "box")
            let round = try await ledger.shareWork("driver", hours: "3", across: ["A", "B"])  // 150.00
            #expect(round.lots == [LotSplit(lot: "A", weight: LedgerDecimal(2)), LotSplit(lot: "B", weight: LedgerDecimal(1))])
            #expect(round.unit == nil && round.value == 15000)
            #expect(try await ledger.store.event(round.id) == round)
            try await ledger.equation(Self.lotBucket)

            // All of A: its two thirds, 100.00, and not a cent of B's part.
            let a = try await ledger.distribute(sale: try await ledger.sellLot("A", 40, 100_000).id)
            #expect(a.perAgent == ["driver": 10000, "fund": 90000])
            // Half of B: ⌈150.00 × 1/3 × 10/20⌉ = 25.00; the other half the last 25.00.
            let b1 = try await ledger.distribute(sale: try await ledger.sellLot("B", 10, 100_000).id)
            #expect(b1.perAgent == ["driver": 2500, "fund": 97500])
            let b2 = try await ledger.distribute(sale: try await ledger.sellLot("B", 10, 100_000).id)
            #expect(b2.perAgent == ["driver": 2500, "fund": 97500])
            let claim = try #require(try await ledger.claim("lot", event: round.id))
            #expect(claim.paid == 15000 && claim.balance == 0)
            // The lot reports list the shared event under both lots.
            #expect(try await ledger.unitReport("A").contributions.map(\.id) == [round.id])
            #expect(try await ledger.unitReport("B").contributions.map(\.id) == [round.id])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 1, distributions: 3, problem: nil))
            // A reversal is shared the same way, and both drop out of later sales.
            let reversal = try await ledger.reverse(event: round.id, date: try LedgerDate("2026-01-11"), note: nil)
            #expect(reversal.lots == round.lots && reversal.value == -15000)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 2, distributions: 3, problem: nil))
        }
    }

    @Test("one sale with a line of each lot pays the shared claim once, for both parts", arguments: Backend.enabled)
    func twoLines(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["driver"])
            try await ledger.addLot(id: "A", design: "D1", quantity: 40, measure: "box")
            try await ledger.addLot(id: "B", design: "D1", quantity: 20, measure: "box")
            let round = try await ledger.shareWork("driver", hours: "3", across: ["A", "B"])  // 150.00, 2 : 1
            try await ledger.equation(Self.lotBucket)
            let sale = try await ledger.recordSale(SaleDraft(
                project: "p", lines: [SaleLine(unit: "A", quantity: 20, price: 10_000), SaleLine(unit: "B", quantity: 10, price: 10_000)],
                currency: try Currency("CAD"), date: try LedgerDate("2026-06-01"), buyer: "co-op"))
            // A's half: ⌈150.00 × 2/3 × 20/40⌉ = 50.00; B's half: ⌈150.00 × 1/3 × 10/20⌉ = 25.00; one payment of 75.00.
            let d = try await ledger.distribute(sale: sale.id)
            #expect(d.payments.map(\.event) == [round.id] && d.payments.map(\.amount) == [7500])
            #expect(d.perAgent == ["driver": 7500, "fund": 12500])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 1, distributions: 1, problem: nil))
        }
    }

    @Test("a stated split (0.25 / 0.75) and a project-wide bucket beside it", arguments: Backend.enabled)
    func statedSplit(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["driver", "cook"])
            try await ledger.addLot(id: "A", design: "D1", quantity: 10, measure: "box")
            try await ledger.addLot(id: "B", design: "D1", quantity: 10, measure: "box")
            let round = try await ledger.shareWork("driver", hours: "2", across: ["A", "B"], split: ["0.25", "0.75"])  // 100.00
            #expect(round.lots == [LotSplit(lot: "A", weight: LedgerDecimal("0.25")!), LotSplit(lot: "B", weight: LedgerDecimal("0.75")!)])
            try await ledger.giveToLot("cook", .work, "A", hours: "1")  // 50.00
            try await ledger.equation(Self.lotBucket)
            // 5 of A's 10: the round's 25.00 part of which half, 12.50; the cook's 50.00 of which half, 25.00.
            let d = try await ledger.distribute(sale: try await ledger.sellLot("A", 5, 10_000).id)
            #expect(d.perAgent == ["driver": 1250, "cook": 2500, "fund": 6250])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 2, distributions: 1, problem: nil))
        }
    }

    @Test("bad shares are refused naming lots or split, nothing written", arguments: Backend.enabled)
    func badInput(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["driver"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.addLot(id: "A", design: "D1", quantity: 40, measure: "box")
            try await ledger.addLot(id: "B", design: "D1", quantity: 20, measure: "box")
            func share(_ lots: [String], split: [String]? = nil, unit: String? = nil, lot: String? = nil) async throws {
                try await ledger.contribute(ContributionDraft(
                    date: try LedgerDate("2026-01-10"), agent: "driver", project: "p", kind: .work, hours: LedgerDecimal(1),
                    workType: "eng", unit: unit, lot: lot, lots: lots, split: split?.map { LedgerDecimal($0)! }))
            }
            await #expect(throws: LedgerError.invalid("lots: work shared across lots names at least two")) { try await share(["A"]) }
            await #expect(throws: LedgerError.notFound("lots: no lot 'C' (use `ledger lot add`)")) { try await share(["A", "C"]) }
            await #expect(throws: LedgerError.notFound("lots: no lot 'U1' (use `ledger lot add`)")) { try await share(["A", "U1"]) }
            await #expect(throws: LedgerError.invalid("lots: 'A' is named twice")) { try await share(["A", "B", "A"]) }
            await #expect(throws: LedgerError.invalid("lots: a contribution goes to a unit, a lot or several lots, one of them")) {
                try await share(["A", "B"], lot: "A")
            }
            await #expect(throws: LedgerError.invalid("split: 1 weights for 2 lots; give one weight per lot, in their order")) {
                try await share(["A", "B"], split: ["1"])
            }
            await #expect(throws: LedgerError.invalid("split: weight 0 must be greater than 0")) {
                try await share(["A", "B"], split: ["1", "0"])
            }
            await #expect(throws: LedgerError.invalid("split: weight -1 must be greater than 0")) {
                try await share(["A", "B"], split: ["-1", "2"])
            }
            await #expect(throws: LedgerError.invalid("split: weights go with two or more lots (--lot, repeated)")) {
                try await share([], split: ["1", "2"], lot: "A")
            }
            #expect(try await ledger.store.events(project: nil).isEmpty)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 0, problem: nil))
        }
    }

    @Test("an edited weight or a dropped lot is caught as an edited event", arguments: Backend.enabled)
    func tampering(backend: Backend) async throws {
        for edit in ["UPDATE event_lots SET weight = '3' WHERE position = 1", "DELETE FROM event_lots WHERE position = 2"] {
            try await withLedger(backend) { ledger, database in
                try await ledger.network(agents: ["driver"])
                try await ledger.addLot(id: "A", design: "D1", quantity: 40, measure: "box")
                try await ledger.addLot(id: "B", design: "D1", quantity: 20, measure: "box")
                try await ledger.shareWork("driver", hours: "3", across: ["A", "B"])
                try await database.transaction { s throws(LedgerError) in try await s.execute(edit, []) }
                #expect(try await ledger.store.verifyChain().problem == "event 1 was edited (hash mismatch)", "\(edit)")
            }
        }
    }

    @Test("a ledger from before migration 8 migrates: its events keep their hashes and its distributions recompute",
          arguments: Backend.enabled)
    func migration(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.network(agents: ["cook"])
            try await ledger.addLot(id: "A", design: "D1", quantity: 40, measure: "box")
            try await ledger.addLot(id: "B", design: "D1", quantity: 20, measure: "box")
            try await ledger.giveToLot("cook", .work, "A", hours: "2")
            try await ledger.equation(Self.lotBucket)
            let before = try await ledger.distribute(sale: try await ledger.sellLot("A", 10, 10_000).id)
            try await database.transaction { s throws(LedgerError) in
                try await s.execute("DROP TABLE event_lots", [])
                try await s.execute("DELETE FROM schema_migrations WHERE version = 8", [])
            }
            let migrated = Ledger(store: try await SQLLedgerStore(database: database))
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 1, distributions: 1, problem: nil))
            #expect(try await migrated.store.distribution(sale: 1) == before)
            try await migrated.shareWork("cook", hours: "1", across: ["A", "B"])
            _ = try await migrated.distribute(sale: try await migrated.sellLot("B", 20, 10_000).id)
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 2, distributions: 2, problem: nil))
        }
    }
}

/// `contribute --lot A --lot B [--split 0.6,0.4]` as a user meets it.
@Suite("Work shared across lots over the CLI", .serialized)
struct SharedWorkCLITests {
    @Test("a round shared by command; every bad share is one error line and leaves the same dump")
    func byCommand() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-shared-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func ledger(_ arguments: [String]) throws -> CLI.Result { try CLI.run(["ledger"] + arguments + ["--ledger", path]) }
        for arguments in [["agent", "add", "--id", "sam", "--name", "Sam"],
                          ["agent", "add", "--id", "fund", "--name", "Fund", "--kind", "organization"],
                          ["project", "add", "--id", "p", "--currency", "CAD", "--fund", "fund"],
                          ["worktype", "set", "--project", "p", "--name", "delivery", "--rate", "20.00"],
                          ["design", "add", "--id", "dal"],
                          ["lot", "add", "--id", "A", "--design", "dal", "--quantity", "40", "--unit", "box"],
                          ["lot", "add", "--id", "B", "--design", "dal", "--quantity", "30", "--unit", "box"]] {
            let result = try ledger(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        let round = ["contribute", "work", "--project", "p", "--agent", "sam", "--hours", "3", "--work-type", "delivery",
                     "--date", "2026-04-14"]
        let shared = try ledger(round + ["--lot", "A", "--lot", "B", "--json"])
        #expect(shared.status == 0, "\(shared.stderr)")
        let event = try JSONDecoder().decode(ContributionEvent.self, from: Data(shared.stdout.utf8))
        #expect(event.lots == [LotSplit(lot: "A", weight: LedgerDecimal(4)), LotSplit(lot: "B", weight: LedgerDecimal(3))])
        let stated = try ledger(round + ["--lot", "A", "--lot", "B", "--split", "0.6,0.4", "--json"])
        #expect(stated.status == 0, "\(stated.stderr)")
        #expect(try JSONDecoder().decode(ContributionEvent.self, from: Data(stated.stdout.utf8)).lots
                == [LotSplit(lot: "A", weight: LedgerDecimal("0.6")!), LotSplit(lot: "B", weight: LedgerDecimal("0.4")!)])

        let dump = try ledger(["export", "--json"]).stdout
        let refusals: [([String], String)] = [
            (["--lot", "A", "--lot", "C"], "Error: lots: no lot 'C' (use `ledger lot add`)"),
            (["--lot", "A", "--lot", "A"], "Error: lots: 'A' is named twice"),
            (["--lot", "A", "--lot", "B", "--split", "0.6"], "Error: split: 1 weights for 2 lots; give one weight per lot, in their order"),
            (["--lot", "A", "--lot", "B", "--split", "0.6,x"],
             "Error: split: 'x' is not a decimal like 0.6 with at most 6 decimals and 12 digits"),
            (["--lot", "A", "--lot", "B", "--split", "0,1"], "Error: split: weight 0 must be greater than 0"),
            (["--lot", "A", "--split", "1"], "Error: split: weights go with two or more lots (--lot, repeated)"),
        ]
        for (options, message) in refusals {
            let result = try ledger(round + options)
            #expect(result.status == 1 && result.stderr == message + "\n", "\(options): \(result.stderr)")
        }
        #expect(try ledger(["export", "--json"]).stdout == dump)
        #expect(try ledger(["verify"]).stdout.hasPrefix("ledger intact: 2 events"))
    }
}
