/// Every failure the ledger reports; `description` is the one line the CLI prints.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case notFound(String)
    case duplicate(String)
    case currencyMismatch(sale: String, project: String)
    case alreadyDistributed(sale: Int64)
    case equation(String)
    /// A product or sum that does not fit the ledger's integers; says what was being computed.
    case amountTooLarge(String)
    case storage(String)
    case tampered(String)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .notFound(let message): message
        case .duplicate(let message): message
        case .currencyMismatch(let sale, let project):
            "sale currency \(sale) does not match the project's currency \(project)"
        case .alreadyDistributed(let sale): "sale \(sale) has already been distributed"
        case .equation(let message): "value equation: \(message)"
        case .amountTooLarge(let message): message
        case .storage(let message): "ledger storage: \(message)"
        case .tampered(let message): message
        }
    }
}

extension LedgerError {
    /// A contribution whose source reference an event already holds: names both, so the caller sees what the
    /// work was credited as.
    public static func alreadyCredited(_ reference: String, event: Int64) -> LedgerError {
        .duplicate("\(reference) is already credited as event \(event)")
    }

    /// The same error with its message prefixed, e.g. by the sale line it is about ("line 2: …").
    public func prefixed(_ prefix: String) -> LedgerError {
        switch self {
        case .invalid(let message): .invalid(prefix + message)
        case .notFound(let message): .notFound(prefix + message)
        case .duplicate(let message): .duplicate(prefix + message)
        default: self
        }
    }
}
