import Foundation
import Ledger
import Testing

/// Contributions with a resource quantity (12 kg, 3 h) and gifts that create no claim (issue 18, "Quantities on
/// events"), on SQLite and PostgreSQL, and a ledger from before they existed.
@Suite("Gifts and quantities on contributions")
struct GiftAndQuantityTests {
    static func kilos(_ text: String) -> EventQuantity { EventQuantity(amount: LedgerDecimal(text)!, measure: "kg") }

    @Test("a gift is recorded with its quantity and no value, and no bucket pays it; a reversal negates the quantity",
          arguments: Backend.enabled)
    func giftCreatesNoClaim(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()  // a is owed 100.00 on U1 by a unit bucket paying material
            try await ledger.addAgent(id: "farm", name: "Farm", kind: .organization)
            let date = try LedgerDate("2026-01-11")
            let donated = try await ledger.contribute(ContributionDraft(
                date: date, agent: "farm", project: "p", kind: .material, unit: "U1", note: "herbs", quantity: Self.kilos("0.5"),
                gift: true))
            #expect(donated.value == 0 && donated.gift && donated.quantity == Self.kilos("0.5"))
            // A gift with a value is still a gift: recorded, never claimed.
            let valued = try await ledger.contribute(ContributionDraft(
                date: date, agent: "farm", project: "p", kind: .material, value: 5000, unit: "U1", gift: true))
            let bought = try await ledger.contribute(ContributionDraft(
                date: date, agent: "farm", project: "p", kind: .material, value: 2000, unit: "U1", quantity: Self.kilos("12")))
            #expect(try await ledger.store.event(bought.id)?.quantity == Self.kilos("12"))
            let d = try await ledger.distribute(sale: try await ledger.sell("U1", 50000).id)
            #expect(d.perAgent == ["a": 10000, "farm": 2000, "fund": 38000])
            #expect(try await ledger.store.claims(project: "p").map(\.event).sorted() == [1, bought.id])
            let reversal = try await ledger.reverse(event: valued.id, date: date, note: nil)
            #expect(reversal.gift && reversal.value == -5000)
            let reversedQuantity = try await ledger.reverse(event: bought.id, date: date, note: nil)
            #expect(reversedQuantity.quantity == Self.kilos("-12"))
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 6, distributions: 1, problem: nil))
        }
    }

    @Test("bad quantities and valueless non-gifts are refused naming the field, nothing written", arguments: Backend.enabled)
    func badInput(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()
            let date = try LedgerDate("2026-01-11")
            func give(_ quantity: EventQuantity?, value: Int64? = 100, gift: Bool = false) async throws {
                try await ledger.contribute(ContributionDraft(date: date, agent: "a", project: "p", kind: .material, value: value,
                                                              quantity: quantity, gift: gift))
            }
            await #expect(throws: LedgerError.invalid("unit of measure 'stone' is not one of one, box, portion, kg, g, l, ml, h")) {
                try await give(EventQuantity(amount: LedgerDecimal(1), measure: "stone"))
            }
            await #expect(throws: LedgerError.invalid("quantity -2 must be greater than 0")) { try await give(Self.kilos("-2")) }
            await #expect(throws: LedgerError.invalid("quantity 0 must be greater than 0")) { try await give(Self.kilos("0")) }
            await #expect(throws: LedgerError.invalid("material needs a value greater than 0")) {
                try await give(Self.kilos("2"), value: 0)
            }
            await #expect(throws: LedgerError.invalid("material needs a value greater than 0")) {
                try await give(nil, value: -1, gift: true)
            }
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 1, problem: nil))
        }
    }

    @Test("a ledger from before migration 7 migrates: its events keep their hashes and its distributions recompute",
          arguments: Backend.enabled)
    func migration(backend: Backend) async throws {
        try await withLedger(backend) { ledger, database in
            try await ledger.oneUnitOwedToOneAgent()
            let before = try await ledger.distribute(sale: try await ledger.sell("U1", 4000).id)
            try await database.transaction { s throws(LedgerError) in
                for column in ["quantity", "quantity_unit", "gift"] {
                    try await s.execute("ALTER TABLE events DROP COLUMN \(column)", [])
                }
                try await s.execute("DELETE FROM schema_migrations WHERE version = 7", [])
            }
            let migrated = Ledger(store: try await SQLLedgerStore(database: database))
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 1, distributions: 1, problem: nil))
            #expect(try await migrated.store.distribution(sale: 1) == before)
            try await migrated.contribute(ContributionDraft(date: try LedgerDate("2026-07-01"), agent: "a", project: "p",
                                                            kind: .material, unit: "U1", quantity: Self.kilos("1"), gift: true))
            #expect(try await migrated.store.verifyChain() == ChainReport(events: 2, distributions: 1, problem: nil))
        }
    }
}

/// `contribute --quantity --measure --gift` as a user meets them.
@Suite("Gifts and quantities over the CLI", .serialized)
struct GiftAndQuantityCLITests {
    @Test("a gift of 0.5 kg by command; a quantity without its measure, or not a number, is one error line")
    func byCommand() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-gift-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func ledger(_ arguments: [String]) throws -> CLI.Result { try CLI.run(["ledger"] + arguments + ["--ledger", path]) }
        for arguments in [["agent", "add", "--id", "farm", "--name", "Farm"],
                          ["agent", "add", "--id", "fund", "--name", "Fund", "--kind", "organization"],
                          ["project", "add", "--id", "p", "--currency", "CAD", "--fund", "fund"]] {
            #expect(try ledger(arguments).status == 0)
        }
        let contribute = ["contribute", "material", "--project", "p", "--agent", "farm", "--date", "2026-04-19"]
        let refusals: [([String], String)] = [
            (["--quantity", "2", "--value", "1.00"], "Error: quantity: give both --quantity and --measure (one, box, portion, kg, g, l, ml, h)"),
            (["--quantity", "two", "--measure", "kg", "--value", "1.00"],
             "Error: quantity 'two' is not a decimal like 12.5 with at most 6 decimals and 12 digits"),
            (["--quantity", "2", "--measure", "stone", "--value", "1.00"],
             "Error: unit of measure 'stone' is not one of one, box, portion, kg, g, l, ml, h"),
            (["--quantity", "2", "--measure", "kg"], "Error: material needs a value greater than 0"),
        ]
        for (options, message) in refusals {
            let result = try ledger(contribute + options)
            #expect(result.status == 1 && result.stderr == message + "\n", "\(options): \(result.stderr)")
        }
        let gift = try ledger(contribute + ["--quantity", "0.5", "--measure", "kg", "--gift", "--note", "coriander", "--json"])
        #expect(gift.status == 0, "\(gift.stderr)")
        let event = try JSONDecoder().decode(ContributionEvent.self, from: Data(gift.stdout.utf8))
        #expect(event.id == 1 && event.gift && event.value == 0 && event.quantity == EventQuantity(amount: LedgerDecimal("0.5")!, measure: "kg"))
        #expect(try ledger(["verify"]).stdout.hasPrefix("ledger intact: 1 events"))
    }
}
