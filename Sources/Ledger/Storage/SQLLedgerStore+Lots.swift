/// Lots and their write-offs. What a lot still holds is computed, never stored: produced − the quantities of its
/// sales not reversed − its write-offs, read in the transaction that sells or writes off more, so two writers
/// cannot together take more than the lot holds (both backends serialise writing transactions).
extension SQLLedgerStore {
    public func insert(_ lot: Lot) async throws(LedgerError) {
        try await inTransaction { s throws(LedgerError) in
            guard try await s.query("SELECT serial FROM units WHERE serial = ?", [.text(lot.id)]).isEmpty else {
                throw .duplicate("'\(lot.id)' is already registered as a unit or lot")
            }
            try await s.execute("INSERT INTO units (serial, design) VALUES (?, ?)", [.text(lot.id), .text(lot.design)])
            try await s.execute("INSERT INTO lots (\(Rows.lots.list)) VALUES (?, ?, ?, ?)",
                                [.text(lot.id), .integer(lot.quantity), .text(lot.measure), SQLValue(lot.expires?.text)])
        }
    }

    public func lot(_ id: String) async throws(LedgerError) -> Lot? {
        try await inTransaction { s throws(LedgerError) in try await Self.lot(id, s) }
    }

    public func lots() async throws(LedgerError) -> [Lot] {
        try await inTransaction { s throws(LedgerError) in
            var lots = [Lot]()
            for row in try await s.query("SELECT id FROM lots ORDER BY id", []) {
                var r = RowReader(row, RowSource("lots", "id", key: "id"))
                if let lot = try await Self.lot(try r.text(), s) { lots.append(lot) }
            }
            return lots
        }
    }

    static func lot(_ id: String, _ s: any SQLSession) async throws(LedgerError) -> Lot? {
        guard let row = try await s.query("SELECT \(Rows.lots.list) FROM lots WHERE id = ?", [.text(id)]).first else { return nil }
        guard let unit = try await Self.unit(id, s) else { throw .tampered("ledger tampered: lot '\(id)' has no row in units") }
        return try Rows.lot(row, design: unit.design)
    }

    public func lotStock(_ id: String) async throws(LedgerError) -> LotStock? {
        try await inTransaction { s throws(LedgerError) in try await Self.lotStock(id, s) }
    }

    static func lotStock(_ id: String, _ s: any SQLSession) async throws(LedgerError) -> LotStock? {
        guard let lot = try await Self.lot(id, s) else { return nil }
        var sold: Int64 = 0, writtenOff: Int64 = 0
        for row in try await s.query(salesOfUnit, [.text(id), .text(id)]) {
            let sale = try await withLines(try Rows.sale(row), s)
            guard try await saleReversal(sale.id, s) == nil else { continue }
            for line in sale.productLines where line.unit == id {
                sold = try sold.adding(line.quantity ?? 0, for: "the quantity sold of lot '\(id)'")
            }
        }
        for write in try await writeOffs(lot: id, s) {
            writtenOff = try writtenOff.adding(write.quantity, for: "the quantity written off of lot '\(id)'")
        }
        return LotStock(lot: lot, sold: sold, writtenOff: writtenOff)
    }

    public func writeOffs(lot: String) async throws(LedgerError) -> [LotWriteOff] {
        try await inTransaction { s throws(LedgerError) in try await Self.writeOffs(lot: lot, s) }
    }

    static func writeOffs(lot: String, _ s: any SQLSession) async throws(LedgerError) -> [LotWriteOff] {
        var result = [LotWriteOff]()
        for row in try await s.query("SELECT \(Rows.writeOffs.list) FROM lot_write_offs WHERE lot = ? ORDER BY id", [.text(lot)]) {
            result.append(try Rows.writeOff(row))
        }
        return result
    }

    public func insertWriteOff(lot id: String, quantity: Int64, date: LedgerDate, reason: String) async throws(LedgerError) -> LotWriteOff {
        let recordedAt = Timestamp.nowUTC()
        return try await inTransaction { s throws(LedgerError) in
            guard let stock = try await Self.lotStock(id, s) else { throw .notFound("no lot '\(id)'") }
            guard quantity <= stock.available else {
                throw .invalid("quantity: \(stock.summary); cannot write off \(quantity)")
            }
            var next: Int64 = 1
            if let row = try await s.query("SELECT id FROM lot_write_offs ORDER BY id DESC LIMIT 1", []).first {
                var r = RowReader(row, RowSource("lot_write_offs", "id", key: "id"))
                let last = try r.int()
                guard last < Int64.max else { throw r.tampered(column: "id", "no write-off can follow it") }
                next = last + 1
            }
            let writeOff = LotWriteOff(id: next, lot: id, quantity: quantity, date: date, reason: reason, recordedAt: recordedAt)
            try await s.execute("INSERT INTO lot_write_offs (\(Rows.writeOffs.list)) VALUES (?, ?, ?, ?, ?, ?)",
                                [.integer(next), .text(id), .integer(quantity), .text(date.text), .text(reason), .text(recordedAt)])
            return writeOff
        }
    }

    /// Refuses a sale of a lot without a quantity, of more than the lot holds, or after it expired.
    static func requireAvailable(_ quantity: Int64?, on date: LedgerDate, _ stock: LotStock) throws(LedgerError) {
        guard let quantity else {
            throw .invalid("quantity: '\(stock.lot.id)' is a lot; say how much of it is sold (--quantity, in \(stock.lot.measure))")
        }
        guard quantity <= stock.available else { throw .invalid("quantity: \(stock.summary); cannot sell \(quantity)") }
        if let expires = stock.lot.expires, date > expires {
            throw .invalid("lot '\(stock.lot.id)' expired on \(expires); it cannot be sold on \(date)")
        }
    }
}
