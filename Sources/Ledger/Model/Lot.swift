/// A batch of one design produced in a quantity (40 meal boxes, 12 kg of chutney) and sold in parts until it is
/// exhausted. A lot is a product like a serial-numbered unit and shares the units' identifiers, so contributions
/// and sales name it the same way; unlike a unit it has a produced quantity in a unit of measure. Never edited once
/// added: every distribution of a part of it is replayed against the quantity it was produced in.
public struct Lot: Sendable, Hashable, Codable {
    public var id: String
    public var design: String
    /// Whole units of `measure`, 1 … `AmountLimit.maximum`.
    public var quantity: Int64
    /// An OM2 unit label as ValueFlows uses them (`Lot.measures`).
    public var measure: String
    /// No part of the lot is sold after this date.
    public var expires: LedgerDate?

    public init(id: String, design: String, quantity: Int64, measure: String, expires: LedgerDate? = nil) {
        self.id = id; self.design = design; self.quantity = quantity; self.measure = measure; self.expires = expires
    }

    /// The units of measure a lot may be counted in (OM2 labels: `one` counts items).
    public static let measures = ["one", "box", "portion", "kg", "g", "l", "ml", "h"]

    /// Why `quantity` cannot be a produced, sold or written-off quantity, or nil when it can.
    public static func quantityProblem(_ quantity: Int64) -> String? {
        guard quantity > 0 else { return "quantity \(quantity) must be a whole number greater than 0" }
        guard quantity <= AmountLimit.maximum else { return "quantity \(quantity) is beyond the maximum, 10^15" }
        return nil
    }
}

/// Spoiled, lost or unsold units of a lot, closed for sale; appended and never edited. The lot's claims stay
/// (see docs/ledger.md, "Lots"): a write-off only lowers what can still be sold.
public struct LotWriteOff: Sendable, Hashable, Codable {
    public var id: Int64
    public var lot: String
    public var quantity: Int64
    public var date: LedgerDate
    public var reason: String
    public var recordedAt: String

    public init(id: Int64, lot: String, quantity: Int64, date: LedgerDate, reason: String, recordedAt: String) {
        self.id = id; self.lot = lot; self.quantity = quantity; self.date = date; self.reason = reason
        self.recordedAt = recordedAt
    }
}

/// What is left of a lot: produced − sold (sales not reversed) − written off.
public struct LotStock: Sendable, Hashable, Codable {
    public var lot: Lot
    public var sold: Int64
    public var writtenOff: Int64

    public init(lot: Lot, sold: Int64, writtenOff: Int64) { self.lot = lot; self.sold = sold; self.writtenOff = writtenOff }

    public var available: Int64 { lot.quantity - sold - writtenOff }

    /// How the stock reads in a refusal: "lot 'L' holds 16 box (40 produced, 24 sold, 0 written off)".
    public var summary: String {
        "lot '\(lot.id)' holds \(available) \(lot.measure) (\(lot.quantity) produced, \(sold) sold, \(writtenOff) written off)"
    }
}

/// A lot as shown: what of it is sold, written off and still for sale, and each write-off.
public struct LotReport: Sendable, Encodable {
    public var lot: Lot
    public var sold: Int64
    public var writtenOff: Int64
    public var available: Int64
    public var writeOffs: [LotWriteOff]

    public var stock: LotStock { LotStock(lot: lot, sold: sold, writtenOff: writtenOff) }
}

/// The part of a lot one sale sells, as the engine takes it: the lot's contributions count for `sold ÷ produced`.
public struct LotShare: Sendable, Hashable {
    public var sold: Int64
    public var produced: Int64

    public init(sold: Int64, produced: Int64) { self.sold = sold; self.produced = produced }

    /// ⌈amount × fraction × sold ÷ produced⌉, at most `amount × fraction`. Rounded up so that selling a whole lot
    /// in any parts can repay each of its debts in full; the claim's balance still caps what it is ever paid.
    /// `fraction` is the lot's part of a contribution shared across lots (whole for the lot's own events).
    func part(of amount: Int64, _ fraction: LotFraction = .whole) -> Int64 {
        guard amount > 0, produced > 0, fraction.denominator > 0 else { return amount }
        let sold = UInt128(min(max(self.sold, 0), produced))
        // amount < 2^63 and the numerator < 10^19 < 2^64: their product fits; × sold needs the full width, and
        // the quotient is at most amount since sold ≤ produced and numerator ≤ denominator.
        let product = sold.multipliedFullWidth(by: UInt128(amount) * fraction.numerator)
        let (quotient, remainder) = (UInt128(produced) * fraction.denominator).dividingFullWidth(product)
        return Int64(min(quotient + (remainder > 0 ? 1 : 0), UInt128(amount)))
    }
}
