import Foundation
import Ledger
import TestSupport
import Testing

/// One cell an attacker edits: a table, a column, and the row it is in (named by its key, in the order the
/// ledger's messages name it).
struct TamperCell: Sendable, CustomTestStringConvertible {
    var table: String
    var column: String
    /// (key column, SQL literal) pairs.
    var key: [(column: String, literal: String)]
    var testDescription: String { "\(table).\(column)" }

    /// The statement that sets the cell to `literal` (claims_baseline is empty in a new ledger: a claim is copied in).
    func update(to literal: String) -> [String] {
        var statements = [String]()
        if table == "claims_baseline" { statements.append("INSERT INTO claims_baseline SELECT * FROM claims WHERE bucket = 'unit'") }
        statements.append("UPDATE \(table) SET \(column) = \(literal) WHERE \(condition(tampered: nil))")
        return statements
    }

    /// Puts the original value back (the row is found by the tampered value when it is part of the key).
    func restore(from literal: String, to original: String) -> String {
        "UPDATE \(table) SET \(column) = \(original) WHERE \(condition(tampered: literal))"
    }

    func condition(tampered literal: String?) -> String {
        key.map { "\($0.column) = \($0.column == column ? literal ?? $0.literal : $0.literal)" }.joined(separator: " AND ")
    }

    /// The message the ledger must give when it reads the cell holding `shown` (as its messages render values).
    func message(_ shown: String, _ problem: String = "is not an exact 64-bit integer") -> String {
        let row = key.map { part in
            let value = part.column == column ? shown.trimmingCharacters(in: CharacterSet(charactersIn: "'")) : part.literal
            return "\(part.column)=\(value.trimmingCharacters(in: CharacterSet(charactersIn: "'")))"
        }
        return "ledger tampered: table \(table), row \(row.joined(separator: " ")), column \(column): \(shown) \(problem)"
    }

    /// Every integer column the row decoder reads, each in a row the tamper fixture has.
    static let integerColumns: [TamperCell] = {
        let event2 = [("seq", "2")], sale1 = [("id", "1")], distribution1 = [("sale", "1")]
        let claim = [("project", "'p'"), ("bucket", "'unit'"), ("event", "1")]
        var cells: [TamperCell] = [
            .init(table: "events", column: "seq", key: event2), .init(table: "events", column: "value", key: event2),
            .init(table: "events", column: "reverses", key: [("seq", "4")]),
            .init(table: "chain_head", column: "seq", key: [("id", "1")]),
            .init(table: "equations", column: "version", key: [("project", "'p'"), ("version", "1")]),
        ]
        cells += ["id", "price", "direct_costs"].map { .init(table: "sales", column: $0, key: sale1) }
        cells += ["event", "original", "balance", "paid"].map { .init(table: "claims", column: $0, key: claim) }
        cells += ["event", "original", "balance", "paid"].map { .init(table: "claims_baseline", column: $0, key: claim) }
        cells += ["sale", "distributable", "equation_version", "position", "events_seq"]
            .map { .init(table: "distributions", column: $0, key: distribution1) }
        cells += ["line", "amount"].map { .init(table: "distribution_lines", column: $0, key: [("sale", "1"), ("line", "1")]) }
        cells += ["event", "amount"].map {
            .init(table: "claim_payments", column: $0, key: [("sale", "1"), ("bucket", "'unit'"), ("event", "1")])
        }
        cells.append(.init(table: "distribution_head", column: "position", key: [("id", "1")]))
        return cells
    }()

    /// Reads the cell the way the ledger does: `verify` reads every table but `equations`, whose version is
    /// read when the next equation is set.
    func read(_ ledger: Ledger) async throws {
        if table == "equations" {
            try await ledger.setEquation(json: Data(TamperFixture.equation(version: 2).utf8))
        } else {
            _ = try await ledger.store.verifyChain()
        }
    }
}

/// A small ledger with a row in every table: five events (one reversed), a distributed sale of U1 paying a unit
/// debt (event 1) and a design equity, and a reversed sale of U2.
enum TamperFixture {
    static let buckets = """
        {"id": "fee", "percent": "10", "agent": "custodian"},
        {"id": "unit", "percent": "60", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]},
        {"id": "design", "percent": "30", "filter": {"kind": "design"}, "rules": [{"event": "work", "claim": "equity"}]}
        """

    static func equation(version: Int) -> String {
        #"{"format": "mosquito-value-equation/1", "project": "p", "version": \#(version), "mode": "straight", "buckets": [\#(buckets)]}"#
    }

    static func build(_ ledger: Ledger) async throws {
        try await ledger.network(agents: ["a", "b"])
        for serial in ["U1", "U2", "U3"] { try await ledger.registerUnit(serial: serial, design: "D1") }
        try await ledger.give("a", .material, value: 10000, unit: "U1")        // event 1: the unit's debt
        try await ledger.give("b", .cash, value: 3000)                          // event 2
        let typo = try await ledger.give("b", .cash, value: 500)                // event 3, reversed by event 4
        try await ledger.reverse(event: typo.id, date: try LedgerDate("2026-01-11"), note: "typo")
        try await ledger.give("b", .work, hours: "2", design: "D1")             // event 5: design equity
        try await ledger.equation(buckets)
        _ = try await ledger.distribute(sale: try await ledger.sell("U1", 100000).id)
        let returned = try await ledger.sell("U2", 50000)
        try await ledger.reverseSale(returned.id, date: try LedgerDate("2026-06-02"), note: "returned")
    }
}

/// Edits a SQLite ledger file as an attacker with the sqlite3 tool would: through Python's sqlite3 module, whose
/// connections, like the tool's, do not enforce foreign keys. Returns, per statement list, nil or the error.
func tamperSQLite(_ path: String, _ statements: [String]) throws -> String? {
    let script = """
        import sqlite3, sys, json
        con = sqlite3.connect(sys.argv[1])
        try:
            for statement in json.loads(sys.argv[2]):
                con.execute(statement)
            con.commit()
        except sqlite3.Error as error:
            print(error)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestEnvironment.python)
    let list = String(decoding: try JSONEncoder().encode(statements), as: UTF8.self)
    process.arguments = ["-c", script, path, list]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

/// A fresh SQLite ledger file built by `build`, closed, at a path removed afterwards.
func withLedgerFile(_ build: (Ledger) async throws -> Void, _ body: (String) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tamper-\(UUID().uuidString).sqlite").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let ledger = Ledger(store: try await SQLLedgerStore(database: try SQLiteDatabase(path: path)))
    do { try await build(ledger) } catch { await ledger.close(); throw error }
    await ledger.close()
    try await body(path)
}

/// PostgreSQL enforces foreign keys for everyone; an attacker who owns the database drops them first.
func dropForeignKeys(_ database: any SQLDatabase) async throws {
    try await database.transaction { s throws(LedgerError) in
        let rows = try await s.query("""
            SELECT conrelid::regclass::text, conname FROM pg_constraint
            WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
            """, [])
        for row in rows {
            guard case .text(let table) = row[0], case .text(let name) = row[1] else { continue }
            try await s.execute("ALTER TABLE \(table) DROP CONSTRAINT \(name)", [])
        }
    }
}

/// The sweeps open a connection per case; the PostgreSQL server is shared (other suites, other checkouts), so
/// at most a few of them hold one at a time.
actor PostgresSlots {
    static let shared = PostgresSlots(free: 4)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private init(free: Int) { self.free = free }

    private func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    nonisolated func run(_ body: () async throws -> Void) async throws {
        await acquire()
        do { try await body() } catch { await release(); throw error }
        await release()
    }
}
