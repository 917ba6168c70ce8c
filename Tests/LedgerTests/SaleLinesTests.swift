import Foundation
@testable import Ledger
import Testing

extension Ledger {
    func sellLines(_ lines: [SaleLine], date: String = "2026-06-01") async throws -> Sale {
        try await recordSale(SaleDraft(project: "p", lines: lines, currency: try Currency("CAD"), date: try LedgerDate(date),
                                       buyer: "lab"))
    }
}

/// Sales of several lines (issue 18, "Sales with lines"): product-filtered buckets pay each line by its price over
/// that line's product; the other buckets apply once to the whole sale.
@Suite("Sales of several lines")
struct SaleLinesTests {
    /// ana is owed 100.00 on unit U1, the cook 80.00 on lot dal (40 boxes), ben 50.00 of cash to the project.
    static func network(_ ledger: Ledger) async throws {
        try await ledger.network(agents: ["ana", "ben", "cook"])
        try await ledger.registerUnit(serial: "U1", design: "D1")
        try await ledger.registerUnit(serial: "U2", design: "D1")
        try await ledger.addLot(id: "dal", design: "D1", quantity: 40, measure: "box")
        try await ledger.give("ana", .material, value: 10000, unit: "U1")
        try await ledger.giveToLot("cook", .material, "dal", value: 8000)
        try await ledger.give("ben", .cash, value: 5000)
        try await ledger.equation("""
            {"id": "fee", "percent": "5", "agent": "custodian"},
            {"id": "product", "percent": "70", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]},
            {"id": "network", "percent": "10", "filter": {"kind": "contribution", "kinds": ["cash"]},
             "rules": [{"event": "cash", "claim": "debt"}]}
            """)
    }

    @Test("a unit and part of a lot in one sale: the product bucket splits 3 : 1 by price, each line pays its own product",
          arguments: Backend.enabled)
    func twoLines(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await Self.network(ledger)
            let sale = try await ledger.sellLines([SaleLine(unit: "U1", price: 30000), SaleLine(unit: "dal", quantity: 10, price: 10000)])
            #expect(sale.price == 40000 && sale.unit == "U1" && sale.quantity == nil && sale.lines?.count == 2)
            #expect(try await ledger.store.sale(sale.id) == sale)
            // 400.00: fee 20.00, product 280.00 (U1's line 210.00, dal's 70.00), network 40.00, unallocated 60.00.
            // U1's line pays ana's whole 100.00; dal's pays the cook ⌈80.00 × 10/40⌉ = 20.00; the 160.00 left carries
            // to the network bucket, which pays ben's 50.00, and the rest is the fund's.
            let d = try await ledger.distribute(sale: sale.id)
            #expect(d.lines == [DistributionLine(bucket: "fee", agent: "custodian", amount: 2000),
                                DistributionLine(bucket: "product", agent: "ana", amount: 10000),
                                DistributionLine(bucket: "product", agent: "cook", amount: 2000),
                                DistributionLine(bucket: "network", agent: "ben", amount: 5000),
                                DistributionLine(bucket: nil, agent: "fund", amount: 21000)])
            await #expect(throws: SaleOnceTests.alreadySold("U1", sale: 1, on: "2026-06-01")) { _ = try await ledger.sell("U1", 100) }
            #expect(try await ledger.lotStock("dal").sold == 10)
            #expect(try await ledger.unitReport("dal").sales.map(\.sale) == [sale])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 3, distributions: 1, problem: nil))

            try await ledger.reverseSale(sale.id, date: try LedgerDate("2026-06-02"), note: "returned")
            #expect(try await ledger.lotStock("dal").available == 40)
            _ = try await ledger.sell("U1", 100, date: "2026-06-03")
        }
    }

    @Test("bad lines: one error naming the line, nothing recorded", arguments: Backend.enabled)
    func badLines(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await Self.network(ledger)
            let sold = try await ledger.sell("U2", 100)
            let refusals: [(LedgerError, [SaleLine])] = [
                (.invalid("a sale with lines has at least two; sell one product with --unit, or --lot and --quantity"),
                 [SaleLine(unit: "U1", price: 100)]),
                (.invalid("line 2: 'U1' is already in line 1; one line per product"),
                 [SaleLine(unit: "U1", price: 100), SaleLine(unit: "U1", price: 100)]),
                (.notFound("line 2: no unit 'U9'"), [SaleLine(unit: "U1", price: 100), SaleLine(unit: "U9", price: 100)]),
                (.notFound("line 2: no lot 'rice'"), [SaleLine(unit: "U1", price: 100), SaleLine(unit: "rice", quantity: 1, price: 100)]),
                (.invalid("line 2: quantity 0 must be a whole number greater than 0"),
                 [SaleLine(unit: "U1", price: 100), SaleLine(unit: "dal", quantity: 0, price: 100)]),
                (.invalid("line 2: quantity: lot 'dal' holds 40 box (40 produced, 0 sold, 0 written off); cannot sell 41"),
                 [SaleLine(unit: "U1", price: 100), SaleLine(unit: "dal", quantity: 41, price: 100)]),
                (.invalid("line 1: quantity: 'dal' is a lot; say how much of it is sold (--quantity, in box)"),
                 [SaleLine(unit: "dal", price: 100), SaleLine(unit: "U1", price: 100)]),
                (.invalid("line 2: quantity: 'U1' is a serial-numbered unit, sold whole; give no quantity"),
                 [SaleLine(unit: "dal", quantity: 1, price: 100), SaleLine(unit: "U1", quantity: 1, price: 100)]),
                (SaleOnceTests.alreadySold("U2", sale: 1, on: "2026-06-01").prefixed("line 2: "),
                 [SaleLine(unit: "U1", price: 100), SaleLine(unit: "U2", price: 100)]),
                (.invalid("line 1: price must not be negative"), [SaleLine(unit: "U1", price: -1), SaleLine(unit: "U2", price: 100)]),
                (.invalid("line 2 price is beyond the maximum amount, 10000000000000.00 CAD (10^15 minor units)"),
                 [SaleLine(unit: "U1", price: 1), SaleLine(unit: "dal", quantity: 1, price: AmountLimit.maximum + 1)]),
                (.invalid("price (the lines' total) is beyond the maximum amount, 10000000000000.00 CAD (10^15 minor units)"),
                 [SaleLine(unit: "U1", price: AmountLimit.maximum), SaleLine(unit: "dal", quantity: 1, price: 1)]),
            ]
            for (expected, lines) in refusals {
                await #expect(throws: expected, "\(lines)") { _ = try await ledger.sellLines(lines) }
            }
            #expect(try await ledger.store.sales(project: nil) == [sold])
            #expect(try await ledger.lotStock("dal").available == 40)
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 3, problem: nil))
        }
    }
}

/// `sale record --line` as a user meets it.
@Suite("Sales of several lines over the CLI", .serialized)
struct SaleLinesCLITests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-lines-\(UUID().uuidString).sqlite").path

    func ledger(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["ledger"] + arguments + ["--ledger", path])
    }

    @Test("a sale of a unit and part of a lot by command; malformed lines are one error line and record nothing")
    func linesByCommand() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let opened = try await Ledger.open(path)
        try await SaleLinesTests.network(opened)
        await opened.close()
        let record = ["sale", "record", "--project", "p", "--currency", "CAD", "--buyer", "lab", "--date", "2026-06-01"]
        let refusals: [([String], String)] = [
            (["--line", "U1"], "Error: line 1 'U1' is not UNIT=PRICE or LOT:QUANTITY=PRICE"),
            (["--line", "U1=1.00", "--line", "dal:x=1.00"],
             "Error: line 2: quantity 'x' is not a whole number like 24 (count in a smaller unit: g instead of kg)"),
            (["--line", "U1=1.00", "--line", "dal:2=1.001"], "Error: line 2 price '1.001' has more decimals than CAD has (2)"),
            (["--line", "U1=1.00", "--line", "dal:41=1.00"],
             "Error: line 2: quantity: lot 'dal' holds 40 box (40 produced, 0 sold, 0 written off); cannot sell 41"),
            (["--line", "U1=1.00", "--unit", "U2"],
             "Error: a sale of lines gives every product with --line, without --unit, --lot, --quantity or --price"),
            (["--unit", "U1"], "Error: price: a sale needs --price (or --line for each product)"),
        ]
        for (options, message) in refusals {
            let result = try ledger(record + options)
            #expect(result.status == 1 && result.stderr == message + "\n", "\(options): \(result.stderr)")
        }
        // One sale, one currency: lines in euros for a project in dollars are refused whole.
        let euros = try ledger(["sale", "record", "--project", "p", "--currency", "EUR", "--buyer", "lab", "--date", "2026-06-01",
                                "--line", "U1=1.00", "--line", "dal:2=1.00"])
        #expect(euros.status == 1 && euros.stderr == "Error: sale currency EUR does not match the project's currency CAD\n", "\(euros.stderr)")
        #expect(try ledger(["export", "--table", "lines"]).stdout.split(separator: "\n").count == 1)
        let recorded = try ledger(record + ["--line", "U1=300.00", "--line", "dal:10=100.00"])
        #expect(recorded.status == 0 && recorded.stdout == "sale 1 recorded: 2 lines for 400.00 CAD\n", "\(recorded.stderr)")
        let distributed = try ledger(["distribute", "--sale", "1", "--json"])
        #expect(distributed.status == 0 && distributed.stdout.contains("\"amount\" : 21000"), "\(distributed.stdout)")
        #expect(try ledger(["verify"]).status == 0)
    }
}
