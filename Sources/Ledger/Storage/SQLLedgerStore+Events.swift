extension SQLLedgerStore {
    public func append(_ record: EventRecord) async throws(LedgerError) -> ContributionEvent {
        try await append([record])[0]
    }

    public func append(_ records: [EventRecord]) async throws(LedgerError) -> [ContributionEvent] {
        let recordedAt = Timestamp.nowUTC()
        return try await database.transaction { s throws(LedgerError) in
            var (seq, hash) = try await Self.eventsHead(s)
            var appended = [ContributionEvent]()
            appended.reserveCapacity(records.count)
            // What each record credits, looked up in this transaction: a concurrent writer waits for it to end, so
            // two credits of one source cannot both pass.
            var credited = [String: Int64]()
            for var record in records {
                guard seq < Int64.max else {
                    throw .tampered("ledger tampered: table events, row seq=\(seq), column seq: no event can follow it")
                }
                if let reference = record.sourceReference {
                    guard !reference.isEmpty else { throw .invalid("source reference is empty") }
                    var holder = credited[reference]
                    if holder == nil { holder = try await Self.event(sourceReference: reference, s) }
                    if let holder { throw .alreadyCredited(reference, event: holder) }
                    credited[reference] = seq + 1
                }
                record.recordedAt = recordedAt
                let event = Self.chained(record, seq: seq + 1, previous: hash)
                (seq, hash) = (event.id, event.hash)
                appended.append(event)
            }
            try await s.executeMany(
                "INSERT INTO events (\(Rows.events.list)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                appended.map { e in
                    [.integer(e.id), .text(e.date.text), .text(e.agent), .text(e.project), .text(e.kind.rawValue),
                     SQLValue(e.hours?.description), SQLValue(e.workType), SQLValue(e.rate?.description), .integer(e.value),
                     SQLValue(e.design), SQLValue(e.unit), SQLValue(e.note), SQLValue(e.reverses), .text(e.recordedAt),
                     .text(e.previousHash), .text(e.hash), SQLValue(e.quantity?.amount.description), SQLValue(e.quantity?.measure),
                     e.gift ? .integer(1) : .null, SQLValue(e.sourceReference)]
                })
            try await s.executeMany("INSERT INTO event_lots (\(Rows.eventLots.list)) VALUES (?, ?, ?, ?)", appended.flatMap { e in
                (e.lots ?? []).enumerated().map { position, split in
                    [.integer(e.id), .integer(Int64(position + 1)), .text(split.lot), .text(split.weight.description)]
                }
            })
            try await s.execute("DELETE FROM chain_head WHERE id = 1", [])
            try await s.execute("INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?)", [.integer(seq), .text(hash)])
            return appended
        }
    }

    /// The event `record` becomes as number `seq` after the event whose hash is `previous`.
    private static func chained(_ record: EventRecord, seq: Int64, previous: String) -> ContributionEvent {
        ContributionEvent(id: seq, record: record, previousHash: previous,
                          hash: HashChain.hash(seq: seq, record: record, previous: previous))
    }

    /// The newest event's sequence number and hash (0 and the genesis hash in an empty ledger).
    static func eventsHead(_ s: any SQLSession) async throws(LedgerError) -> (seq: Int64, hash: String) {
        let source = RowSource("events", "seq, hash", key: "seq")
        guard let row = try await s.query("SELECT \(source.list) FROM events ORDER BY seq DESC LIMIT 1", []).first else {
            return (0, HashChain.genesis)
        }
        var r = RowReader(row, source)
        return (try r.int(), try r.text())
    }

    public func event(sourceReference reference: String) async throws(LedgerError) -> ContributionEvent? {
        try await inTransaction { s throws(LedgerError) in
            guard let id = try await Self.event(sourceReference: reference, s) else { return nil }
            return try await Self.event(id, s)
        }
    }

    /// The number of the event holding `reference`, if one does.
    static func event(sourceReference reference: String, _ s: any SQLSession) async throws(LedgerError) -> Int64? {
        let source = RowSource("events", "seq", key: "seq")
        guard let row = try await s.query("SELECT \(source.list) FROM events WHERE source_reference = ?", [.text(reference)]).first else {
            return nil
        }
        var r = RowReader(row, source)
        return try r.int()
    }

    public func event(_ id: Int64) async throws(LedgerError) -> ContributionEvent? {
        try await inTransaction { s throws(LedgerError) in try await Self.event(id, s) }
    }

    static func event(_ id: Int64, _ s: any SQLSession) async throws(LedgerError) -> ContributionEvent? {
        guard let row = try await s.query("SELECT \(Rows.events.list) FROM events WHERE seq = ?", [.integer(id)]).first else {
            return nil
        }
        let lots = try await Self.eventLots("SELECT \(Rows.eventLots.list) FROM event_lots WHERE event = ? ORDER BY position",
                                            [.integer(id)], s)
        return try Rows.event(row, lots: lots[id])
    }

    /// `columns` of every row of `table` in `project` (every project when nil), ordered by `order`.
    static func rows(_ columns: String, of table: String, in project: String?, orderedBy order: String,
                     _ s: any SQLSession) async throws(LedgerError) -> [[SQLValue]] {
        if let project {
            return try await s.query("SELECT \(columns) FROM \(table) WHERE project = ? ORDER BY \(order)", [.text(project)])
        }
        return try await s.query("SELECT \(columns) FROM \(table) ORDER BY \(order)", [])
    }

    /// The lots each event of the rows selected is shared across, by event.
    static func eventLots(_ sql: String, _ arguments: [SQLValue], _ s: any SQLSession) async throws(LedgerError) -> [Int64: [LotSplit]] {
        var lots = [Int64: [LotSplit]]()
        for row in try await s.query(sql, arguments) {
            let (event, split) = try Rows.eventLot(row)
            lots[event, default: []].append(split)
        }
        return lots
    }

    public func events(project: String?) async throws(LedgerError) -> [ContributionEvent] {
        try await inTransaction { s throws(LedgerError) in try await Self.events(project: project, s) }
    }

    static func events(project: String?, _ s: any SQLSession) async throws(LedgerError) -> [ContributionEvent] {
        let rows = try await Self.rows(Rows.events.list, of: "events", in: project, orderedBy: "seq", s)
        let columns = Rows.eventLots.columns.map { "l.\($0)" }.joined(separator: ", ")
        let lots = if let project {
            try await eventLots("SELECT \(columns) FROM event_lots l JOIN events e ON e.seq = l.event WHERE e.project = ? ORDER BY l.event, l.position",
                                [.text(project)], s)
        } else {
            try await eventLots("SELECT \(Rows.eventLots.list) FROM event_lots ORDER BY event, position", [], s)
        }
        var events = [ContributionEvent]()
        events.reserveCapacity(rows.count)
        for row in rows {
            var event = try Rows.event(row)
            event.lots = lots[event.id]
            events.append(event)
        }
        return events
    }

    /// Verifies the event chain, then the distribution chain and every distribution recomputed from the events.
    public func verifyChain() async throws(LedgerError) -> ChainReport {
        try await inTransaction { s throws(LedgerError) in
            let events = try await Self.events(project: nil, s)
            var report = HashChain.verify(events)
            guard report.isIntact else { return report }
            let source = RowSource("chain_head", "id, seq, hash", key: "id")
            let head = try await s.query("SELECT \(source.list) FROM chain_head WHERE id = 1", [])
            if let row = head.first {
                var r = RowReader(row, source)
                _ = try r.int()
                let seq = try r.int(), hash = try r.text()
                if events.last?.id != seq || events.last?.hash != hash {
                    report.problem = "event \(seq) is missing (the newest rows were deleted)"
                }
            } else if !events.isEmpty {
                report.problem = "the chain head is missing"
            }
            guard report.isIntact else { return report }
            let audit = try await Self.distributionAudit(events: events, s)
            report.distributions = audit.links.count
            report.recomputed = audit.links.filter { $0.link.eventsSeq != nil }.count
            report.problem = audit.firstProblem()
            return report
        }
    }

    static func distributionAudit(events: [ContributionEvent], _ s: any SQLSession) async throws(LedgerError) -> DistributionAudit {
        let links = try await storedLinks(s)
        var sales = [Int64: Sale](), projects = [String: Project](), products = [Int64: [ProductLine]]()
        for row in try await s.query("SELECT \(Rows.sales.list) FROM sales", []) {
            let sale = try Rows.sale(row)
            sales[sale.id] = sale
        }
        for row in try await s.query("SELECT \(Rows.saleLines.list) FROM sale_lines ORDER BY sale, line", []) {
            let (sale, line) = try Rows.saleLine(row)
            let lines = sales[sale]?.lines ?? []
            sales[sale]?.lines = lines + [line]
        }
        for row in try await s.query("SELECT \(Rows.projects.list) FROM projects", []) {
            let project = try Rows.project(row)
            projects[project.id] = project
        }
        for link in links {
            guard let sale = sales[link.link.distribution.sale] else { continue }
            products[sale.id] = try await Self.products(of: sale, s)
        }
        var baseline = [Claim](), claims = [Claim]()
        for row in try await s.query("SELECT \(Rows.claimColumns) FROM claims_baseline", []) {
            baseline.append(try Rows.claim(row, from: Rows.baselineClaims))
        }
        for row in try await s.query("SELECT \(Rows.claimColumns) FROM claims", []) { claims.append(try Rows.claim(row)) }
        return DistributionAudit(links: links, head: try await distributionHead(s), sales: sales, projects: projects,
                                 events: events, products: products, baseline: baseline, claims: claims)
    }

    // MARK: equations

    public func insertEquation(_ equation: ValueEquation) async throws(LedgerError) {
        try await database.transaction { s throws(LedgerError) in
            let source = RowSource("equations", "project, version", key: "project", "version")
            let latest = try await s.query("SELECT \(source.list) FROM equations WHERE project = ? ORDER BY version DESC LIMIT 1",
                                           [.text(equation.project)])
            var current: Int64?
            if let row = latest.first {
                var r = RowReader(row, source)
                _ = try r.text()
                current = try r.int()
            }
            if let current, equation.version <= current {
                throw .equation("version \(equation.version) is not newer than the current version \(current)")
            }
            try await s.execute("INSERT INTO equations (project, version, body) VALUES (?, ?, ?)",
                                [.text(equation.project), .integer(equation.version), .text(equation.canonicalJSON())])
        }
    }

    public func latestEquation(project: String) async throws(LedgerError) -> ValueEquation? {
        try await inTransaction { s throws(LedgerError) in try await Self.latestEquation(project, s) }
    }

    static func latestEquation(_ project: String, _ s: any SQLSession) async throws(LedgerError) -> ValueEquation? {
        let source = RowSource("equations", "project, version, body", key: "project", "version")
        let rows = try await s.query("SELECT \(source.list) FROM equations WHERE project = ? ORDER BY version DESC LIMIT 1",
                                     [.text(project)])
        guard let row = rows.first else { return nil }
        var r = RowReader(row, source)
        _ = (try r.text(), try r.int())
        return try ValueEquation.load(json: Data(try r.text().utf8))
    }
}

import Foundation
