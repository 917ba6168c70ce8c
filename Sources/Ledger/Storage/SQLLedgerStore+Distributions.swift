extension SQLLedgerStore {
    public func claims(project: String) async throws(LedgerError) -> [Claim] {
        try await inTransaction { s throws(LedgerError) in try await Self.claims(project, s) }
    }

    static func claims(_ project: String, _ s: any SQLSession) async throws(LedgerError) -> [Claim] {
        var claims = [Claim]()
        for row in try await s.query("SELECT \(Rows.claims.list) FROM claims WHERE project = ? ORDER BY bucket, event",
                                     [.text(project)]) {
            claims.append(try Rows.claim(row))
        }
        return claims
    }

    public func distribution(sale: Int64) async throws(LedgerError) -> Distribution? {
        try await inTransaction { s throws(LedgerError) in try await Self.distribution(sale, s) }
    }

    public func distributions(project: String?) async throws(LedgerError) -> [Distribution] {
        try await inTransaction { s throws(LedgerError) in
            let rows = try await Self.rows("sale", of: "distributions", in: project, orderedBy: "sale", s)
            var result = [Distribution]()
            for row in rows {
                var r = RowReader(row, RowSource("distributions", "sale", key: "sale"))
                if let distribution = try await Self.distribution(try r.int(), s) { result.append(distribution) }
            }
            return result
        }
    }

    static func distribution(_ sale: Int64, _ s: any SQLSession) async throws(LedgerError) -> Distribution? {
        guard let row = try await s.query("SELECT \(Rows.distributions.list) FROM distributions WHERE sale = ?",
                                          [.integer(sale)]).first else { return nil }
        var r = RowReader(row, Rows.distributions)
        var distribution = Distribution(sale: try r.int(), project: try r.text(), currency: try r.currency(),
                                        distributable: try r.int(), equationVersion: try r.int(),
                                        equationSnapshot: try r.text(), lines: [], payments: [])
        distribution.lines = try await numberedLines(sale, s).map(\.line)
        for payment in try await s.query("SELECT \(Rows.payments.list) FROM claim_payments WHERE sale = ? ORDER BY bucket, event",
                                         [.integer(sale)]) {
            distribution.payments.append(try Rows.payment(payment))
        }
        return distribution
    }

    public func distribute(sale id: Int64, dryRun: Bool,
                           compute: @Sendable (DistributionInput) throws(LedgerError) -> DistributionPlan)
        async throws(LedgerError) -> DistributionPlan {
        try await database.transaction { s throws(LedgerError) in
            guard let sale = try await Self.sale(id, s) else { throw .notFound("no sale \(id)") }
            guard try await Self.distribution(id, s) == nil else { throw .alreadyDistributed(sale: id) }
            if let reversal = try await Self.saleReversal(id, s) {
                throw .invalid("sale \(id) was reversed on \(reversal.date); a reversed sale is not distributed")
            }
            guard let project = try await Self.project(sale.project, s) else {
                throw .notFound("no project '\(sale.project)'")
            }
            guard let equation = try await Self.latestEquation(project.id, s) else {
                throw .notFound("project '\(project.id)' has no value equation (use `ledger equation set`)")
            }
            guard try await Self.unit(sale.unit, s) != nil else { throw .notFound("no unit '\(sale.unit)'") }
            let products = try await Self.products(of: sale, s)
            var claims = [ClaimKey: Claim]()
            for claim in try await Self.claims(project.id, s) {
                claims[ClaimKey(bucket: claim.bucket, event: claim.event)] = claim
            }
            let input = DistributionInput(sale: sale, project: project, equation: equation, lineage: products[0].lineage,
                                          citations: products[0].citations, lotShare: products[0].lotShare, products: products,
                                          events: try await Self.events(project: project.id, s), claims: claims)
            let plan = try compute(input)
            guard !dryRun else { return plan }
            try await Self.store(plan, existing: claims, s)
            try await Self.chainNewDistribution(sale, s)
            return plan
        }
    }

    /// What a sale sold, line by line, with each product's design lineage and, for part of a lot, the share sold.
    /// A product no longer in `units` (a deleted row) has no lineage, so a replay reports what that changes.
    static func products(of sale: Sale, _ s: any SQLSession) async throws(LedgerError) -> [ProductLine] {
        var products = [ProductLine]()
        for line in sale.productLines {
            var lineage = DesignLineage()
            if let unit = try await Self.unit(line.unit, s) { lineage = try await Self.lineage(of: unit, s) }
            var share: LotShare?
            if let quantity = line.quantity {
                guard let lot = try await Self.lot(line.unit, s) else {
                    throw .tampered("ledger tampered: sale \(sale.id) sells \(quantity) of '\(line.unit)', which is not a lot")
                }
                share = LotShare(sold: quantity, produced: lot.quantity)
            }
            products.append(ProductLine(unit: line.unit, price: line.price, lineage: lineage.designs,
                                        citations: lineage.citations, lotShare: share))
        }
        return products
    }

    /// The unit's design first, then its ancestors, with the weights they cite their parents at.
    static func lineage(of unit: Unit, _ s: any SQLSession) async throws(LedgerError) -> DesignLineage {
        var lineage = DesignLineage()
        var next: String? = unit.design
        while let id = next, lineage.designs.count < BucketFilter.maxLineageLevels, !lineage.designs.contains(id) {
            lineage.designs.append(id)
            let design = try await Self.design(id, s)
            if let cites = design?.cites { lineage.citations[id] = cites }
            next = design?.parent
        }
        return lineage
    }

    private static func store(_ plan: DistributionPlan, existing: [ClaimKey: Claim], _ s: any SQLSession) async throws(LedgerError) {
        let d = plan.distribution
        try await s.execute(
            "INSERT INTO distributions (sale, project, currency, distributable, equation_version, snapshot) VALUES (?, ?, ?, ?, ?, ?)",
            [.integer(d.sale), .text(d.project), .text(d.currency.code), .integer(d.distributable),
             .integer(d.equationVersion), .text(d.equationSnapshot)])
        try await s.executeMany("INSERT INTO distribution_lines (sale, line, bucket, agent, amount) VALUES (?, ?, ?, ?, ?)",
                                d.lines.enumerated().map { index, line in
                                    [.integer(d.sale), .integer(Int64(index + 1)), SQLValue(line.bucket), .text(line.agent), .integer(line.amount)]
                                })
        try await s.executeMany("INSERT INTO claim_payments (sale, bucket, event, agent, amount) VALUES (?, ?, ?, ?, ?)",
                                d.payments.map { payment in
                                    [.integer(d.sale), .text(payment.bucket), .integer(payment.event), .text(payment.agent), .integer(payment.amount)]
                                })
        let (created, changed) = (plan.claims.filter { existing[ClaimKey(bucket: $0.bucket, event: $0.event)] == nil },
                                  plan.claims.filter { existing[ClaimKey(bucket: $0.bucket, event: $0.event)] != nil })
        try await s.executeMany("INSERT INTO claims (\(Rows.claimColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", created.map { claim in
            [.text(claim.project), .text(claim.bucket), .integer(claim.event), .text(claim.agent), .text(claim.rule.rawValue),
             .integer(claim.original), .integer(claim.balance), .integer(claim.paid)]
        })
        try await s.executeMany("UPDATE claims SET balance = ?, paid = ? WHERE project = ? AND bucket = ? AND event = ?",
                                changed.map { claim in
                                    [.integer(claim.balance), .integer(claim.paid), .text(claim.project), .text(claim.bucket),
                                     .integer(claim.event)]
                                })
    }
}

/// A sold unit's design lineage as the engine takes it (`DistributionInput.lineage` and `.citations`).
struct DesignLineage {
    var designs: [String] = []
    var citations: [String: LedgerDecimal] = [:]
}
