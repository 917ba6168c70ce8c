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

    /// What `lot show` and `GET /api/ledger/lots/{id}` show: the lot's stock and each write-off.
    public func lotReport(_ id: String) async throws(LedgerError) -> LotReport {
        let stock = try await lotStock(id)
        return LotReport(lot: stock.lot, sold: stock.sold, writtenOff: stock.writtenOff, available: stock.available,
                         writeOffs: try await store.writeOffs(lot: id))
    }

    public func lotStock(_ id: String) async throws(LedgerError) -> LotStock {
        guard let stock = try await store.lotStock(id) else { throw .notFound("no lot '\(id)'") }
        return stock
    }

    /// The lots a contribution is shared across with their weights (stated, else the lots' produced quantities),
    /// or nil when it names none; every refusal names `lots` or `split`.
    func sharedLots(_ draft: ContributionDraft) async throws(LedgerError) -> [LotSplit]? {
        guard !draft.lots.isEmpty else {
            guard draft.split == nil else { throw .invalid("split: weights go with two or more lots (--lot, repeated)") }
            return nil
        }
        guard draft.unit == nil, draft.lot == nil else {
            throw .invalid("lots: a contribution goes to a unit, a lot or several lots, one of them")
        }
        guard draft.lots.count >= 2 else { throw .invalid("lots: work shared across lots names at least two") }
        guard draft.lots.count <= LotSplit.maximumLots else {
            throw .invalid("lots: at most \(LotSplit.maximumLots) lots share one contribution, not \(draft.lots.count)")
        }
        var lots = [Lot]()
        for (index, id) in draft.lots.enumerated() {
            guard !draft.lots[..<index].contains(id) else { throw .invalid("lots: '\(id)' is named twice") }
            guard let lot = try await store.lot(id) else { throw .notFound("lots: no lot '\(id)' (use `ledger lot add`)") }
            lots.append(lot)
        }
        guard let split = draft.split else { return try Self.byProducedQuantity(lots) }
        guard split.count == lots.count else {
            throw .invalid("split: \(split.count) weights for \(lots.count) lots; give one weight per lot, in their order")
        }
        if let weight = split.first(where: { !$0.isPositive }) { throw .invalid("split: weight \(weight) must be greater than 0") }
        return zip(lots, split).map { LotSplit(lot: $0.id, weight: $1) }
    }

    /// Each lot weighs its produced quantity, reduced by their greatest common divisor so the weights stay decimals.
    static func byProducedQuantity(_ lots: [Lot]) throws(LedgerError) -> [LotSplit] {
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        let divisor = lots.map(\.quantity).reduce(0, gcd)
        return try lots.map { lot throws(LedgerError) in
            let weight = lot.quantity / max(divisor, 1)
            guard weight <= LedgerDecimal.maxMantissa else {
                throw .invalid("split: the lots' produced quantities are too far apart to split by; state --split")
            }
            return LotSplit(lot: lot.id, weight: LedgerDecimal(weight))
        }
    }

    static func checkMeasure(_ measure: String) throws(LedgerError) {
        guard Lot.measures.contains(measure) else {
            throw .invalid("unit of measure '\(measure)' is not one of \(Lot.measures.joined(separator: ", "))")
        }
    }
}
