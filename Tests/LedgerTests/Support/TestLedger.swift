import Foundation
import Ledger
import Testing
import TestSupport

/// The storage backends every scenario runs against.
typealias Backend = DatabaseBackend

extension DatabaseBackend: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}

/// A fresh, empty ledger on `backend`, with raw SQL access for tamper tests; removed afterwards.
func withLedger(_ backend: Backend, _ body: (Ledger, any SQLDatabase) async throws -> Void) async throws {
    switch backend {
    case .sqlite:
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ledger-test-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path)
        let ledger = Ledger(store: try await SQLLedgerStore(database: database))
        do { try await body(ledger, database) } catch { await ledger.close(); throw error }
        await ledger.close()
    case .postgres:
        let url = try DatabaseBackend.postgresURL()
        let schema = "ledger_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let database = try await PostgresDatabase(url: url, schema: schema)
        let ledger = Ledger(store: try await opened(database, dropping: schema))
        do { try await body(ledger, database) } catch {
            try? await database.dropSchema(schema); await ledger.close(); throw error
        }
        try await database.dropSchema(schema)
        await ledger.close()
    }
}

/// Small builders so scenarios read like the network they describe.
extension Ledger {
    func network(currency: String = "CAD", agents: [String]) async throws {
        for id in agents + ["custodian", "fund"] {
            try await addAgent(id: id, name: id.capitalized, kind: id == "custodian" || id == "fund" ? .organization : .person)
        }
        try await addProject(id: "p", name: "Project", currency: currency, custodian: "custodian", fundAgent: "fund")
        try await addDesign(id: "D1", name: "D rev 1", parent: nil)
        try await setWorkType(project: "p", name: "eng", rate: "50.00")
    }

    func equation(mode: String, buckets: String) async throws {
        try await equation(buckets, mode: mode)
    }

    func equation(_ buckets: String, mode: String = "straight", version: Int = 1) async throws {
        let json = """
        {"format": "mosquito-value-equation/1", "project": "p", "version": \(version), "mode": "\(mode)", "buckets": [\(buckets)]}
        """
        try await setEquation(json: Data(json.utf8))
    }

    @discardableResult
    func give(_ agent: String, _ kind: ContributionKind, value: Int64? = nil, hours: String? = nil,
              design: String? = nil, unit: String? = nil, date: String = "2026-01-10") async throws -> ContributionEvent {
        try await contribute(ContributionDraft(
            date: try LedgerDate(date), agent: agent, project: "p", kind: kind, hours: hours.map { LedgerDecimal($0)! },
            workType: hours == nil ? nil : "eng", value: value, design: design, unit: unit))
    }

    /// The smallest network with money owed: agent "a" gave 100.00 of material to unit U1, whose bucket takes
    /// 100 % of each sale and pays material as debt.
    func oneUnitOwedToOneAgent() async throws {
        try await network(agents: ["a"])
        try await registerUnit(serial: "U1", design: "D1")
        try await give("a", .material, value: 10000, unit: "U1")
        try await equation("""
            {"id": "u", "percent": "100", "filter": {"kind": "unit"}, "rules": [{"event": "material", "claim": "debt"}]}
            """)
    }

    func sell(_ unit: String, _ price: Int64, currency: String = "CAD", date: String = "2026-06-01",
              directCosts: Int64 = 0) async throws -> Sale {
        try await recordSale(SaleDraft(project: "p", unit: unit, price: price, currency: try Currency(currency),
                                       date: try LedgerDate(date), buyer: "buyer", directCosts: directCosts))
    }
}

extension Distribution {
    /// Amount per agent, summed over buckets.
    var perAgent: [String: Int64] {
        lines.reduce(into: [:]) { $0[$1.agent, default: 0] += $1.amount }
    }
    var total: Int64 { lines.reduce(0) { $0 + $1.amount } }
    func amount(_ bucket: String?, _ agent: String) -> Int64 {
        lines.first { $0.bucket == bucket && $0.agent == agent }?.amount ?? 0
    }
}

/// Two independent connections to one fresh ledger, as two processes sharing it would have.
func withTwoLedgers(_ backend: Backend, _ body: (Ledger, Ledger) async throws -> Void) async throws {
    switch backend {
    case .sqlite:
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ledger-test-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = Ledger(store: try await SQLLedgerStore(database: try SQLiteDatabase(path: path)))
        let second = Ledger(store: try await SQLLedgerStore(database: try SQLiteDatabase(path: path)))
        do { try await body(first, second) } catch { await first.close(); await second.close(); throw error }
        await first.close(); await second.close()
    case .postgres:
        let url = try DatabaseBackend.postgresURL()
        let schema = "ledger_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let firstDatabase = try await PostgresDatabase(url: url, schema: schema)
        let first = Ledger(store: try await opened(firstDatabase, dropping: schema))
        let second: Ledger
        do { second = Ledger(store: try await opened(try await PostgresDatabase(url: url, schema: schema), dropping: nil)) } catch {
            try? await firstDatabase.dropSchema(schema); await first.close(); throw error
        }
        do { try await body(first, second) } catch {
            await second.close(); try? await firstDatabase.dropSchema(schema); await first.close(); throw error
        }
        await second.close()
        try await firstDatabase.dropSchema(schema)
        await first.close()
    }
}

/// The store over a freshly connected `database`, which is closed (its schema dropped) if the store cannot
/// open: a connection left open trips postgres-nio's "deinitialized before being closed" assertion.
func opened(_ database: PostgresDatabase, dropping schema: String?) async throws -> SQLLedgerStore {
    do { return try await SQLLedgerStore(database: database) } catch {
        if let schema { try? await database.dropSchema(schema) }
        await database.close()
        throw error
    }
}
