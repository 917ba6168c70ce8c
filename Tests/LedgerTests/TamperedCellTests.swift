import Foundation
import Ledger
import Testing

/// A cell edited behind the ledger's back to something no version of the ledger writes — a float, an infinity,
/// text, an integer out of range — is reported as tampering naming its table, row and column, by every read.
@Suite("Tampered cells")
struct TamperedCellTests {
    /// What SQLite keeps in an integer column when given these, and how the ledger's messages show them.
    static let sqliteValues: [(literal: String, shown: String)] = [
        ("1e300", "1e+300"), ("1.5", "1.5"), ("-1e19", "-1e+19"), ("1e19", "1e+19"), ("9e999", "inf"), ("-9e999", "-inf"),
        ("'abc'", "'abc'"),
    ]

    @Test("SQLite: every integer column the row decoder reads × floats, infinities and text is named as tampering",
          arguments: TamperCell.integerColumns)
    func sqliteIntegerColumns(cell: TamperCell) async throws {
        try await withLedgerFile(TamperFixture.build) { fixture in
            for (literal, shown) in Self.sqliteValues {
                let path = fixture + "-\(UUID().uuidString)"
                defer { try? FileManager.default.removeItem(atPath: path) }
                try FileManager.default.copyItem(atPath: fixture, toPath: path)
                #expect(try tamperSQLite(path, cell.update(to: literal)) == nil)
                let ledger = try await Ledger.open(path)
                await #expect(throws: LedgerError.tampered(cell.message(shown)), "\(literal)") { try await cell.read(ledger) }
                await ledger.close()
            }
        }
    }

    @Test("SQLite stores a NaN as NULL: refused where a column needs a value, read without a crash where NULL is allowed",
          arguments: TamperCell.integerColumns)
    func sqliteNaN(cell: TamperCell) async throws {
        try await withLedger(.sqlite) { ledger, database in
            try await TamperFixture.build(ledger)
            let statements = cell.update(to: "?").dropLast(), update = cell.update(to: "?").last!
            let refused: LedgerError? = await {
                do throws(LedgerError) {
                    try await database.transaction { s throws(LedgerError) in
                        for statement in statements { try await s.execute(statement, []) }
                        try await s.execute(update, [.real(.nan)])
                    }
                    return nil
                } catch { return error }
            }()
            if let refused {
                #expect(refused.description.contains("constraint failed"), "\(refused)")
            } else {
                // Stored, then as NULL: no cell holds a NaN, and reading the NULL is no crash.
                let reals = try await database.transaction { s throws(LedgerError) in
                    try await s.query("SELECT count(*) FROM \(cell.table) WHERE typeof(\(cell.column)) = 'real'", [])
                }
                #expect(reals == [[.integer(0)]])
                do { try await cell.read(ledger) } catch { #expect(error is LedgerError && !"\(error)".contains("\n")) }
            }
        }
    }

    @Test("PostgreSQL: a column retyped to double precision holding a float, NaN or an infinity is named as tampering",
          arguments: TamperCell.integerColumns)
    func postgresRetypedColumns(cell: TamperCell) async throws {
        guard Backend.enabled.contains(.postgres) else { return }
        try await PostgresSlots.shared.run {
            try await withLedger(.postgres) { ledger, database in
                try await TamperFixture.build(ledger)
                try await dropForeignKeys(database)
                let source = cell.table == "claims_baseline" ? "claims" : cell.table
                let original = try await database.transaction { s throws(LedgerError) in
                    try await s.query("SELECT \(cell.column) FROM \(source) WHERE \(cell.condition(tampered: nil))", [])
                }
                guard case .integer(let value)? = original.first?.first else { Issue.record("no \(cell) in the fixture"); return }
                try await tamper(database, "ALTER TABLE \(cell.table) ALTER COLUMN \(cell.column) TYPE double precision")
                for (literal, shown) in [("1e300", "1e+300"), ("1.5", "1.5"), ("-1e19", "-1e+19"), ("'NaN'", "nan"),
                                         ("'Infinity'", "inf"), ("'-Infinity'", "-inf")] {
                    try await tamper(database, cell.update(to: literal))
                    await #expect(throws: LedgerError.tampered(cell.message(shown)), "\(literal)") { try await cell.read(ledger) }
                    try await tamper(database, cell.table == "claims_baseline" ? "DELETE FROM claims_baseline"
                                                                               : cell.restore(from: literal, to: String(value)))
                }
                try await tamper(database, "ALTER TABLE \(cell.table) ALTER COLUMN \(cell.column) TYPE bigint USING \(cell.column)::bigint")
                #expect(try await ledger.store.verifyChain().isIntact, "restored")
            }
        }
    }

    @Test("every integer column × the extremes of Int64: no read or write traps, every failure is one line",
          arguments: Backend.enabled, TamperCell.integerColumns)
    func int64Extremes(backend: Backend, cell: TamperCell) async throws {
        func everyOperationCompletes(_ ledger: Ledger) async {
            for (name, operation) in Self.everyOperation(ledger) {
                do { try await operation() } catch {
                    #expect(error is LedgerError && !"\(error)".contains("\n") && !"\(error)".isEmpty, "\(name): \(error)")
                }
            }
        }
        switch backend {
        case .sqlite:
            try await withLedgerFile(TamperFixture.build) { fixture in
                for extreme in [Int64.max, Int64.min] {
                    let path = fixture + "-\(UUID().uuidString)"
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    try FileManager.default.copyItem(atPath: fixture, toPath: path)
                    #expect(try tamperSQLite(path, cell.update(to: String(extreme))) == nil)
                    let ledger = try await Ledger.open(path)
                    await everyOperationCompletes(ledger)
                    await ledger.close()
                }
            }
        case .postgres:
            for extreme in [Int64.max, Int64.min] {
                try await PostgresSlots.shared.run {
                    try await withLedger(.postgres) { ledger, database in
                        try await TamperFixture.build(ledger)
                        try await dropForeignKeys(database)
                        try await tamper(database, cell.update(to: String(extreme)))
                        await everyOperationCompletes(ledger)
                    }
                }
            }
        }
    }

    @Test("over the CLI: verify, reports and exports of a tampered file exit 1 with the one line naming the cell")
    func commands() async throws {
        try await withLedgerFile(TamperFixture.build) { path in
            // Reports of the project and the lines export read no events.
            for (sql, message, untouched) in [
                ("update events set value=1e300 where seq=2",
                 "ledger tampered: table events, row seq=2, column value: 1e+300 is not an exact 64-bit integer",
                 [["report", "project", "p"], ["export", "--table", "lines"]]),
                ("update distribution_lines set amount=1e19 where sale=1 and line=1",
                 "ledger tampered: table distribution_lines, row sale=1 line=1, column amount: 1e+19 is not an exact 64-bit integer", []),
            ] {
                let copy = path + "-\(UUID().uuidString)"
                defer { try? FileManager.default.removeItem(atPath: copy) }
                try FileManager.default.copyItem(atPath: path, toPath: copy)
                #expect(try tamperSQLite(copy, [sql]) == nil)
                for command in [["verify"], ["verify", "--json"], ["report", "agent", "a"], ["report", "unit", "U1"],
                                ["report", "project", "p"], ["export", "--table", "lines"], ["export", "--json"]] {
                    let result = try CLI.run(["ledger"] + command + ["--ledger", copy])
                    if untouched.contains(command) {
                        #expect(result.status == 0, "\(command): \(result.stderr)")
                    } else {
                        #expect(result.status == 1 && result.stderr == "Error: \(message)\n", "\(command): \(result.stderr)")
                    }
                }
            }
        }
    }

    /// Every read and write the ledger offers, over the fixture.
    static func everyOperation(_ ledger: Ledger) -> [(String, () async throws -> Void)] {
        [
            ("verify", { _ = try await ledger.store.verifyChain() }),
            ("report agent a", { _ = try await ledger.agentReport("a") }),
            ("report agent b", { _ = try await ledger.agentReport("b") }),
            ("report unit U1", { _ = try await ledger.unitReport("U1") }),
            ("report unit U2", { _ = try await ledger.unitReport("U2") }),
            ("report project", { _ = try await ledger.projectReport("p") }),
            ("export events", { _ = try await ledger.exportCSV(.events) }),
            ("export lines", { _ = try await ledger.exportCSV(.lines) }),
            ("export claims", { _ = try await ledger.exportCSV(.claims) }),
            ("export json", { _ = try await ledger.exportValueFlows() }),
            ("contribute", { try await ledger.contribute(ContributionDraft(
                date: try LedgerDate("2026-01-12"), agent: "a", project: "p", kind: .material, value: 700, unit: "U3")) }),
            ("reverse event 2", { try await ledger.reverse(event: 2, date: try LedgerDate("2026-02-01"), note: nil) }),
            ("equation", { try await ledger.setEquation(json: Data(TamperFixture.equation(version: 2).utf8)) }),
            ("sell and distribute U3", {
                let sale = try await ledger.recordSale(SaleDraft(project: "p", unit: "U3", price: 70000, currency: try Currency("CAD"),
                                                                 date: try LedgerDate("2026-07-01"), buyer: "b"))
                _ = try await ledger.distribute(sale: sale.id)
            }),
            ("reverse sale 1", { try await ledger.reverseSale(1, date: try LedgerDate("2026-08-01"), note: nil) }),
        ]
    }

    func tamper(_ database: any SQLDatabase, _ statements: String...) async throws {
        try await tamper(database, statements)
    }

    func tamper(_ database: any SQLDatabase, _ statements: [String]) async throws {
        try await database.transaction { s throws(LedgerError) in
            for statement in statements { try await s.execute(statement, []) }
        }
    }
}
