import Foundation
import Ledger
import Testing

/// Contributions, rates, claim rules, reports and exports, on every backend.
@Suite("Ledger operations")
struct LedgerOperationTests {
    @Test("work is valued at the agent's personal rate, else the work type's", arguments: Backend.enabled)
    func personalRate(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["ana", "ben"])
            try await ledger.setWorkType(project: "p", name: "eng", rate: "60.25", agent: "ana")
            #expect(try await ledger.give("ana", .work, hours: "2").value == 12050)
            #expect(try await ledger.give("ben", .work, hours: "2").value == 10000)
            let event = try #require(try await ledger.store.event(1))
            #expect(event.rate == LedgerDecimal("60.25") && event.hours == LedgerDecimal("2"))
        }
    }

    @Test("claim value = hours × rate × factor, rounded once; once claims are paid once", arguments: Backend.enabled)
    func factorAndOnce(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["ana", "ben"])
            try await ledger.setWorkType(project: "p", name: "eng", rate: "33.33")
            for serial in ["U1", "U2"] { try await ledger.registerUnit(serial: serial, design: "D1") }
            try await ledger.give("ana", .work, hours: "1.5", design: "D1")  // 49.995 → event 50.00
            try await ledger.give("ben", .cite, value: 1000, design: "D1")
            try await ledger.equation("""
                {"id": "d", "percent": "100", "filter": {"kind": "design"},
                 "rules": [{"event": "work", "claim": "equity", "factor": "1.5"}, {"event": "cite", "claim": "once"}]}
                """)
            let first = try await ledger.distribute(sale: try await ledger.sell("U1", 8499).id)
            let claims = try await ledger.store.claims(project: "p")
            // 1.5 × 33.33 × 1.5 = 74.9925 → 74.99 (not 50.00 × 1.5 = 75.00: rounded once).
            #expect(claims.first { $0.agent == "ana" }?.original == 7499)
            #expect(first.perAgent == ["ana": 7499, "ben": 1000])
            let second = try await ledger.distribute(sale: try await ledger.sell("U2", 8499).id)
            #expect(second.perAgent == ["ana": 8499])  // the once claim is spent
            #expect(try await ledger.store.claims(project: "p").first { $0.agent == "ben" }?.balance == 0)
        }
    }

    @Test("invalid contributions are refused and nothing is appended", arguments: Backend.enabled)
    func refusedContributions(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["ana"])
            await #expect(throws: LedgerError.notFound("no agent 'zoe'")) { try await ledger.give("zoe", .cash, value: 100) }
            await #expect(throws: LedgerError.invalid("work needs hours greater than 0")) {
                try await ledger.give("ana", .work, hours: "-1")
            }
            await #expect(throws: LedgerError.invalid("cash needs a value greater than 0")) {
                try await ledger.give("ana", .cash, value: 0)
            }
            await #expect(throws: LedgerError.notFound("no design 'D9'")) {
                try await ledger.give("ana", .cash, value: 100, design: "D9")
            }
            await #expect(throws: LedgerError.notFound("no unit 'U9'")) { try await ledger.give("ana", .cash, value: 100, unit: "U9") }
            await #expect(throws: LedgerError.duplicate("agent 'ana' already exists")) {
                try await ledger.addAgent(id: "ana", name: "Again", kind: .person)
            }
            await #expect(throws: LedgerError.notFound("no design 'D9' (use `ledger design add`)")) { try await ledger.registerUnit(serial: "U1", design: "D9") }
            #expect(try await ledger.store.events(project: nil).isEmpty)
            await #expect(throws: LedgerError.equation("bucket 'x': no agent 'nobody'")) {
                try await ledger.equation(#"{"id": "x", "percent": "5", "agent": "nobody"}"#)
            }
            try await ledger.equation(#"{"id": "x", "percent": "5", "agent": "ana"}"#)
            await #expect(throws: LedgerError.equation("version 1 is not newer than the current version 1")) {
                try await ledger.equation(#"{"id": "x", "percent": "6", "agent": "ana"}"#)
            }
            #expect(try await ledger.store.latestEquation(project: "p")?.buckets.first?.percent == LedgerDecimal(5))
        }
    }

    @Test("reports account for every cent and exports carry the same numbers", arguments: Backend.enabled)
    func reportsAndExports(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["ana", "ben"])
            try await ledger.registerUnit(serial: "U1", design: "D1")
            try await ledger.give("ana", .material, value: 3000, unit: "U1")
            try await ledger.contribute(ContributionDraft(date: try LedgerDate("2026-01-02"), agent: "ben", project: "p",
                                                          kind: .work, hours: LedgerDecimal("1"), workType: "eng",
                                                          design: "D1", note: "layout, \"rev A\""))
            try await ledger.equation("""
                {"id": "fee", "percent": "10", "agent": "custodian"},
                {"id": "u", "percent": "40", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]},
                {"id": "d", "percent": "40", "filter": {"kind": "design"}, "rules": [{"event": "work", "claim": "equity"}]}
                """)
            let sale = try await ledger.sell("U1", 10000)
            let d = try await ledger.distribute(sale: sale.id)
            #expect(d.perAgent == ["custodian": 1000, "ana": 3000, "ben": 5000, "fund": 1000])

            let ben = try await ledger.agentReport("ben")
            #expect(ben.totals == ["CAD": 5000] && ben.contributed == ["CAD": 5000])
            let ana = try await ledger.agentReport("ana")
            #expect(ana.outstandingClaims.isEmpty && ana.totals == ["CAD": 3000])
            let unit = try await ledger.unitReport("U1")
            #expect(unit.sales.first?.distribution?.payments.map(\.amount).reduce(0, +) == 8000)
            #expect(Set(unit.sales.first?.events.map(\.agent) ?? []) == ["ana", "ben"])
            let project = try await ledger.projectReport("p")
            #expect(project.perAgent.reduce(0) { $0 + $1.amount } == 10000 && project.income == 10000)

            let lines = try await ledger.exportCSV(.lines).split(separator: "\n")
            #expect(lines.first == "sale,project,bucket,agent,amount,currency,equation_version")
            #expect(lines.contains("1,p,d,ben,50.00,CAD,1") && lines.contains("1,p,network-fund,fund,10.00,CAD,1"))
            #expect(try await ledger.exportCSV(.events).contains("\"layout, \"\"rev A\"\"\""))
            let vf = try await ledger.exportValueFlows()
            let document = try #require(try JSONSerialization.jsonObject(with: Data(vf.utf8)) as? [String: Any])
            let events = try #require(document["economicEvents"] as? [[String: Any]])
            // Contributions (produce, work, cash), the sale's one line (a transfer to the buyer) and the distribution's lines.
            #expect(events.compactMap { $0["action"] as? String }.sorted() == ["produce", "transfer", "transfer", "transfer", "transfer", "transfer", "work"])
            #expect(events.filter { $0["realizationOf"] as? String == "sale:1" && $0["receiver"] == nil }.count == 1)
            #expect((document["claims"] as? [[String: Any]])?.count == 2)
        }
    }
}
