/// A unit, or part of a lot, sold by the project's custodian: its sale number and the draft as the ledger checked
/// and stored it. The draft's fields read as its own (`sale.price`), and it encodes as one flat object. Only the
/// store makes one, so its memberwise init is internal.
@dynamicMemberLookup
public struct Sale: Sendable, Hashable {
    public var id: Int64
    public var draft: SaleDraft

    public subscript<Field>(dynamicMember field: WritableKeyPath<SaleDraft, Field>) -> Field {
        get { draft[keyPath: field] }
        set { draft[keyPath: field] = newValue }
    }

    public var distributable: Int64 { draft.price - draft.directCosts }

    public var productLines: [SaleLine] { draft.productLines }
}

extension Sale: Codable {
    private enum CodingKeys: String, CodingKey { case id }

    public init(from decoder: any Decoder) throws {
        self.init(id: try decoder.container(keyedBy: CodingKeys.self).decode(Int64.self, forKey: .id),
                  draft: try SaleDraft(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try draft.encode(to: encoder)
        var number = encoder.container(keyedBy: CodingKeys.self)
        try number.encode(id, forKey: .id)
    }
}

/// One line of a sale: a unit (sold whole) or part of a lot, at a price in minor units.
public struct SaleLine: Sendable, Hashable, Codable {
    public var unit: String
    public var quantity: Int64?
    public var price: Int64

    public init(unit: String, quantity: Int64? = nil, price: Int64) {
        self.unit = unit; self.quantity = quantity; self.price = price
    }
}

/// A sale before the ledger numbers it.
public struct SaleDraft: Sendable, Hashable, Codable {
    public var project: String
    /// The sold unit's serial or the lot's id (they share one namespace).
    public var unit: String
    public var price: Int64
    public var currency: Currency
    public var date: LedgerDate
    public var buyer: String
    /// Paid out to third parties (shipping, payment fees) before anything is distributed.
    public var directCosts: Int64
    /// How much of a lot is sold, in the lot's unit of measure; nil for a serial-numbered unit (sold whole).
    public var quantity: Int64?
    /// A sale of several products (a mixed box, three instruments and a service): two or more lines, the first
    /// included. In a draft `unit`, `quantity` and `price` are then ignored; the ledger fills them from the lines
    /// (line 1's product and quantity, the total). nil for a one-line sale, which every sale was before lines existed.
    public var lines: [SaleLine]?

    public init(project: String, unit: String, price: Int64, currency: Currency, date: LedgerDate,
                buyer: String, directCosts: Int64 = 0, quantity: Int64? = nil) {
        self.project = project; self.unit = unit; self.price = price; self.currency = currency
        self.date = date; self.buyer = buyer; self.directCosts = directCosts; self.quantity = quantity
    }

    /// A sale of several lines (at least two) to one buyer, in one currency, on one date.
    public init(project: String, lines: [SaleLine], currency: Currency, date: LedgerDate, buyer: String, directCosts: Int64 = 0) {
        self.init(project: project, unit: lines.first?.unit ?? "", price: 0, currency: currency, date: date, buyer: buyer,
                  directCosts: directCosts, quantity: lines.first?.quantity)
        self.lines = lines
    }

    /// The sale's lines; a one-line sale is its own single line.
    public var productLines: [SaleLine] { lines ?? [SaleLine(unit: unit, quantity: quantity, price: price)] }
}

/// A sale undone (a return, a cancelled order), appended and never edited. Its unit can be sold again; a sale
/// reversed before it was distributed is never distributed, one reversed after keeps its distribution.
public struct SaleReversal: Sendable, Hashable, Codable {
    public var sale: Int64
    public var date: LedgerDate
    public var note: String?
    /// When the ledger appended it (UTC, ISO 8601).
    public var recordedAt: String

    public init(sale: Int64, date: LedgerDate, note: String?, recordedAt: String) {
        self.sale = sale; self.date = date; self.note = note; self.recordedAt = recordedAt
    }
}
