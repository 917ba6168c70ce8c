/// Reads typed columns out of a result row; a wrong shape is a storage error, never a crash.
struct RowReader {
    let row: [SQLValue]
    var index = 0
    init(_ row: [SQLValue]) { self.row = row }

    mutating func next() -> SQLValue {
        defer { index += 1 }
        return index < row.count ? row[index] : .null
    }

    mutating func text() throws(LedgerError) -> String {
        guard let value = next().string else { throw .storage("column \(index - 1) is not text") }
        return value
    }
    mutating func optionalText() -> String? { next().string }
    mutating func int() throws(LedgerError) -> Int64 {
        guard let value = next().int else { throw .storage("column \(index - 1) is not an integer") }
        return value
    }
    mutating func optionalInt() -> Int64? { next().int }
    mutating func decimal() throws(LedgerError) -> LedgerDecimal {
        let text = try self.text()
        guard let value = LedgerDecimal(text) else { throw .storage("'\(text)' is not a decimal") }
        return value
    }
    mutating func optionalDecimal() throws(LedgerError) -> LedgerDecimal? {
        guard let text = optionalText() else { return nil }
        guard let value = LedgerDecimal(text) else { throw .storage("'\(text)' is not a decimal") }
        return value
    }
    mutating func date() throws(LedgerError) -> LedgerDate { try LedgerDate(try text()) }
    mutating func currency() throws(LedgerError) -> Currency { try Currency(try text()) }
}

enum Rows {
    static let eventColumns = "seq, date, agent, project, kind, hours, work_type, rate, value, design, unit, note, reverses, recorded_at, previous_hash, hash"

    static func event(_ row: [SQLValue]) throws(LedgerError) -> ContributionEvent {
        var r = RowReader(row)
        let id = try r.int(), date = try r.date(), agent = try r.text(), project = try r.text()
        let kindText = try r.text()
        guard let kind = ContributionKind(rawValue: kindText) else { throw .storage("unknown event kind \(kindText)") }
        return ContributionEvent(
            id: id, date: date, agent: agent, project: project, kind: kind, hours: try r.optionalDecimal(),
            workType: r.optionalText(), rate: try r.optionalDecimal(), value: try r.int(), design: r.optionalText(),
            unit: r.optionalText(), note: r.optionalText(), reverses: r.optionalInt(), recordedAt: try r.text(),
            previousHash: try r.text(), hash: try r.text())
    }

    static let saleColumns = "id, project, unit, price, currency, date, buyer, direct_costs"

    static func sale(_ row: [SQLValue]) throws(LedgerError) -> Sale {
        var r = RowReader(row)
        return Sale(id: try r.int(), project: try r.text(), unit: try r.text(), price: try r.int(),
                    currency: try r.currency(), date: try r.date(), buyer: try r.text(), directCosts: try r.int())
    }

    static let claimColumns = "project, bucket, event, agent, rule, original, balance, paid"

    static func claim(_ row: [SQLValue]) throws(LedgerError) -> Claim {
        var r = RowReader(row)
        let project = try r.text(), bucket = try r.text(), event = try r.int(), agent = try r.text()
        let ruleText = try r.text()
        guard let rule = ClaimRule(rawValue: ruleText) else { throw .storage("unknown claim rule \(ruleText)") }
        return Claim(project: project, bucket: bucket, event: event, agent: agent, rule: rule,
                     original: try r.int(), balance: try r.int(), paid: try r.int())
    }

    static func project(_ row: [SQLValue]) throws(LedgerError) -> Project {
        var r = RowReader(row)
        return Project(id: try r.text(), name: try r.text(), currency: try r.currency(),
                       custodian: r.optionalText(), fundAgent: try r.text())
    }
}
