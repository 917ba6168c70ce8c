import Foundation
import Ledger
import Testing

/// A serial-numbered unit is sold once; reversing its sale (a return) makes it sellable again.
@Suite("A unit is sold once")
struct SaleOnceTests {
    static func alreadySold(_ unit: String, sale: Int64, on date: String) -> LedgerError {
        .duplicate("unit '\(unit)' is already sold (sale \(sale) on \(date)); a unit is sold once, "
                   + "unless that sale is reversed (`ledger sale reverse --sale \(sale)`)")
    }

    @Test("a second sale is refused and writes nothing; a reversal makes the unit sellable again, from its date on",
          arguments: Backend.enabled)
    func soldOnce(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()
            let first = try await ledger.sell("U1", 5000)
            await #expect(throws: Self.alreadySold("U1", sale: 1, on: "2026-06-01")) { _ = try await ledger.sell("U1", 6000) }
            await #expect(throws: Self.alreadySold("U1", sale: 1, on: "2026-06-01")) {
                _ = try await ledger.sell("U1", 6000, date: "2025-01-01")
            }
            #expect(try await ledger.store.sales(project: nil) == [first])

            await #expect(throws: LedgerError.invalid("a reversal cannot be dated before the sale it reverses (2026-06-01)")) {
                try await ledger.reverseSale(first.id, date: try LedgerDate("2026-05-31"), note: nil)
            }
            await #expect(throws: LedgerError.notFound("no sale 9")) {
                try await ledger.reverseSale(9, date: try LedgerDate("2026-06-10"), note: nil)
            }
            let reversal = try await ledger.reverseSale(first.id, date: try LedgerDate("2026-06-10"), note: "returned")
            #expect(reversal.sale == first.id && reversal.note == "returned" && !reversal.recordedAt.isEmpty)
            await #expect(throws: LedgerError.duplicate("sale 1 is already reversed (on 2026-06-10)")) {
                try await ledger.reverseSale(first.id, date: try LedgerDate("2026-06-11"), note: nil)
            }
            await #expect(throws: LedgerError.invalid("sale 1 was reversed on 2026-06-10; a reversed sale is not distributed")) {
                try await ledger.distribute(sale: first.id)
            }
            await #expect(throws: LedgerError.invalid(
                "unit 'U1' was sold until 2026-06-10, when sale 1 was reversed; a new sale of it cannot be dated before that")) {
                _ = try await ledger.sell("U1", 6000, date: "2026-06-09")
            }

            let second = try await ledger.sell("U1", 6000, date: "2026-06-10")
            #expect(try await ledger.distribute(sale: second.id).perAgent == ["a": 6000])
            await #expect(throws: Self.alreadySold("U1", sale: 2, on: "2026-06-10")) { _ = try await ledger.sell("U1", 7000, date: "2026-07-01") }
            let report = try await ledger.unitReport("U1")
            #expect(report.sales.map(\.reversal) == [reversal, nil])
            #expect(report.sales.map { $0.distribution != nil } == [false, true])
            #expect(try await ledger.projectReport("p").income == 6000)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 1, distributions: 1, problem: nil))
        }
    }

    @Test("a sale reversed after its distribution keeps it; the unit's next sale pays only what is still owed",
          arguments: Backend.enabled)
    func reversedAfterDistribution(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.oneUnitOwedToOneAgent()  // a is owed 100.00 on U1
            let first = try await ledger.sell("U1", 4000)
            let paid = try await ledger.distribute(sale: first.id)
            try await ledger.reverseSale(first.id, date: try LedgerDate("2026-06-20"), note: "returned, refurbished")
            #expect(try await ledger.store.distribution(sale: first.id) == paid)
            let again = try await ledger.distribute(sale: try await ledger.sell("U1", 9000, date: "2026-07-01").id)
            #expect(again.perAgent == ["a": 6000, "fund": 3000])
            #expect(try await ledger.store.claims(project: "p").map(\.balance) == [0])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 1, distributions: 2, problem: nil))
        }
    }

    @Test("two connections racing to sell the same units: each is sold exactly once", arguments: Backend.enabled)
    func racingSellers(backend: Backend) async throws {
        try await withTwoLedgers(backend) { first, second in
            try await first.network(agents: ["a"])
            let serials = (1...5).map { "U\($0)" }
            for serial in serials { try await first.registerUnit(serial: serial, design: "D1") }
            // Every unit is offered three times by each connection, all at once.
            let outcomes = await withTaskGroup(of: (String, LedgerError?).self) { group in
                for serial in serials {
                    for ledger in [first, second, first, second, first, second] {
                        group.addTask {
                            do throws(LedgerError) {
                                _ = try await ledger.recordSale(SaleDraft(
                                    project: "p", unit: serial, price: 1000, currency: try Currency("CAD"),
                                    date: try LedgerDate("2026-06-01"), buyer: "b"))
                                return (serial, nil)
                            } catch { return (serial, error) }
                        }
                    }
                }
                return await group.reduce(into: [(String, LedgerError?)]()) { $0.append($1) }
            }
            for serial in serials {
                let attempts = outcomes.filter { $0.0 == serial }
                #expect(attempts.filter { $0.1 == nil }.count == 1, "\(serial)")
                for case (_, let error?) in attempts {
                    guard case .duplicate(let message) = error else { Issue.record("\(serial): \(error)"); continue }
                    #expect(message.hasPrefix("unit '\(serial)' is already sold"))
                }
            }
            let sales = try await second.store.sales(project: nil)
            #expect(sales.count == serials.count && Set(sales.map(\.unit)) == Set(serials))
        }
    }

    @Test("over the CLI: a second sale is one error line; `sale reverse` frees the unit")
    func command() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-sold-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func ledger(_ arguments: String...) throws -> CLI.Result { try CLI.run(["ledger"] + arguments + ["--ledger", path]) }
        for arguments in [["agent", "add", "--id", "fund", "--name", "Fund"], ["project", "add", "--id", "p", "--currency", "CAD", "--fund", "fund"],
                          ["design", "add", "--id", "D1"], ["unit", "register", "--serial", "U1", "--design", "D1"]] {
            #expect(try CLI.run(["ledger"] + arguments + ["--ledger", path]).status == 0)
        }
        let sell = ["sale", "record", "--project", "p", "--unit", "U1", "--price", "100.00", "--currency", "CAD", "--buyer", "lab"]
        #expect(try CLI.run(["ledger"] + sell + ["--date", "2026-06-01", "--ledger", path]).status == 0)
        let twice = try CLI.run(["ledger"] + sell + ["--date", "2026-06-02", "--ledger", path])
        #expect(twice.status == 1)
        #expect(twice.stderr == "Error: \(Self.alreadySold("U1", sale: 1, on: "2026-06-01"))\n")
        let reversed = try ledger("sale", "reverse", "--sale", "1", "--date", "2026-06-05", "--note", "returned")
        #expect(reversed.status == 0 && reversed.stdout == "sale 1 reversed on 2026-06-05\n", "\(reversed.stderr)")
        let distribute = try ledger("distribute", "--sale", "1")
        #expect(distribute.status == 1 && distribute.stderr == "Error: sale 1 was reversed on 2026-06-05; a reversed sale is not distributed\n")
        #expect(try CLI.run(["ledger"] + sell + ["--date", "2026-06-05", "--ledger", path]).status == 0)
        let report = try ledger("report", "unit", "U1")
        #expect(report.stdout.contains("sale 1: reversed on 2026-06-05 (returned)") && report.stdout.contains("sale 2: not distributed yet"),
                "\(report.stdout)")
    }
}
