/// Lots: a design produced in a quantity, contributed to as a whole and sold in parts (docs/ledger.md, "Lots").
extension Ledger {
    /// Registers a lot of `quantity` `measure` (an OM2 label: `box`, `kg`, …) of a design.
    @discardableResult
    public func addLot(id: String, design: String, quantity: Int64, measure: String, expires: LedgerDate? = nil)
        async throws(LedgerError) -> Lot {
        guard !id.isEmpty else { throw .invalid("lot id is empty") }
        if let problem = Lot.quantityProblem(quantity) { throw .invalid(problem) }
        try Self.checkMeasure(measure)
        guard try await store.design(design) != nil else { throw .notFound("no design '\(design)' (use `ledger design add`)") }
        let lot = Lot(id: id, design: design, quantity: quantity, measure: measure, expires: expires)
        try await store.insert(lot)
        return lot
    }

    /// Closes `quantity` of a lot for sale (spoiled, lost, unsold). Its claims stay: product-filtered buckets only
    /// reach them through sales of what is left, project-wide buckets still can (docs/ledger.md, "Write-offs").
    @discardableResult
    public func writeOff(lot: String, quantity: Int64, date: LedgerDate, reason: String) async throws(LedgerError) -> LotWriteOff {
        if let problem = Lot.quantityProblem(quantity) { throw .invalid(problem) }
        guard !reason.isEmpty else { throw .invalid("reason is empty: say why the quantity is written off (spoiled, lost, unsold)") }
        return try await store.insertWriteOff(lot: lot, quantity: quantity, date: date, reason: reason)
    }

    public func lotStock(_ id: String) async throws(LedgerError) -> LotStock {
        guard let stock = try await store.lotStock(id) else { throw .notFound("no lot '\(id)'") }
        return stock
    }

    static func checkMeasure(_ measure: String) throws(LedgerError) {
        guard Lot.measures.contains(measure) else {
            throw .invalid("unit of measure '\(measure)' is not one of \(Lot.measures.joined(separator: ", "))")
        }
    }
}
