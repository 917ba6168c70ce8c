import Foundation
import Ledger
import Testing
import TestSupport

/// The databases a ledger route is tested against, as the Ledger suite's.
typealias LedgerBackend = DatabaseBackend

extension DatabaseBackend: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}

extension DatabaseBackend {
    /// A fresh, empty ledger (SQLite: `path`; PostgreSQL: a schema of its own), and what closes and removes it.
    func open(sqlitePath path: String) async throws -> (Ledger, @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let ledger = try await Ledger.open(path)
            return (ledger, { await ledger.close(); try? FileManager.default.removeItem(atPath: path) })
        case .postgres:
            let url = try DatabaseBackend.postgresURL()
            let schema = "web_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let database = try await PostgresDatabase(url: url, schema: schema)
            let store: SQLLedgerStore
            // A connection left open trips postgres-nio's "deinitialized before being closed" assertion.
            do { store = try await SQLLedgerStore(database: database) } catch {
                try? await database.dropSchema(schema)
                await database.close()
                throw error
            }
            let ledger = Ledger(store: store)
            return (ledger, { try? await database.dropSchema(schema); await ledger.close() })
        }
    }
}

/// Runs `body`, then `close`, however `body` ends: a PostgreSQL connection dropped without being closed traps the
/// whole test process, so a failing test must still close its ledgers.
func closing<T>(_ close: () async -> Void, _ body: () async throws -> T) async throws -> T {
    let value: T
    do { value = try await body() } catch { await close(); throw error }
    await close()
    return value
}

extension WebFixture {
    /// A fixture over the demo ledger on `backend` for `body`, torn down however `body` ends.
    static func with(backend: LedgerBackend, _ body: (WebFixture) async throws -> Void) async throws {
        let f = try await make(streamRate: nil, demoLedger: true, backend: backend)
        try await closing({ await f.tearDown() }) { try await body(f) }
    }
}
