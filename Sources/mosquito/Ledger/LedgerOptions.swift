import ArgumentParser
import Foundation
import Ledger

/// Options every ledger subcommand shares.
struct LedgerOptions: ParsableArguments {
    @Option(name: .customLong("ledger"), help: "SQLite file or postgres:// URL (default: the user's data directory).")
    var location: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// Opens the ledger, runs `body`, closes it; a `LedgerError` becomes the one `Error:` line on stderr and exit code 1.
    func run(_ body: (Ledger) async throws(LedgerError) -> Void) async throws {
        do throws(LedgerError) { try await Ledger.using(location, body) } catch {
            // The program's one error line, `Error: …`, as every other command prints it.
            throw CLIError(error.description)
        }
    }

    /// What most subcommands are: open the ledger, do one thing, print what it returns as text or (`--json`) JSON.
    func show<T: Encodable>(_ action: (Ledger) async throws(LedgerError) -> T, text: (T) -> String) async throws {
        try await run { ledger throws(LedgerError) in
            let value = try await action(ledger)
            emit(value) { text(value) }
        }
    }

    func emit<T: Encodable>(_ value: T, text: () -> String) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try! encoder.encode(value), as: UTF8.self))
        } else {
            print(text())
        }
    }
}

extension LedgerDate: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(argument) }
}

/// An event or sale number given on the command line. Parsed here rather than by ArgumentParser so that any
/// bad number, one past Int64 included, is the one `Error:` line.
func recordNumber(_ text: String, _ option: String) throws(LedgerError) -> Int64 {
    guard let number = Int64(text) else { throw .invalid("\(option) '\(text)' is not a record number like 12") }
    return number
}

