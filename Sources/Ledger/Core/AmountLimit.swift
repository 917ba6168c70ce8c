/// The largest amount of money the ledger accepts, anywhere: 10^15 minor units (10,000,000,000,000.00 CAD).
///
/// Far above any real price, contribution or cost, and low enough that thousands of amounts at the bound
/// still add up inside `Int64`. Every sum the ledger takes is checked all the same (`Int64.adding(_:for:)`):
/// enough amounts at the bound can still exceed `Int64`, and that is a `LedgerError`, never a trap.
public enum AmountLimit {
    public static let maximum: Int64 = 1_000_000_000_000_000

    /// Refuses an amount beyond the maximum (either sign), naming the field it came in.
    static func check(_ amount: Int64, _ field: String, _ currency: Currency) throws(LedgerError) {
        guard amount.magnitude <= maximum.magnitude else { throw beyondMaximum(field, currency) }
    }

    /// The one message for an amount beyond the maximum, the same from the CLI and the HTTP API.
    static func beyondMaximum(_ field: String, _ currency: Currency) -> LedgerError {
        .invalid("\(field) is beyond the maximum amount, \(currency.format(maximum)) \(currency) (10^15 minor units)")
    }
}

extension Int64 {
    /// `self + other`, or `.amountTooLarge` naming what was being added up.
    func adding(_ other: Int64, for what: @autoclosure () -> String) throws(LedgerError) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard !overflow else {
            throw .amountTooLarge("\(what()) exceeds \(Int64.max) minor units, more than the ledger can total exactly")
        }
        return sum
    }
}
