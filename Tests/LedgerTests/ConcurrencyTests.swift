import Ledger
import Testing

@Suite("Concurrent writers")
struct ConcurrencyTests {
    @Test("two connections distributing sales that share one debt never overpay it", arguments: Backend.enabled)
    func sharedDebt(backend: Backend) async throws {
        try await withTwoLedgers(backend) { first, second in
            try await first.network(agents: ["lender"])
            let serials = (1...6).map { "U\($0)" }
            for serial in serials { try await first.registerUnit(serial: serial, design: "D1") }
            try await first.give("lender", .cash, value: 25000)
            try await first.equation("""
                {"id": "tooling", "percent": "50", "filter": {"kind": "project_dates"}, "rules": [{"event": "cash", "claim": "debt"}]}
                """)
            var sales = [Int64]()
            for serial in serials { sales.append(try await first.sell(serial, 20000).id) }
            // Every sale is attempted from both connections at once: each is distributed exactly once.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for sale in sales {
                    for ledger in [first, second] {
                        group.addTask { (try? await ledger.distribute(sale: sale)) != nil }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == sales.count)
            var paid: Int64 = 0
            for sale in sales {
                let d = try #require(try await second.store.distribution(sale: sale))
                #expect(d.total == 20000)
                paid += d.amount("tooling", "lender")
            }
            #expect(paid == 25000)
            #expect(try await first.store.claims(project: "p").map(\.balance) == [0])
            // The interleaved writers still left one unbroken distribution chain that replays exactly.
            #expect(try await second.store.verifyChain() == ChainReport(events: 1, distributions: sales.count, problem: nil))
        }
    }
}
