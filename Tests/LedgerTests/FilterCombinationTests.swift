import Foundation
@testable import Ledger
import Testing

/// Bucket filters that combine (issue 18 item 5): by product, date range, work type (the role the work was
/// done in) and contribution kind, `{"kind": "all", "of": [...]}`. One claim per (bucket, event) stays the rule.
@Suite("Combined bucket filters")
struct FilterCombinationTests {
    /// A kitchen's April: cook 10 h and packer 5 h on unit U1, the driver 5 h of delivery for no unit in particular;
    /// every rate 20.00. The drivers' bucket (10 %) is April's delivery work; the kitchen's (50 %) the unit's work.
    func kitchen(_ ledger: Ledger, drivers: String) async throws {
        try await ledger.network(agents: ["cook", "packer", "driver"])
        for name in ["cooking", "packing", "delivery"] { try await ledger.setWorkType(project: "p", name: name, rate: "20.00") }
        try await ledger.registerUnit(serial: "U1", design: "D1")
        for (agent, type, hours, unit, date) in [("cook", "cooking", "10", "U1", "2026-04-05"), ("packer", "packing", "5", "U1", "2026-04-06"),
                                                 ("driver", "delivery", "5", nil, "2026-04-07")] as [(String, String, String, String?, String)] {
            try await ledger.contribute(ContributionDraft(date: try LedgerDate(date), agent: agent, project: "p", kind: .work,
                                                          hours: LedgerDecimal(hours), workType: type, unit: unit))
        }
        try await ledger.equation("""
            {"id": "drivers", "percent": "10", "filter": \(drivers), "rules": [{"event": "work", "claim": "debt"}]},
            {"id": "kitchen", "percent": "50", "filter": {"kind": "unit"}, "rules": [{"event": "work", "claim": "debt"}]}
            """)
    }

    static let april = #"{"kind": "project_dates", "from": "2026-04-01", "to": "2026-04-30"}"#

    @Test("a drivers' bucket for April pays delivery work only; the cooks' and packer's work keeps one claim, in the kitchen's bucket",
          arguments: Backend.enabled)
    func driversOnly(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await kitchen(ledger, drivers: #"{"kind": "all", "of": [\#(Self.april), {"kind": "work_type", "names": ["delivery"]}]}"#)
            let d = try await ledger.distribute(sale: try await ledger.sell("U1", 100000).id)
            // drivers 100.00 → the driver's 100.00 debt; kitchen 500.00 → 200.00 + 100.00, the rest to the fund.
            #expect(d.perAgent == ["driver": 10000, "cook": 20000, "packer": 10000, "fund": 60000])
            let claims = try await ledger.store.claims(project: "p")
            #expect(claims.filter { $0.bucket == "drivers" }.map(\.agent) == ["driver"])
            #expect(claims.filter { $0.bucket == "kitchen" }.map(\.agent).sorted() == ["cook", "packer"])
            #expect(try await ledger.store.verifyChain() == ChainReport(events: 3, distributions: 1, recomputed: 1, problem: nil))
        }
        // The issue's complaint, as before: April's dates alone gather the cook's and packer's work a second time.
        try await withLedger(backend) { ledger, _ in
            try await kitchen(ledger, drivers: Self.april)
            _ = try await ledger.distribute(sale: try await ledger.sell("U1", 100000).id)
            #expect(try await ledger.store.claims(project: "p").filter { $0.bucket == "drivers" }.count == 3)
        }
    }

    @Test("design levels combined with a contribution kind: only materials on the lineage are paid, level by level",
          arguments: Backend.enabled)
    func designAndKind(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await ledger.network(agents: ["ana", "ben", "cleo"])
            try await ledger.addDesign(id: "D2", name: nil, parent: "D1")
            try await ledger.registerUnit(serial: "U2", design: "D2")
            try await ledger.give("ana", .material, value: 5000, design: "D1")
            try await ledger.give("ben", .work, hours: "3", design: "D2")
            try await ledger.give("cleo", .material, value: 2000, design: "D2")
            try await ledger.equation("""
                {"id": "parts", "percent": "100", "filter": {"kind": "all", "of": [
                   {"kind": "design", "lineage_weight": "0.5"}, {"kind": "contribution", "kinds": ["material"]}]},
                 "rules": [{"event": "material", "claim": "equity"}, {"event": "work", "claim": "equity"}]}
                """)
            let d = try await ledger.distribute(sale: try await ledger.sell("U2", 100000).id)
            #expect(d.perAgent == ["cleo": 50000, "ana": 50000])
            #expect(try await ledger.store.verifyChain().problem == nil)
        }
    }

    @Test("a filter naming an unknown work type, an empty or doubly-designed `all`, an unknown kind: one message naming the field, nothing stored",
          arguments: Backend.enabled)
    func refused(backend: Backend) async throws {
        try await withLedger(backend) { ledger, _ in
            try await kitchen(ledger, drivers: Self.april)
            let before = try await ledger.store.latestEquation(project: "p")
            let cases: [(String, String)] = [
                (#"{"kind": "all", "of": [\#(Self.april), {"kind": "work_type", "names": ["delivery", "driving"]}]}"#,
                 "value equation: bucket 'drivers': filter.of[1].names[1]: project 'p' has no work type 'driving'"),
                (#"{"kind": "work_type", "names": ["driving"]}"#,
                 "value equation: bucket 'drivers': filter.names[0]: project 'p' has no work type 'driving'"),
                (#"{"kind": "all", "of": []}"#, "value equation: bucket 'drivers': filter.of: an all filter combines at least one filter"),
                (#"{"kind": "work_type", "names": []}"#,
                 "value equation: bucket 'drivers': filter.names: a work_type filter names at least one work type"),
                (#"{"kind": "all", "of": [{"kind": "design"}, {"kind": "all", "of": [{"kind": "design"}]}]}"#,
                 "value equation: bucket 'drivers': filter.of: at most one design filter (it gives the lineage levels), found 2"),
                (#"{"kind": "contribution", "kinds": ["labour"]}"#,
                 "value equation: bucket 'drivers': filter.kinds[0]: unknown contribution kind 'labour' (work, material, cash, expense, use, cite)"),
            ]
            for (filter, message) in cases {
                let json = """
                    {"format": "mosquito-value-equation/1", "project": "p", "version": 2, "mode": "straight", "buckets": [
                     {"id": "drivers", "percent": "10", "filter": \(filter), "rules": [{"event": "work", "claim": "debt"}]}]}
                    """
                var refusal: String?
                do { _ = try await ledger.setEquation(json: Data(json.utf8)) } catch let error as LedgerError {
                    refusal = error.description
                }
                #expect(refusal == message)
                #expect(try await ledger.store.latestEquation(project: "p") == before)
            }
        }
    }
}

/// `mosquito ledger equation set` with a combined filter, as a user meets it.
@Suite("Combined bucket filters over the CLI", .serialized)
struct FilterCombinationCLITests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-filters-\(UUID().uuidString).sqlite").path

    func ledger(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["ledger"] + arguments + ["--ledger", path])
    }

    @Test("an unknown work type in an `all` filter: one error line naming the field, exit 1, the equation unchanged; a known one is stored")
    func unknownWorkType() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ledger(["demo"]).status == 0)
        let shown = try ledger(["equation", "show", "--project", "mosquito"]).stdout
        let file = URL(fileURLWithPath: path + ".json")
        defer { try? FileManager.default.removeItem(at: file) }
        func write(_ workType: String) throws {
            try Data("""
                {"format": "mosquito-value-equation/1", "project": "mosquito", "version": 2, "mode": "straight", "buckets": [
                 {"id": "eng", "percent": "50", "rules": [{"event": "work", "claim": "debt"}], "filter": {"kind": "all", "of": [
                   {"kind": "project_dates", "from": "2026-01-01"}, {"kind": "work_type", "names": ["\(workType)"]}]}}]}
                """.utf8).write(to: file)
        }
        try write("driving")
        let refused = try ledger(["equation", "set", "--file", file.path])
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: value equation: bucket 'eng': filter.of[1].names[0]: project 'mosquito' has no work type 'driving'\n")
        #expect(try ledger(["equation", "show", "--project", "mosquito"]).stdout == shown)
        #expect(try ledger(["verify"]).status == 0)
        let known = try ledger(["worktype", "set", "--project", "mosquito", "--name", "driving", "--rate", "30.00"])
        #expect(known.status == 0)
        #expect(try ledger(["equation", "set", "--file", file.path]).status == 0)
        #expect(try ledger(["equation", "show", "--project", "mosquito"]).stdout.contains(#""kind" : "work_type""#))
    }
}
