import ArgumentParser
import Ledger

/// `ledger lot …`: batches of a design produced in a quantity and sold in parts.
struct LotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lot", abstract: "Lots (batches) sold in parts.",
                                                    subcommands: [Add.self, WriteOff.self, Show.self])
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a lot: a quantity of one design.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "Lot id, e.g. dal-2026-04-12.") var id: String
        @Option(help: "Design (recipe, revision) the lot is made to.") var design: String
        @Option(help: "Produced quantity, a whole number, e.g. 40.") var quantity: String
        @Option(help: "Unit of measure: one, box, portion, kg, g, l, ml or h.") var unit: String
        @Option(help: "YYYY-MM-DD; nothing of the lot is sold after it.") var expires: LedgerDate?

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                try await ledger.addLot(id: id, design: design, quantity: try quantityArgument(quantity),
                                        measure: unit, expires: expires)
            } text: { lot in "lot \(lot.id) added: \(lot.quantity) \(lot.measure) of \(lot.design)" }
        }
    }

    struct WriteOff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "write-off",
            abstract: "Close part of a lot for sale (spoiled, lost, unsold); its claims stay.")
        @OptionGroup var options: LedgerOptions
        @Option var lot: String
        @Option(help: "Quantity written off, in the lot's unit of measure.") var quantity: String
        @Option(help: "Why, e.g. spoiled.") var reason: String
        @Option(help: "YYYY-MM-DD (default: today, UTC).") var date: LedgerDate?

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in
                try await ledger.writeOff(lot: lot, quantity: try quantityArgument(quantity),
                                          date: date ?? LedgerDate.today(), reason: reason)
            } text: { writeOff in "write-off \(writeOff.id): \(writeOff.quantity) of lot \(writeOff.lot) (\(writeOff.reason))" }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What a lot produced, sold, wrote off and still holds.")
        @OptionGroup var options: LedgerOptions
        @Option var lot: String

        func run() async throws {
            try await options.show { ledger throws(LedgerError) in try await ledger.lotReport(lot) } text: { report in
                ([report.stock.summary] + report.writeOffs.map { "  written off \($0.quantity) on \($0.date): \($0.reason)" })
                    .joined(separator: "\n")
            }
        }
    }
}

/// A quantity given on the command line: a whole number, refused with the one `Error:` line otherwise.
func quantityArgument(_ text: String) throws(LedgerError) -> Int64 {
    guard let quantity = Int64(text) else {
        throw .invalid("quantity '\(text)' is not a whole number like 24 (count in a smaller unit: g instead of kg)")
    }
    if let problem = Lot.quantityProblem(quantity) { throw .invalid(problem) }
    return quantity
}
