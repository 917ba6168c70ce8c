import Foundation
@testable import Ledger
import Testing

/// The maximum amount and checked sums, as a user meets them: through the `mosquito ledger` commands.
@Suite("Maximum amount over the CLI", .serialized)
struct AmountLimitCLITests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-limits-\(UUID().uuidString).sqlite").path
    static let int64Max = "92233720368547758.07", int64Min = "-92233720368547758.08"
    static let huge = "1" + String(repeating: "0", count: 40) + ".00"
    static let beyond = " is beyond the maximum amount, 10000000000000.00 CAD (10^15 minor units)"

    func ledger(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["ledger"] + arguments + ["--ledger", path])
    }

    func expectOneLineError(_ result: CLI.Result, containing text: String, _ what: String) {
        #expect(result.status == 1, "\(what): exit \(result.status)")
        #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(text) && result.stderr.split(separator: "\n").count == 1,
                "\(what): \(result.stderr)")
    }

    /// Agent ana, project p (CAD, fund "fund"), design D1.
    func seed() async throws {
        let ledger = try await Ledger.open(path)
        try await ledger.addAgent(id: "ana", name: "Ana", kind: .person)
        try await ledger.addAgent(id: "fund", name: "Fund", kind: .organization)
        try await ledger.addProject(id: "p", name: "P", currency: "CAD", custodian: nil, fundAgent: "fund")
        try await ledger.addDesign(id: "D1", name: nil, parent: nil)
        try await ledger.setWorkType(project: "p", name: "eng", rate: "50.00")
        await ledger.close()
    }

    /// A valid ledger no single amount of which is out of bounds, yet whose sums are beyond Int64: `count`
    /// contributions by ana and `count` sales, each at the maximum. Appended in one transaction with a correct
    /// hash chain, so `verify` finds it intact.
    func seedAtTheMaximum(_ count: Int) async throws {
        try await seed()
        let database = try SQLiteDatabase(path: path)
        try await database.transaction { s throws(LedgerError) in
            var previous = HashChain.genesis
            for seq in Int64(1)...Int64(count) {
                let record = EventRecord(date: try LedgerDate("2026-01-10"), agent: "ana", project: "p", kind: .cash, hours: nil,
                                         workType: nil, rate: nil, value: AmountLimit.maximum, design: nil, unit: nil, note: nil,
                                         reverses: nil, recordedAt: "2026-01-10T00:00:00Z")
                let hash = HashChain.hash(seq: seq, record: record, previous: previous)
                try await s.execute("INSERT INTO events (\(Rows.events.list)) VALUES (?, ?, 'ana', 'p', 'cash', NULL, NULL, NULL, ?, NULL, NULL, NULL, NULL, ?, ?, ?, NULL, NULL, NULL, NULL)",
                                    [.integer(seq), .text("2026-01-10"), .integer(AmountLimit.maximum), .text(record.recordedAt),
                                     .text(previous), .text(hash)])
                try await s.execute("INSERT INTO units (serial, design) VALUES (?, 'D1')", [.text("U\(seq)")])
                try await s.execute("INSERT INTO sales (\(Rows.sales.list)) VALUES (?, 'p', ?, ?, 'CAD', '2026-02-01', 'b', 0, NULL)",
                                    [.integer(seq), .text("U\(seq)"), .integer(AmountLimit.maximum)])
                previous = hash
            }
            try await s.execute("INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?)", [.integer(Int64(count)), .text(previous)])
        }
        await database.close()
    }

    @Test("reports over amounts that each fit but together pass Int64: one error line naming the sum, not a crash")
    func reportSumsBeyondInt64() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 9,224 × 10^15 > Int64.max; 9,223 of them still fit.
        try await seedAtTheMaximum(9224)
        let verify = try ledger(["verify"])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ledger intact: 9224 events"), "\(verify.stdout)\(verify.stderr)")
        expectOneLineError(try ledger(["report", "agent", "ana"]),
                           containing: "what 'ana' contributed in CAD exceeds 9223372036854775807 minor units", "report agent")
        expectOneLineError(try ledger(["report", "project", "p"]),
                           containing: "the income of project 'p' exceeds 9223372036854775807 minor units", "report project")
        expectOneLineError(try ledger(["report", "agent", "ana", "--json"]), containing: "exceeds", "report agent --json")
    }

    enum Outcome { case ok, error(String) }

    /// Every numeric option of every ledger command × 0, -1, the maximum, one more, Int64's extremes and huge
    /// or malformed numbers: accepted, or refused with one line naming the option's field, and nothing written.
    @Test("every numeric option × its extremes")
    func numericOptionsSweep() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await seed()
        let network = try await Ledger.open(path)
        for serial in 1...40 { try await network.registerUnit(serial: "S\(serial)", design: "D1") }
        await network.close()
        var units = 0
        func unit() -> String { units += 1; return "S\(units)" }
        let amountCases: [(String, (String) -> Outcome)] = [
            ("0", { _ in .ok }), ("-1", { _ in .ok }), ("10000000000000.00", { _ in .ok }),
            ("10000000000000.01", { .error("\($0)\(Self.beyond)") }), (Self.int64Max, { .error("\($0)\(Self.beyond)") }),
            (Self.int64Min, { .error("\($0)\(Self.beyond)") }), (Self.huge, { .error("\($0)\(Self.beyond)") }),
            ("0.001", { .error("\($0) '0.001' has more decimals than CAD has (2)") }),
            ("1e3", { .error("\($0) '1e3' is not an amount like 12.50") }),
        ]
        var cases = [(arguments: [String], outcome: Outcome)]()
        for (text, outcome) in amountCases {
            let value: Outcome = switch text {
            case "0", "-1": .error("cash needs a value greater than 0")
            default: outcome("value")
            }
            cases.append((["contribute", "cash", "--project", "p", "--agent", "ana", "--value=\(text)"], value))
            let price: Outcome = text == "-1" ? .error("price must not be negative") : outcome("price")
            cases.append((["sale", "record", "--project", "p", "--unit", unit(), "--currency", "CAD", "--buyer", "b",
                           "--price=\(text)"], price))
            let costs: Outcome = text == "-1" ? .error("direct costs must be between 0 and the price") : outcome("direct costs")
            cases.append((["sale", "record", "--project", "p", "--unit", unit(), "--currency", "CAD", "--buyer", "b",
                           "--price=10000000000000.00", "--direct-costs=\(text)"], costs))
        }
        let decimalError = { (field: String, text: String) in "\(field) '\(text)' is not " }
        for text in ["0", "-1", "200000000000", "200000000001", "9223372036854775807", "-9223372036854775808",
                     "0.0000001", "1" + String(repeating: "0", count: 40), "1e3"] {
            let outcome: Outcome = switch text {
            case "0", "-1": .error("work needs hours greater than 0")
            case "200000000000": .ok
            case "200000000001": .error("work value (hours × rate)\(Self.beyond)")
            default: .error(decimalError("hours", text) + "a decimal like 1.5 with at most 6 decimals and 12 digits")
            }
            cases.append((["contribute", "work", "--project", "p", "--agent", "ana", "--work-type", "eng", "--hours=\(text)"], outcome))
        }
        for text in ["0", "-1", "1000000000000", "1000000000001", "9223372036854775807", "-9223372036854775808", "0.0000001"] {
            let outcome: Outcome = ["0", "1000000000000"].contains(text)
                ? .ok : .error(decimalError("rate", text) + "a non-negative decimal like 25.00 with at most 6 decimals and 12 digits")
            cases.append((["worktype", "set", "--project", "p", "--name", "other", "--rate=\(text)"], outcome))
        }
        for text in ["0", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "1e3", "12abc"] {
            for (command, option, noun) in [(["reverse"], "--event", "event"), (["distribute"], "--sale", "sale"),
                                            (["sale", "reverse"], "--sale", "sale")] {
                let outcome: Outcome = Int64(text) != nil
                    ? .error("no \(noun) \(text)") : .error("\(option) '\(text)' is not a record number like 12")
                cases.append((command + ["\(option)=\(text)"], outcome))
            }
        }
        var accepted = (events: 0, sales: 0)
        for (arguments, outcome) in cases {
            let result = try ledger(arguments)
            switch outcome {
            case .ok:
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                if arguments.first == "contribute" { accepted.events += 1 }
                if arguments.first == "sale" { accepted.sales += 1 }
            case .error(let text):
                expectOneLineError(result, containing: text, "\(arguments)")
            }
        }
        let ledger = try await Ledger.open(path)
        #expect(try await ledger.store.events(project: nil).count == accepted.events)
        #expect(try await ledger.store.sales(project: nil).count == accepted.sales)
        #expect(try await ledger.store.workType(project: "p", name: "other")?.rate == LedgerDecimal("1000000000000"))
        await ledger.close()
    }

    /// The equation file's numbers, by `equation check`: the same one-line refusals.
    @Test("every numeric field of the value equation × its extremes")
    func equationNumbersSweep() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await seed()
        let file = path + ".json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        func equation(version: String = "1", percent: String = "\"50\"", factor: String = "\"1\"", weight: String = "\"0.25\"") -> String {
            """
            {"format": "mosquito-value-equation/1", "project": "p", "version": \(version), "mode": "straight", "buckets": [
              {"id": "d", "percent": \(percent), "filter": {"kind": "design", "lineage_weight": \(weight)},
               "rules": [{"event": "work", "claim": "equity", "factor": \(factor)}]}]}
            """
        }
        let notDecimal = "is not a decimal number like"
        let cases: [(String, Outcome)] = [
            (equation(percent: #""0""#), .error("bucket 'd': percent 0 is not in (0, 100]")),
            (equation(percent: #""-1""#), .error("bucket 'd': percent -1 is not in (0, 100]")),
            (equation(percent: #""100""#), .ok),
            (equation(percent: #""100.000001""#), .error("bucket 'd': percent 100.000001 is not in (0, 100]")),
            (equation(percent: #""9223372036854775807""#), .error("bucket 'd': percent: '9223372036854775807' \(notDecimal)")),
            (equation(percent: #""-9223372036854775808""#), .error("bucket 'd': percent: '-9223372036854775808' \(notDecimal)")),
            (equation(percent: #""1e3""#), .error("bucket 'd': percent: '1e3' \(notDecimal)")),
            (equation(percent: "50"), .error("bucket 'd': wrong type at percent: expected String (write decimals as strings")),
            (equation(factor: #""0""#), .error("bucket 'd': factor 0 must be positive")),
            (equation(factor: #""-1""#), .error("bucket 'd': factor -1 must be positive")),
            (equation(factor: #""1000000000000""#), .ok),
            (equation(factor: #""9223372036854775807""#), .error("bucket 'd': rules[0].factor: '9223372036854775807' \(notDecimal)")),
            (equation(weight: #""0""#), .ok), (equation(weight: #""0.99""#), .ok),
            (equation(weight: #""-1""#), .error("bucket 'd': lineage_weight -1 must be in [0, 1) with at most 2 decimals")),
            (equation(weight: #""1""#), .error("bucket 'd': lineage_weight 1 must be in [0, 1) with at most 2 decimals")),
            (equation(weight: #""0.001""#), .error("bucket 'd': lineage_weight 0.001 must be in [0, 1) with at most 2 decimals")),
            (equation(weight: #""9223372036854775807""#), .error("bucket 'd': filter.lineage_weight: '9223372036854775807' \(notDecimal)")),
            (equation(version: "0"), .error("version must be 1 or more")),
            (equation(version: "-1"), .error("version must be 1 or more")),
            (equation(version: "-9223372036854775808"), .error("version must be 1 or more")),
            (equation(version: "9223372036854775807"), .ok),
            (equation(version: "9223372036854775808"), .error("value equation: version: must be a whole number from 1 to 9223372036854775807")),
            (equation(version: "1.5"), .error("value equation: version: must be a whole number from 1 to 9223372036854775807")),
            (equation(version: "\"1\""), .error("value equation: wrong type at version: expected Int64")),
        ]
        for (text, outcome) in cases {
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let result = try ledger(["equation", "check", "--file", file])
            switch outcome {
            case .ok: #expect(result.status == 0, "\(text): \(result.stderr)")
            case .error(let message): expectOneLineError(result, containing: message, text)
            }
        }
    }
}
