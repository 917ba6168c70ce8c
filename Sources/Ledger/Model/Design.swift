/// A design revision, e.g. "MQ-FORCE rev 2", with the revision it derives from.
public struct Design: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var parent: String?
    /// The share of a sale of this design owed to its parent's contributors (recursively, through the parent's
    /// own `cites`); nil lets the design bucket's `lineage_weight` decide. Only a design with a parent cites.
    public var cites: LedgerDecimal?

    public init(id: String, name: String, parent: String?, cites: LedgerDecimal? = nil) {
        self.id = id; self.name = name; self.parent = parent; self.cites = cites
    }

    /// Two decimals, like `lineage_weight`, so a lineage's level weights stay exact in Int64.
    public static let citesScale = 2

    /// Why `cites` cannot be stored, or nil when it can: in (0, 1) with at most two decimals.
    public static func citesProblem(_ cites: LedgerDecimal) -> String? {
        guard cites.isPositive, cites < LedgerDecimal(1), cites.scale <= citesScale else {
            return "cites \(cites) must be in (0, 1) with at most 2 decimals"
        }
        return nil
    }
}

/// A built instrument: the serial and design its identity record (MWP/1) reports.
public struct Unit: Sendable, Hashable, Codable {
    public var serial: String
    public var design: String

    public init(serial: String, design: String) {
        self.serial = serial; self.design = design
    }
}
