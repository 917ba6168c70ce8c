import Foundation
import PostgresNIO

/// PostgreSQL through postgres-nio, for a network sharing one ledger.
public final class PostgresDatabase: SQLDatabase {
    private let connection: PostgresConnection
    private let gate = AsyncGate()
    private static let logger = Logger(label: "mosquito.ledger.postgres")

    /// Connects to `postgres://user:password@host:port/database`. With `schema`, the ledger's
    /// tables live in that schema (created if missing), e.g. one per test.
    public init(url: String, schema: String? = nil) async throws(LedgerError) {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty, let user = components.user else {
            throw .invalid("ledger URL '\(url)' is not postgres://user[:password]@host[:port]/database")
        }
        let database = components.path.isEmpty ? nil : String(components.path.dropFirst())
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: components.password, database: database, tls: .disable)
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
        } catch {
            throw .storage("cannot connect to PostgreSQL at \(host): \(PostgresSession.message(error))")
        }
        if let schema {
            guard !schema.isEmpty, schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw .invalid("schema '\(schema)' must be ASCII letters, digits and '_'")
            }
            let session = PostgresSession(connection: connection)
            try await session.execute("CREATE SCHEMA IF NOT EXISTS \(schema)", [])
            try await session.execute("SET search_path TO \(schema)", [])
        }
    }

    /// Drops a schema and everything in it (test clean-up).
    public func dropSchema(_ schema: String) async throws(LedgerError) {
        try await PostgresSession(connection: connection).execute("DROP SCHEMA IF EXISTS \(schema) CASCADE", [])
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLSession) async throws(LedgerError) -> T) async throws(LedgerError) -> T {
        let session = PostgresSession(connection: connection)
        return try await gate.run { () async throws(LedgerError) -> T in
            // One writer at a time across every process sharing this ledger.
            try await session.committing(begin: "BEGIN", locks: ["SELECT pg_advisory_xact_lock(70070007)"], body)
        }
    }

    public func close() async {
        try? await connection.close()
    }
}

struct PostgresSession: SQLSession {
    let connection: PostgresConnection
    private static let logger = Logger(label: "mosquito.ledger.postgres")

    func execute(_ sql: String, _ arguments: [SQLValue]) async throws(LedgerError) {
        _ = try await query(sql, arguments)
    }

    func query(_ sql: String, _ arguments: [SQLValue]) async throws(LedgerError) -> [[SQLValue]] {
        do {
            var binds = PostgresBindings(capacity: arguments.count)
            for argument in arguments {
                switch argument {
                case .integer(let v): binds.append(v)
                case .text(let v): binds.append(v)
                case .real(let v): binds.append(v)
                case .null: binds.appendNull()
                }
            }
            let rows = try await connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds),
                                                  logger: Self.logger)
            var result = [[SQLValue]]()
            for try await row in rows {
                var values = [SQLValue]()
                for cell in row {
                    if cell.bytes == nil { values.append(.null); continue }
                    switch cell.dataType {
                    case .int8, .int4, .int2: values.append(.integer(try cell.decode(Int64.self)))
                    // Only a column retyped behind the ledger's back holds floats (NaN and infinities included).
                    case .float8, .float4: values.append(.number(try cell.decode(Double.self)))
                    default: values.append(.text(try cell.decode(String.self)))
                    }
                }
                result.append(values)
            }
            return result
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .storage(Self.message(error))
        }
    }

    /// `?` placeholders become `$1`, `$2`, … (our SQL has no `?` inside literals).
    static func numbered(_ sql: String) -> String {
        var output = "", index = 0
        for character in sql {
            if character == "?" { index += 1; output += "$\(index)" } else { output.append(character) }
        }
        return output
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
