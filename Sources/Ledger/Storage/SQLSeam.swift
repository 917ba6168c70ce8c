/// The small SQL seam both backends implement. Statements use `?` placeholders and only
/// BIGINT and TEXT columns, so one SQL dialect serves SQLite and PostgreSQL.
public enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    /// A floating-point cell that is not an exact 64-bit integer. The ledger never writes one (SQLite keeps
    /// whatever a cell is given, whatever its column says): reading it where an integer belongs is tampering.
    case real(Double)
    case null

    /// A floating-point cell as read: an exact integer in range is that integer, anything else stays `.real`.
    static func number(_ value: Double) -> SQLValue {
        Int64(exactly: value).map(SQLValue.integer) ?? .real(value)
    }
}

public protocol SQLSession: Sendable {
    func execute(_ sql: String, _ arguments: [SQLValue]) async throws(LedgerError)
    func query(_ sql: String, _ arguments: [SQLValue]) async throws(LedgerError) -> [[SQLValue]]
    /// Runs one statement once per argument list, in order (a distribution's claims, a bulk append's events).
    func executeMany(_ sql: String, _ argumentLists: [[SQLValue]]) async throws(LedgerError)
}

extension SQLSession {
    public func executeMany(_ sql: String, _ argumentLists: [[SQLValue]]) async throws(LedgerError) {
        for arguments in argumentLists { try await execute(sql, arguments) }
    }
}

public protocol SQLDatabase: Sendable {
    /// Runs `body` in one serialised transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLSession) async throws(LedgerError) -> T) async throws(LedgerError) -> T
    func close() async
}

extension SQLValue {
    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
}

extension SQLSession {
    /// `begin`, then `locks` and `body`, then COMMIT; a failure after `begin` rolls back. Each backend states only
    /// how it starts a transaction and takes its write lock.
    func committing<T: Sendable>(
        begin: String, locks: [String] = [], _ body: @Sendable (any SQLSession) async throws(LedgerError) -> T
    ) async throws(LedgerError) -> T {
        try await execute(begin, [])
        do throws(LedgerError) {
            for lock in locks { try await execute(lock, []) }
            let result = try await body(self)
            try await execute("COMMIT", [])
            return result
        } catch {
            try? await execute("ROLLBACK", [])
            throw error
        }
    }
}
