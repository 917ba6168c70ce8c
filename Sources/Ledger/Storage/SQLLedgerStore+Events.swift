extension SQLLedgerStore {
    public func append(_ record: EventRecord) async throws(LedgerError) -> ContributionEvent {
        var record = record
        record.recordedAt = Timestamp.nowUTC()
        return try await database.transaction { [record] s throws(LedgerError) in
            let head = try await s.query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", [])
            var previousSeq: Int64 = 0, previousHash = HashChain.genesis
            if let row = head.first {
                var r = RowReader(row)
                previousSeq = try r.int(); previousHash = try r.text()
            }
            let seq = previousSeq + 1
            let hash = HashChain.hash(seq: seq, record: record, previous: previousHash)
            try await s.execute(
                "INSERT INTO events (\(Rows.eventColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [.integer(seq), .text(record.date.text), .text(record.agent), .text(record.project),
                 .text(record.kind.rawValue), SQLValue(record.hours?.description), SQLValue(record.workType),
                 SQLValue(record.rate?.description), .integer(record.value), SQLValue(record.design),
                 SQLValue(record.unit), SQLValue(record.note), SQLValue(record.reverses),
                 .text(record.recordedAt), .text(previousHash), .text(hash)])
            try await s.execute("DELETE FROM chain_head WHERE id = 1", [])
            try await s.execute("INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?)", [.integer(seq), .text(hash)])
            return ContributionEvent(
                id: seq, date: record.date, agent: record.agent, project: record.project, kind: record.kind,
                hours: record.hours, workType: record.workType, rate: record.rate, value: record.value,
                design: record.design, unit: record.unit, note: record.note, reverses: record.reverses,
                recordedAt: record.recordedAt, previousHash: previousHash, hash: hash)
        }
    }

    public func event(_ id: Int64) async throws(LedgerError) -> ContributionEvent? {
        try await inTransaction { s throws(LedgerError) in
            try await s.query("SELECT \(Rows.eventColumns) FROM events WHERE seq = ?", [.integer(id)])
                .first.map { row throws(LedgerError) in try Rows.event(row) }
        }
    }

    public func events(project: String?) async throws(LedgerError) -> [ContributionEvent] {
        try await inTransaction { s throws(LedgerError) in try await Self.events(project: project, s) }
    }

    static func events(project: String?, _ s: any SQLSession) async throws(LedgerError) -> [ContributionEvent] {
        let rows = if let project {
            try await s.query("SELECT \(Rows.eventColumns) FROM events WHERE project = ? ORDER BY seq", [.text(project)])
        } else {
            try await s.query("SELECT \(Rows.eventColumns) FROM events ORDER BY seq", [])
        }
        var events = [ContributionEvent]()
        for row in rows { events.append(try Rows.event(row)) }
        return events
    }

    /// Verifies the event chain, then the distribution chain and every distribution recomputed from the events.
    public func verifyChain() async throws(LedgerError) -> ChainReport {
        try await inTransaction { s throws(LedgerError) in
            let events = try await Self.events(project: nil, s)
            var report = HashChain.verify(events)
            guard report.isIntact else { return report }
            let head = try await s.query("SELECT seq, hash FROM chain_head WHERE id = 1", [])
            if let row = head.first {
                var r = RowReader(row)
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
        var sales = [Int64: Sale](), projects = [String: Project](), lineages = [String: [String]]()
        for row in try await s.query("SELECT \(Rows.saleColumns) FROM sales", []) {
            let sale = try Rows.sale(row)
            sales[sale.id] = sale
        }
        for row in try await s.query("SELECT id, name, currency, custodian, fund_agent FROM projects", []) {
            let project = try Rows.project(row)
            projects[project.id] = project
        }
        for link in links {
            guard let serial = sales[link.link.distribution.sale]?.unit, lineages[serial] == nil,
                  let unit = try await Self.unit(serial, s) else { continue }
            lineages[serial] = try await lineage(of: unit, s)
        }
        var baseline = [Claim](), claims = [Claim]()
        for row in try await s.query("SELECT \(Rows.claimColumns) FROM claims_baseline", []) { baseline.append(try Rows.claim(row)) }
        for row in try await s.query("SELECT \(Rows.claimColumns) FROM claims", []) { claims.append(try Rows.claim(row)) }
        return DistributionAudit(links: links, head: try await distributionHead(s), sales: sales, projects: projects,
                                 events: events, lineages: lineages, baseline: baseline, claims: claims)
    }

    // MARK: sales and equations

    public func insert(_ sale: SaleDraft) async throws(LedgerError) -> Sale {
        try await database.transaction { s throws(LedgerError) in
            let last = try await s.query("SELECT id FROM sales ORDER BY id DESC LIMIT 1", [])
            let id = (last.first?.first?.int ?? 0) + 1
            let stored = Sale(id: id, project: sale.project, unit: sale.unit, price: sale.price, currency: sale.currency,
                              date: sale.date, buyer: sale.buyer, directCosts: sale.directCosts)
            try await s.execute("INSERT INTO sales (\(Rows.saleColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                [.integer(id), .text(sale.project), .text(sale.unit), .integer(sale.price),
                                 .text(sale.currency.code), .text(sale.date.text), .text(sale.buyer),
                                 .integer(sale.directCosts)])
            return stored
        }
    }

    public func sale(_ id: Int64) async throws(LedgerError) -> Sale? {
        try await inTransaction { s throws(LedgerError) in try await Self.sale(id, s) }
    }

    static func sale(_ id: Int64, _ s: any SQLSession) async throws(LedgerError) -> Sale? {
        try await s.query("SELECT \(Rows.saleColumns) FROM sales WHERE id = ?", [.integer(id)])
            .first.map { row throws(LedgerError) in try Rows.sale(row) }
    }

    public func sales(project: String?) async throws(LedgerError) -> [Sale] {
        try await inTransaction { s throws(LedgerError) in
            let rows = if let project {
                try await s.query("SELECT \(Rows.saleColumns) FROM sales WHERE project = ? ORDER BY id", [.text(project)])
            } else {
                try await s.query("SELECT \(Rows.saleColumns) FROM sales ORDER BY id", [])
            }
            var sales = [Sale]()
            for row in rows { sales.append(try Rows.sale(row)) }
            return sales
        }
    }

    public func insertEquation(_ equation: ValueEquation) async throws(LedgerError) {
        try await database.transaction { s throws(LedgerError) in
            let latest = try await s.query("SELECT version FROM equations WHERE project = ? ORDER BY version DESC LIMIT 1",
                                           [.text(equation.project)])
            if let current = latest.first?.first?.int, equation.version <= current {
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
        let rows = try await s.query("SELECT body FROM equations WHERE project = ? ORDER BY version DESC LIMIT 1",
                                     [.text(project)])
        guard let body = rows.first?.first?.string else { return nil }
        return try ValueEquation.load(json: Data(body.utf8))
    }
}

import Foundation
