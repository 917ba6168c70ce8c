import Foundation

/// The databases a ledger test runs against: SQLite always; PostgreSQL when a server is configured, and always under
/// CI, where a missing URL fails loudly instead of quietly testing less.
public enum DatabaseBackend: String, CaseIterable, Sendable {
    case sqlite, postgres

    public static var enabled: [DatabaseBackend] {
        let environment = ProcessInfo.processInfo.environment
        if environment["MOSQUITO_TEST_POSTGRES_URL"] != nil || environment["CI"] != nil { return [.sqlite, .postgres] }
        return [.sqlite]
    }

    /// The configured server (`MOSQUITO_TEST_POSTGRES_URL`).
    public static func postgresURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["MOSQUITO_TEST_POSTGRES_URL"] else { throw MissingPostgres() }
        return url
    }

    public struct MissingPostgres: Error, CustomStringConvertible {
        public var description: String {
            "CI is set but MOSQUITO_TEST_POSTGRES_URL is missing: run `make postgres-up` and export the URL it prints"
        }
    }
}
