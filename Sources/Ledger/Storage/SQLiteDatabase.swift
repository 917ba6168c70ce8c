import GRDB

/// SQLite through GRDB: one file, one connection, transactions spanning several async statements.
public final class SQLiteDatabase: SQLDatabase {
    private let queue: DatabaseQueue
    private let gate = AsyncGate()

    public init(path: String) throws(LedgerError) {
        var configuration = Configuration()
        // Our transactions span several accesses (BEGIN … COMMIT issued by `transaction`).
        configuration.allowsUnsafeTransactions = true
        configuration.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw .storage("cannot open \(path): \(SQLiteSession.message(error))")
        }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLSession) async throws(LedgerError) -> T) async throws(LedgerError) -> T {
        let session = SQLiteSession(queue: queue)
        return try await gate.run { () async throws(LedgerError) -> T in
            // IMMEDIATE takes the write lock up front, so another process cannot interleave.
            try await session.committing(begin: "BEGIN IMMEDIATE", body)
        }
    }

    public func close() async {
        try? queue.close()
    }
}

struct SQLiteSession: SQLSession {
    let queue: DatabaseQueue

    func execute(_ sql: String, _ arguments: [SQLValue]) async throws(LedgerError) {
        let values = arguments.map(Self.databaseValue)
        do {
            try await queue.writeWithoutTransaction { db in
                try db.execute(sql: sql, arguments: StatementArguments(values))
            }
        } catch {
            throw .storage(Self.message(error))
        }
    }

    /// One hop to the connection and one compiled statement for every list: a distribution over 10,000 claims
    /// wrote them one `execute` at a time, each compiling its statement again.
    func executeMany(_ sql: String, _ argumentLists: [[SQLValue]]) async throws(LedgerError) {
        guard !argumentLists.isEmpty else { return }
        let lists = argumentLists.map { $0.map(Self.databaseValue) }
        do {
            try await queue.writeWithoutTransaction { db in
                let statement = try db.makeStatement(sql: sql)
                for values in lists { try statement.execute(arguments: StatementArguments(values)) }
            }
        } catch {
            throw .storage(Self.message(error))
        }
    }

    func query(_ sql: String, _ arguments: [SQLValue]) async throws(LedgerError) -> [[SQLValue]] {
        let values = arguments.map(Self.databaseValue)
        do {
            return try await queue.writeWithoutTransaction { db in
                // Each row is converted as the cursor reaches it, without first copying every row into a `Row`.
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(values))
                var result = [[SQLValue]]()
                while let row = try rows.next() {
                    result.append(row.databaseValues.map { value -> SQLValue in
                        switch value.storage {
                        case .int64(let v): .integer(v)
                        case .string(let v): .text(v)
                        case .null: .null
                        case .double(let v): .number(v)
                        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                        }
                    })
                }
                return result
            }
        } catch {
            throw .storage(Self.message(error))
        }
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .integer(let v): v.databaseValue
        case .text(let v): v.databaseValue
        case .real(let v): v.databaseValue
        case .null: .null
        }
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
