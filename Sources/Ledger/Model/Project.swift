/// A context (a value network) with its own currency, custodian, work types and network fund.
public struct Project: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var currency: Currency
    /// The legal front that sells units and holds the money in trust.
    public var custodian: String?
    /// Receives whatever the value equation leaves unallocated.
    public var fundAgent: String

    public init(id: String, name: String, currency: Currency, custodian: String?, fundAgent: String) {
        self.id = id; self.name = name; self.currency = currency
        self.custodian = custodian; self.fundAgent = fundAgent
    }
}

/// A kind of work and the project's rate for one hour of it, in major currency units.
public struct WorkType: Sendable, Hashable, Codable {
    public var project: String
    public var name: String
    public var rate: LedgerDecimal

    public init(project: String, name: String, rate: LedgerDecimal) {
        self.project = project; self.name = name; self.rate = rate
    }
}
