import Foundation
import TestSupport
import Ledger
import Testing

/// Runs the built `mosquito` binary as a user would.
struct CLI {
    static let binary = TestEnvironment.mosquito

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("mosquito ledger CLI", .serialized)
struct CLITests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-cli-\(UUID().uuidString).sqlite").path

    func ledger(_ arguments: String...) throws -> CLI.Result {
        try CLI.run(["ledger"] + arguments + ["--ledger", path])
    }

    func seed() throws {
        for args in [["agent", "add", "--id", "ana", "--name", "Ana"],
                     ["agent", "add", "--id", "fund", "--name", "Fund", "--kind", "organization"],
                     ["project", "add", "--id", "p", "--currency", "CAD", "--fund", "fund"],
                     ["worktype", "set", "--project", "p", "--name", "eng", "--rate", "50.00"],
                     ["design", "add", "--id", "D1"],
                     ["unit", "register", "--serial", "U1", "--design", "D1"]] {
            let result = try CLI.run(["ledger"] + args + ["--ledger", path])
            #expect(result.status == 0, "\(args): \(result.stderr)")
        }
    }

    func eventCount() async throws -> Int {
        let ledger = try await Ledger.open(path)
        defer { Task { await ledger.close() } }
        return try await ledger.store.events(project: nil).count
    }

    func expectOneLineError(_ result: CLI.Result, containing text: String) {
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(text), "stderr: \(result.stderr)")
    }

    @Test func badInputGetsOneErrorLineAndWritesNothing() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        try seed()
        expectOneLineError(try ledger("contribute", "work", "--project", "p", "--agent", "zoe", "--hours", "2",
                                      "--work-type", "eng"), containing: "no agent 'zoe'")
        expectOneLineError(try ledger("contribute", "work", "--project", "p", "--agent", "ana", "--hours=-2",
                                      "--work-type", "eng"), containing: "hours greater than 0")
        expectOneLineError(try ledger("sale", "record", "--project", "p", "--unit", "U1", "--price", "100.00",
                                      "--currency", "EUR", "--buyer", "b"), containing: "does not match")
        let equation = FileManager.default.temporaryDirectory.appendingPathComponent("eq-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: equation) }
        try Data("""
            {"format": "mosquito-value-equation/1", "project": "p", "version": 1, "mode": "straight",
             "buckets": [{"id": "a", "percent": "70", "agent": "ana"}, {"id": "b", "percent": "40", "agent": "fund"}]}
            """.utf8).write(to: equation)
        expectOneLineError(try ledger("equation", "set", "--file", equation.path), containing: "more than 100 %")
        #expect(try await eventCount() == 0)
        let ledger = try await Ledger.open(path)
        #expect(try await ledger.store.sales(project: nil).isEmpty)
        #expect(try await ledger.store.latestEquation(project: "p") == nil)
        await ledger.close()
    }

    @Test func contributeDistributeAndVerifyByCommand() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        try seed()
        var result = try ledger("contribute", "work", "--project", "p", "--agent", "ana", "--hours", "1.5",
                                "--work-type", "eng", "--unit", "U1", "--date", "2026-01-02", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"value\" : 7500"))
        try setEquationAndRecordSale()
        result = try ledger("distribute", "--sale", "1")
        #expect(result.status == 0)
        #expect(result.stdout.contains("ana") && result.stdout.contains("75.00") && result.stdout.contains("25.00"))
        expectOneLineError(try ledger("distribute", "--sale", "1"), containing: "already been distributed")
        #expect(try ledger("verify").status == 0)
        let csv = try ledger("export", "--table", "lines").stdout
        #expect(csv.split(separator: "\n").count == 3)
        #expect(try ledger("export", "--json").stdout.contains("\"vf:EconomicEvent\""))

        // Tamper with the file behind the ledger's back.
        let database = try SQLiteDatabase(path: path)
        try await database.transaction { s throws(LedgerError) in
            try await s.execute("UPDATE events SET hours = '15' WHERE seq = 1", [])
        }
        await database.close()
        expectOneLineError(try ledger("verify"), containing: "event 1 was edited")
    }

    /// One unit bucket paying work as debt, then sale 1 of unit U1 for CAD 100.00.
    func setEquationAndRecordSale() throws {
        let equation = URL(fileURLWithPath: path + ".json")
        defer { try? FileManager.default.removeItem(at: equation) }
        try Data("""
            {"format": "mosquito-value-equation/1", "project": "p", "version": 1, "mode": "straight",
             "buckets": [{"id": "u", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "work", "claim": "debt"}]}]}
            """.utf8).write(to: equation)
        #expect(try ledger("equation", "set", "--file", equation.path).status == 0)
        #expect(try ledger("sale", "record", "--project", "p", "--unit", "U1", "--price", "100.00", "--currency", "CAD",
                           "--buyer", "lab", "--date", "2026-02-01").status == 0)
    }

    @Test func verifyNamesATamperedDistributionOrSale() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        try seed()
        #expect(try ledger("contribute", "work", "--project", "p", "--agent", "ana", "--hours", "1.5",
                           "--work-type", "eng", "--unit", "U1", "--date", "2026-01-02").status == 0)
        try setEquationAndRecordSale()
        #expect(try ledger("distribute", "--sale", "1").status == 0)
        var result = try ledger("verify")
        #expect(result.status == 0 && result.stdout.contains("1 events and 1 distributions, hash chains verified, 1 distributions recomputed\n"), "\(result.stdout)")
        result = try ledger("verify", "--json")
        #expect(try JSONDecoder().decode(ChainReport.self, from: Data(result.stdout.utf8))
            == ChainReport(events: 1, distributions: 1, problem: nil))

        func tamper(_ sql: String) async throws {
            let database = try SQLiteDatabase(path: path)
            try await database.transaction { s throws(LedgerError) in try await s.execute(sql, []) }
            await database.close()
        }
        try await tamper("UPDATE distribution_lines SET amount = 8500 WHERE sale = 1 AND line = 1")
        expectOneLineError(try ledger("verify"), containing:
            "distribution line 1 of sale 1 was edited: stored u ana 8500, recomputed u ana 7500")
        expectOneLineError(try ledger("verify", "--json"), containing: "distribution line 1 of sale 1")
        try await tamper("UPDATE distribution_lines SET amount = 7500 WHERE sale = 1 AND line = 1")
        #expect(try ledger("verify").status == 0)
        try await tamper("UPDATE sales SET price = 90000 WHERE id = 1")
        expectOneLineError(try ledger("verify"), containing: "sale 1 was edited")
    }

    @Test func demoSellsThreeUnits() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try ledger("demo", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let distributions = try JSONDecoder().decode([Distribution].self, from: Data(result.stdout.utf8))
        #expect(distributions.count == 3)
        for d in distributions {
            #expect(d.lines.reduce(0) { $0 + $1.amount } == 121150)
            #expect(d.lines.contains { $0.bucket == "custodian-fee" && $0.agent == "tactus" && $0.amount == 6058 })
        }
        expectOneLineError(try ledger("demo"), containing: "empty ledger")
        #expect(try ledger("verify").status == 0)
        #expect(try ledger("report", "unit", "MQ-2026-0042").stdout.contains("event"))
    }
}
