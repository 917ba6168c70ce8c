/// Where rows are read from: the table, the columns selected (in order) and those that name a row (its key).
/// A value that does not decode is reported as tampering with this table, that row and that column.
struct RowSource: Sendable {
    let table: String
    let columns: [String]
    let key: [String]

    init(_ table: String, _ columns: String, key: String...) {
        self.table = table
        self.columns = columns.split(separator: ",").map { String($0.drop { $0 == " " }) }
        self.key = key
    }

    /// The select list, e.g. "seq, hash".
    var list: String { columns.joined(separator: ", ") }
}

/// Reads typed columns out of a result row. A cell that is not what its column must hold — a float or text
/// where an integer belongs, text that is not a decimal, date or known name — is `LedgerError.tampered`,
/// never a crash and never a silent conversion.
struct RowReader {
    let row: [SQLValue]
    let source: RowSource
    private var index = 0

    init(_ row: [SQLValue], _ source: RowSource) {
        self.row = row
        self.source = source
    }

    private mutating func next() -> (value: SQLValue, column: Int) {
        defer { index += 1 }
        return (index < row.count ? row[index] : .null, index)
    }

    /// "ledger tampered: table events, row seq=2, column value: 1e+300 is not an exact 64-bit integer".
    func tampered(column name: String, _ problem: String) -> LedgerError {
        let key = source.key.map { keyColumn in
            let value = source.columns.firstIndex(of: keyColumn).flatMap { $0 < row.count ? row[$0] : nil } ?? .null
            return "\(keyColumn)=\(value.shown(quoted: false))"
        }
        return .tampered("ledger tampered: table \(source.table), row \(key.joined(separator: " ")), column \(name): \(problem)")
    }

    private func tampered(_ column: Int, _ problem: String) -> LedgerError {
        tampered(column: column < source.columns.count ? source.columns[column] : "#\(column + 1)", problem)
    }

    /// The next cell as `T`, nil when it is NULL; any other kind of cell is tampering ("… is not `expected`").
    private mutating func optionalCell<T>(_ expected: String, _ cast: (SQLValue) -> T?) throws(LedgerError) -> T? {
        let (value, column) = next()
        if case .null = value { return nil }
        guard let typed = cast(value) else { throw tampered(column, "\(value.shown()) is not \(expected)") }
        return typed
    }

    private mutating func cell<T>(_ expected: String, _ cast: (SQLValue) -> T?) throws(LedgerError) -> T {
        guard let typed = try optionalCell(expected, cast) else { throw tampered(index - 1, "NULL is not \(expected)") }
        return typed
    }

    /// The text just read as a value of its column's type; text that does not parse is tampering.
    private func parsed<T>(_ text: String, _ expected: String, _ parse: (String) -> T?) throws(LedgerError) -> T {
        guard let value = parse(text) else { throw tampered(index - 1, "'\(text)' is not \(expected)") }
        return value
    }

    private static let anInteger = "an exact 64-bit integer", aDecimal = "a decimal", aDate = "a date YYYY-MM-DD"
    private static func integerCell(_ value: SQLValue) -> Int64? { if case .integer(let integer) = value { integer } else { nil } }
    private static func textCell(_ value: SQLValue) -> String? { if case .text(let text) = value { text } else { nil } }

    mutating func int() throws(LedgerError) -> Int64 { try cell(Self.anInteger, Self.integerCell) }

    mutating func optionalInt() throws(LedgerError) -> Int64? { try optionalCell(Self.anInteger, Self.integerCell) }

    /// Money the ledger only ever adds to a row (claim values, balances, payments): a negative one is tampering.
    mutating func nonNegative() throws(LedgerError) -> Int64 {
        let integer = try int()
        guard integer >= 0 else { throw tampered(index - 1, "\(integer) is negative") }
        return integer
    }

    mutating func text() throws(LedgerError) -> String { try cell("text", Self.textCell) }

    mutating func optionalText() throws(LedgerError) -> String? { try optionalCell("text", Self.textCell) }

    mutating func decimal() throws(LedgerError) -> LedgerDecimal {
        let text = try self.text()
        return try parsed(text, Self.aDecimal) { LedgerDecimal($0) }
    }

    mutating func optionalDecimal() throws(LedgerError) -> LedgerDecimal? {
        guard let text = try optionalText() else { return nil }
        return try parsed(text, Self.aDecimal) { LedgerDecimal($0) }
    }

    mutating func date() throws(LedgerError) -> LedgerDate {
        let text = try self.text()
        return try parsed(text, Self.aDate) { try? LedgerDate($0) }
    }

    mutating func optionalDate() throws(LedgerError) -> LedgerDate? {
        guard let text = try optionalText() else { return nil }
        return try parsed(text, Self.aDate) { try? LedgerDate($0) }
    }

    mutating func currency() throws(LedgerError) -> Currency {
        let text = try self.text()
        return try parsed(text, "an ISO 4217 currency code") { try? Currency($0) }
    }

    /// One of a closed set of names (an event kind, a claim rule, an agent kind).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(LedgerError) -> T where T.RawValue == String {
        let text = try self.text()
        return try parsed(text, "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))") { T(rawValue: $0) }
    }
}

extension SQLValue {
    /// A cell as a message shows it: on one line, text cut short.
    func shown(quoted: Bool = true) -> String {
        switch self {
        case .integer(let value): return String(value)
        case .real(let value): return "\(value)"
        case .null: return "NULL"
        case .text(let text):
            var visible = ""
            for scalar in text.unicodeScalars.prefix(40) {
                let control = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                visible += control ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
            if text.unicodeScalars.count > 40 { visible += "…" }
            return quoted ? "'\(visible)'" : visible
        }
    }
}

/// Every table's row shape, and the decoders shared by the store's reads.
enum Rows {
    static let events = RowSource("events", "seq, date, agent, project, kind, hours, work_type, rate, value, design, unit, note, reverses, recorded_at, previous_hash, hash, quantity, quantity_unit, gift, source_reference", key: "seq")
    static let sales = RowSource("sales", "id, project, unit, price, currency, date, buyer, direct_costs, quantity", key: "id")
    /// The sales table before migration 5 added `quantity`, as migration 2's backfill reads it.
    static let salesBeforeLots = RowSource("sales", "id, project, unit, price, currency, date, buyer, direct_costs", key: "id")
    static let saleLines = RowSource("sale_lines", "sale, line, unit, quantity, price", key: "sale", "line")
    static let lots = RowSource("lots", "id, quantity, measure, expires", key: "id")
    static let eventLots = RowSource("event_lots", "event, position, lot, weight", key: "event", "position")
    static let writeOffs = RowSource("lot_write_offs", "id, lot, quantity, date, reason, recorded_at", key: "id")
    static let claimColumns = "project, bucket, event, agent, rule, original, balance, paid"
    static let claims = RowSource("claims", claimColumns, key: "project", "bucket", "event")
    static let baselineClaims = RowSource("claims_baseline", claimColumns, key: "project", "bucket", "event")
    static let projects = RowSource("projects", "id, name, currency, custodian, fund_agent", key: "id")
    static let distributions = RowSource("distributions", "sale, project, currency, distributable, equation_version, snapshot", key: "sale")
    static let lines = RowSource("distribution_lines", "sale, line, bucket, agent, amount", key: "sale", "line")
    static let payments = RowSource("claim_payments", "sale, bucket, event, agent, amount", key: "sale", "bucket", "event")
    static let saleReversals = RowSource("sale_reversals", "sale, date, note, recorded_at", key: "sale")

    static func event(_ row: [SQLValue], lots: [LotSplit]? = nil) throws(LedgerError) -> ContributionEvent {
        var r = RowReader(row, events)
        let id = try r.int(), date = try r.date(), agent = try r.text(), project = try r.text()
        let kind = try r.choice(ContributionKind.self)
        var record = EventRecord(
            date: date, agent: agent, project: project, kind: kind, hours: try r.optionalDecimal(),
            workType: try r.optionalText(), rate: try r.optionalDecimal(), value: try r.int(), design: try r.optionalText(),
            unit: try r.optionalText(), note: try r.optionalText(), reverses: try r.optionalInt(), recordedAt: try r.text(),
            lots: lots)
        let previousHash = try r.text(), hash = try r.text()
        record.quantity = try eventQuantity(&r)
        record.gift = try r.optionalInt() != nil
        record.sourceReference = try r.optionalText()
        return ContributionEvent(id: id, record: record, previousHash: previousHash, hash: hash)
    }

    /// The quantity columns: both NULL, or a decimal and a unit of measure.
    private static func eventQuantity(_ r: inout RowReader) throws(LedgerError) -> EventQuantity? {
        let amount = try r.optionalDecimal(), measure = try r.optionalText()
        guard let amount else {
            if measure != nil { throw r.tampered(column: "quantity", "NULL beside a unit of measure") }
            return nil
        }
        guard let measure, Lot.measures.contains(measure) else {
            throw r.tampered(column: "quantity_unit", "\(measure.map { "'\($0)'" } ?? "NULL") is not a unit of measure")
        }
        return EventQuantity(amount: amount, measure: measure)
    }

    static func sale(_ row: [SQLValue], from source: RowSource = sales) throws(LedgerError) -> Sale {
        var r = RowReader(row, source)
        let id = try r.int(), project = try r.text(), unit = try r.text(), price = try r.nonNegative()
        let currency = try r.currency(), date = try r.date(), buyer = try r.text(), directCosts = try r.nonNegative()
        // Every sale was refused unless its direct costs fit in its price, so `distributable` never goes negative.
        guard directCosts <= price else { throw r.tampered(column: "direct_costs", "\(directCosts) exceeds the price \(price)") }
        var quantity: Int64?
        if source.list.hasSuffix("quantity") {
            quantity = try r.optionalInt()
            if let quantity, Lot.quantityProblem(quantity) != nil {
                throw r.tampered(column: "quantity", "\(quantity) is not a quantity greater than 0")
            }
        }
        return Sale(id: id, draft: SaleDraft(project: project, unit: unit, price: price, currency: currency, date: date,
                                             buyer: buyer, directCosts: directCosts, quantity: quantity))
    }

    /// (sale id, line) of one row of `sale_lines`.
    static func saleLine(_ row: [SQLValue]) throws(LedgerError) -> (sale: Int64, line: SaleLine) {
        var r = RowReader(row, saleLines)
        let sale = try r.int()
        _ = try r.int()
        let unit = try r.text(), quantity = try r.optionalInt()
        if let quantity, Lot.quantityProblem(quantity) != nil {
            throw r.tampered(column: "quantity", "\(quantity) is not a quantity greater than 0")
        }
        return (sale, SaleLine(unit: unit, quantity: quantity, price: try r.nonNegative()))
    }

    /// (event, its lot and weight) of one row of `event_lots`.
    static func eventLot(_ row: [SQLValue]) throws(LedgerError) -> (event: Int64, split: LotSplit) {
        var r = RowReader(row, eventLots)
        let event = try r.int()
        _ = try r.int()
        let lot = try r.text(), weight = try r.decimal()
        guard weight.isPositive else { throw r.tampered(column: "weight", "\(weight) is not a weight greater than 0") }
        return (event, LotSplit(lot: lot, weight: weight))
    }

    static func lot(_ row: [SQLValue], design: String) throws(LedgerError) -> Lot {
        var r = RowReader(row, lots)
        let id = try r.text(), quantity = try r.int()
        if Lot.quantityProblem(quantity) != nil { throw r.tampered(column: "quantity", "\(quantity) is not a quantity greater than 0") }
        let measure = try r.text()
        guard Lot.measures.contains(measure) else { throw r.tampered(column: "measure", "'\(measure)' is not a unit of measure") }
        return Lot(id: id, design: design, quantity: quantity, measure: measure, expires: try r.optionalDate())
    }

    static func writeOff(_ row: [SQLValue]) throws(LedgerError) -> LotWriteOff {
        var r = RowReader(row, writeOffs)
        let id = try r.int(), lot = try r.text(), quantity = try r.int()
        if Lot.quantityProblem(quantity) != nil { throw r.tampered(column: "quantity", "\(quantity) is not a quantity greater than 0") }
        return LotWriteOff(id: id, lot: lot, quantity: quantity, date: try r.date(), reason: try r.text(), recordedAt: try r.text())
    }

    static func claim(_ row: [SQLValue], from source: RowSource = claims) throws(LedgerError) -> Claim {
        var r = RowReader(row, source)
        let project = try r.text(), bucket = try r.text(), event = try r.int(), agent = try r.text()
        let rule = try r.choice(ClaimRule.self)
        return Claim(project: project, bucket: bucket, event: event, agent: agent, rule: rule,
                     original: try r.nonNegative(), balance: try r.nonNegative(), paid: try r.nonNegative())
    }

    static func project(_ row: [SQLValue]) throws(LedgerError) -> Project {
        var r = RowReader(row, projects)
        return Project(id: try r.text(), name: try r.text(), currency: try r.currency(),
                       custodian: try r.optionalText(), fundAgent: try r.text())
    }

    static func line(_ row: [SQLValue]) throws(LedgerError) -> (number: Int64, line: DistributionLine) {
        var r = RowReader(row, lines)
        _ = try r.int()
        let number = try r.int()
        return (number, DistributionLine(bucket: try r.optionalText(), agent: try r.text(), amount: try r.int()))
    }

    static func payment(_ row: [SQLValue]) throws(LedgerError) -> ClaimPayment {
        var r = RowReader(row, payments)
        _ = try r.int()
        return ClaimPayment(bucket: try r.text(), event: try r.int(), agent: try r.text(), amount: try r.int())
    }

    static func saleReversal(_ row: [SQLValue]) throws(LedgerError) -> SaleReversal {
        var r = RowReader(row, saleReversals)
        return SaleReversal(sale: try r.int(), date: try r.date(), note: try r.optionalText(), recordedAt: try r.text())
    }
}
