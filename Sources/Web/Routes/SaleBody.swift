import Ledger

/// A sale of one unit (`unit`), of part of a lot (`lot` and `quantity`), or of several products (`lines`).
struct SaleBody: Codable {
    var project: String
    var unit: String?
    var lot: String?
    /// How much of `lot` is sold, in the lot's unit of measure.
    var quantity: Int64?
    /// Integer minor units; with `lines`, each line has its own.
    var price: Int64?
    var lines: [SaleLineBody]?
    var currency: Currency
    var date: LedgerDate
    var buyer: String
    var directCosts: Int64?
}

/// One line of a sale: a unit, or `quantity` of a lot, at `price` minor units.
struct SaleLineBody: Codable {
    var unit: String?
    var lot: String?
    var quantity: Int64?
    var price: Int64
}

extension SaleBody {
    /// The draft the CLI's `sale record` would make of the same choices, refusing what it refuses.
    func draft() throws(LedgerError) -> SaleDraft {
        if let lines {
            guard unit == nil, lot == nil, quantity == nil, price == nil else {
                throw .invalid("lines: a sale of lines gives every product in 'lines', without 'unit', 'lot', 'quantity' or 'price'")
            }
            var saleLines = [SaleLine]()
            for (index, line) in lines.enumerated() {
                saleLines.append(try Self.product(unit: line.unit, lot: line.lot, quantity: line.quantity, price: line.price,
                                                  field: "line \(index + 1): "))
            }
            return SaleDraft(project: project, lines: saleLines, currency: currency, date: date, buyer: buyer,
                             directCosts: directCosts ?? 0)
        }
        guard let price else { throw .invalid("price: a sale needs 'price' (or 'lines', each with its price)") }
        let line = try Self.product(unit: unit, lot: lot, quantity: quantity, price: price, field: "")
        return SaleDraft(project: project, unit: line.unit, price: price, currency: currency, date: date, buyer: buyer,
                         directCosts: directCosts ?? 0, quantity: line.quantity)
    }

    private static func product(unit: String?, lot: String?, quantity: Int64?, price: Int64, field: String)
        throws(LedgerError) -> SaleLine {
        switch (unit, lot) {
        case (let unit?, nil):
            guard quantity == nil else { throw .invalid("\(field)quantity: a unit is sold whole; 'quantity' goes with 'lot'") }
            return SaleLine(unit: unit, price: price)
        case (nil, let lot?):
            guard let quantity else { throw .invalid("\(field)quantity: a sale of lot '\(lot)' needs 'quantity'") }
            return SaleLine(unit: lot, quantity: quantity, price: price)
        default:
            throw .invalid("\(field)a sale sells a unit ('unit') or part of a lot ('lot' and 'quantity'), one of them")
        }
    }
}
