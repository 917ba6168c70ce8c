import Benchmark
import Foundation
import Ledger

// Issue 18's scale: distributing one sale over a ledger of 100,000 events by 1,000 agents with 10,000 open claims,
// and `verify` of such a ledger, on SQLite; the same at 10,000 events (1,000 open claims) shows how both grow.
//
// A fixture: 1,000 agents; `events` contribution events appended in one transaction through the store (the chain is
// hashed as `contribute` would); one event in ten is material, which a debt bucket gathers, the rest `use` that no
// bucket gathers but every distribution still reads and filters; then one sale distributed, which creates a claim
// on every material event and pays each a little, so all of them stay open. Not timed: building the fixture.
// `distribute`: each iteration records the sale of a fresh unit (not timed) and times `Ledger.distribute`, which
// loads the project's events and claims, runs the engine, writes every claim it touched and chains the distribution.
// `verify`: `LedgerStore.verifyChain` on a fixture with that one distribution: the event chain re-hashed, the
// distribution chain checked and the distribution recomputed from the events.
let benchmarks: @Sendable () -> Void = {
    for events in [10_000, 100_000] {
        let label = "\(events / 1000)k events, \(events / 10 / 1000)k open claims, 1k agents"
        Benchmark("distribute one sale, \(label)",
                  configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
                                       maxDuration: .seconds(30), maxIterations: 20)) { benchmark in
            let fixture = try await Fixtures.shared.fixture(events: events, purpose: "distribute")
            let sale = try await fixture.nextSale()
            benchmark.startMeasurement()
            let distribution = try await fixture.ledger.distribute(sale: sale)
            benchmark.stopMeasurement()
            blackHole(distribution)
        }
        Benchmark("verify, \(label)",
                  configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
                                       maxDuration: .seconds(30), maxIterations: 10)) { benchmark in
            let fixture = try await Fixtures.shared.fixture(events: events, purpose: "verify")
            benchmark.startMeasurement()
            let report = try await fixture.ledger.store.verifyChain()
            benchmark.stopMeasurement()
            precondition(report.isIntact && report.events == events && report.recomputed == 1, "\(report)")
        }
    }
}

/// One ledger per (size, purpose), built on first use and kept for the benchmark's iterations.
actor Fixtures {
    static let shared = Fixtures()
    private var built: [String: LedgerFixture] = [:]

    func fixture(events: Int, purpose: String) async throws -> LedgerFixture {
        let key = "\(purpose)-\(events)"
        if let fixture = built[key] { return fixture }
        let fixture = try await LedgerFixture(events: events)
        built[key] = fixture
        return fixture
    }
}

final class LedgerFixture: Sendable {
    let ledger: Ledger
    private let units = Counter()
    static let agents = 1_000
    static let unitsRegistered = 64

    init(events: Int) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-\(UUID().uuidString).sqlite").path
        ledger = try await Ledger.open(path)
        for agent in 0..<Self.agents { try await ledger.addAgent(id: "a\(agent)", name: "Agent \(agent)", kind: .person) }
        try await ledger.addAgent(id: "co-op", name: "Co-op", kind: .organization)
        try await ledger.addAgent(id: "fund", name: "Fund", kind: .organization)
        try await ledger.addProject(id: "bench", name: "Benchmark", currency: "CAD", custodian: "co-op", fundAgent: "fund")
        try await ledger.addDesign(id: "d1", name: "Design", parent: nil)
        for unit in 0..<Self.unitsRegistered { try await ledger.registerUnit(serial: "u\(unit)", design: "d1") }
        let date = try LedgerDate("2026-01-10")
        let records = (0..<events).map { i in
            EventRecord(date: date, agent: "a\(i % Self.agents)", project: "bench", kind: i % 10 == 0 ? .material : .use,
                        value: 10_000 + Int64(i % 97))
        }
        _ = try await ledger.store.append(records)
        try await ledger.setEquation(json: Data("""
            {"format": "mosquito-value-equation/1", "project": "bench", "version": 1, "mode": "straight",
             "buckets": [{"id": "custodian", "percent": "5", "agent": "co-op"},
                         {"id": "materials", "percent": "80", "filter": {"kind": "contribution", "kinds": ["material"]},
                          "rules": [{"event": "material", "claim": "debt"}]}]}
            """.utf8))
        _ = try await ledger.distribute(sale: try await nextSale())
    }

    /// Records the sale of a unit not sold before: 100.00, of which 80.00 goes to the materials' debts.
    func nextSale() async throws -> Int64 {
        let unit = units.next()
        precondition(unit < Self.unitsRegistered, "register more units for this many iterations")
        let cad = try Currency("CAD")
        return try await ledger.recordSale(SaleDraft(project: "bench", unit: "u\(unit)", price: 10_000, currency: cad,
                                                     date: try LedgerDate("2026-06-01"), buyer: "bench")).id
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
