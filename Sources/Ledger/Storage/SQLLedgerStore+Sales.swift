/// Sales and their reversals. A serial-numbered unit has at most one sale that is not reversed, and a lot's sales
/// not reversed never add up to more than it holds (SQLLedgerStore+Lots): the check and
/// the insert run in one transaction, which both backends serialise across connections and processes
/// (`BEGIN IMMEDIATE` on SQLite, the advisory lock on PostgreSQL), so two writers racing to sell one unit
/// cannot both succeed.
extension SQLLedgerStore {
    public func insert(_ sale: SaleDraft) async throws(LedgerError) -> Sale {
        try await database.transaction { s throws(LedgerError) in
            for (index, line) in sale.productLines.enumerated() {
                do throws(LedgerError) { try await Self.requireSellable(line, on: sale.date, s) } catch {
                    throw sale.lines == nil ? error : error.prefixed("line \(index + 1): ")
                }
            }
            let id = try await Self.nextSaleID(s)
            try await s.execute("INSERT INTO sales (\(Rows.sales.list)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [.integer(id), .text(sale.project), .text(sale.unit), .integer(sale.price),
                                 .text(sale.currency.code), .text(sale.date.text), .text(sale.buyer),
                                 .integer(sale.directCosts), SQLValue(sale.quantity)])
            for (index, line) in (sale.lines ?? []).enumerated() {
                try await s.execute("INSERT INTO sale_lines (\(Rows.saleLines.list)) VALUES (?, ?, ?, ?, ?)",
                                    [.integer(id), .integer(Int64(index + 1)), .text(line.unit), SQLValue(line.quantity),
                                     .integer(line.price)])
            }
            return Sale(id: id, draft: sale)
        }
    }

    /// Refuses a line selling more of a lot than it holds, or a unit that is sold.
    static func requireSellable(_ line: SaleLine, on date: LedgerDate, _ s: any SQLSession) async throws(LedgerError) {
        if let stock = try await Self.lotStock(line.unit, s) {
            try Self.requireAvailable(line.quantity, on: date, stock)
        } else {
            guard line.quantity == nil else {
                throw .invalid("quantity: '\(line.unit)' is a serial-numbered unit, sold whole; give no quantity")
            }
            try await Self.requireUnsold(line.unit, on: date, s)
        }
    }

    /// The sales that sell `unit`, in one line or as one of several.
    static let salesOfUnit = "SELECT \(Rows.sales.list) FROM sales WHERE (unit = ? AND id NOT IN (SELECT sale FROM sale_lines)) "
        + "OR id IN (SELECT sale FROM sale_lines WHERE unit = ?) ORDER BY id"

    /// Refuses a unit with a sale that is not reversed, and a sale dated before the unit's last one was reversed
    /// (the unit was still the earlier buyer's then).
    static func requireUnsold(_ unit: String, on date: LedgerDate, _ s: any SQLSession) async throws(LedgerError) {
        var lastReversal: SaleReversal?
        for row in try await s.query(salesOfUnit, [.text(unit), .text(unit)]) {
            let sale = try Rows.sale(row)
            guard let reversal = try await saleReversal(sale.id, s) else {
                throw .duplicate("unit '\(unit)' is already sold (sale \(sale.id) on \(sale.date)); a unit is sold once, "
                                 + "unless that sale is reversed (`ledger sale reverse --sale \(sale.id)`)")
            }
            if lastReversal.map({ reversal.date > $0.date }) ?? true { lastReversal = reversal }
        }
        if let lastReversal, date < lastReversal.date {
            throw .invalid("unit '\(unit)' was sold until \(lastReversal.date), when sale \(lastReversal.sale) was reversed; "
                           + "a new sale of it cannot be dated before that")
        }
    }

    static func nextSaleID(_ s: any SQLSession) async throws(LedgerError) -> Int64 {
        let source = RowSource("sales", "id", key: "id")
        guard let row = try await s.query("SELECT id FROM sales ORDER BY id DESC LIMIT 1", []).first else { return 1 }
        var r = RowReader(row, source)
        let last = try r.int()
        guard last < Int64.max else { throw r.tampered(column: "id", "no sale can follow it") }
        return last + 1
    }

    public func sale(_ id: Int64) async throws(LedgerError) -> Sale? {
        try await inTransaction { s throws(LedgerError) in try await Self.sale(id, s) }
    }

    static func sale(_ id: Int64, _ s: any SQLSession) async throws(LedgerError) -> Sale? {
        guard let row = try await s.query("SELECT \(Rows.sales.list) FROM sales WHERE id = ?", [.integer(id)]).first else {
            return nil
        }
        return try await withLines(try Rows.sale(row), s)
    }

    /// The sale with its lines, when it has several.
    static func withLines(_ sale: Sale, _ s: any SQLSession) async throws(LedgerError) -> Sale {
        var lines = [SaleLine]()
        for row in try await s.query("SELECT \(Rows.saleLines.list) FROM sale_lines WHERE sale = ? ORDER BY line", [.integer(sale.id)]) {
            lines.append(try Rows.saleLine(row).line)
        }
        var sale = sale
        if !lines.isEmpty { sale.lines = lines }
        return sale
    }

    public func sales(project: String?) async throws(LedgerError) -> [Sale] {
        try await inTransaction { s throws(LedgerError) in
            let rows = try await Self.rows(Rows.sales.list, of: "sales", in: project, orderedBy: "id", s)
            var sales = [Sale]()
            for row in rows { sales.append(try await Self.withLines(try Rows.sale(row), s)) }
            return sales
        }
    }

    // MARK: reversals

    public func insertReversal(sale id: Int64, date: LedgerDate, note: String?) async throws(LedgerError) -> SaleReversal {
        let recordedAt = Timestamp.nowUTC()
        return try await database.transaction { s throws(LedgerError) in
            guard let sale = try await Self.sale(id, s) else { throw .notFound("no sale \(id)") }
            if let reversal = try await Self.saleReversal(id, s) {
                throw .duplicate("sale \(id) is already reversed (on \(reversal.date))")
            }
            guard date >= sale.date else { throw .invalid("a reversal cannot be dated before the sale it reverses (\(sale.date))") }
            let reversal = SaleReversal(sale: id, date: date, note: note, recordedAt: recordedAt)
            try await s.execute("INSERT INTO sale_reversals (\(Rows.saleReversals.list)) VALUES (?, ?, ?, ?)",
                                [.integer(id), .text(date.text), SQLValue(note), .text(recordedAt)])
            return reversal
        }
    }

    public func saleReversal(sale id: Int64) async throws(LedgerError) -> SaleReversal? {
        try await inTransaction { s throws(LedgerError) in try await Self.saleReversal(id, s) }
    }

    static func saleReversal(_ id: Int64, _ s: any SQLSession) async throws(LedgerError) -> SaleReversal? {
        try await s.query("SELECT \(Rows.saleReversals.list) FROM sale_reversals WHERE sale = ?", [.integer(id)])
            .first.map { row throws(LedgerError) in try Rows.saleReversal(row) }
    }
}
