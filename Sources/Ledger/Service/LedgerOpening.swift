import Foundation

extension Ledger {
    /// Opens `location`: a `postgres://` URL, a file path, or (nil) the default file under the
    /// user's data directory ($XDG_DATA_HOME or ~/.local/share, then mosquito/ledger.sqlite).
    public static func open(_ location: String?) async throws(LedgerError) -> Ledger {
        let target = location ?? defaultPath()
        if target.hasPrefix("postgres://") || target.hasPrefix("postgresql://") {
            let database = try await PostgresDatabase(url: target)
            return Ledger(store: try await SQLLedgerStore(database: database))
        }
        let directory = (target as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .storage("cannot create \(directory): \(error.localizedDescription)")
            }
        }
        return Ledger(store: try await SQLLedgerStore(database: try SQLiteDatabase(path: target)))
    }

    /// Opens `location`, runs `body` and closes the ledger, whether `body` throws or not.
    public static func using<T>(
        _ location: String?, _ body: (Ledger) async throws(LedgerError) -> T
    ) async throws(LedgerError) -> T {
        let ledger = try await open(location)
        do throws(LedgerError) {
            let value = try await body(ledger)
            await ledger.close()
            return value
        } catch {
            await ledger.close()
            throw error
        }
    }

    public static func defaultPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("mosquito/ledger.sqlite")
    }
}
