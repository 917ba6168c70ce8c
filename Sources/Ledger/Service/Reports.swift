/// What each agent earned, where every cent of a unit's sale went, and a project's totals.
public struct AgentReport: Sendable, Codable {
    public struct Earning: Sendable, Codable { public var sale: Int64; public var unit: String; public var bucket: String?; public var amount: Int64; public var currency: String }
    public var agent: String
    public var contributed: [String: Int64]  // currency → value of live contributions
    public var earnings: [Earning]
    public var totals: [String: Int64]  // currency → earned
    public var outstandingClaims: [Claim]
}

public struct UnitReport: Sendable, Codable {
    public struct SaleBreakdown: Sendable, Codable {
        public var sale: Sale
        public var distribution: Distribution?
        /// Set when the sale was reversed (its unit was then free to be sold again).
        public var reversal: SaleReversal?
        /// Which event earned each claim payment, so every cent is traceable.
        public var events: [ContributionEvent]
    }
    public var unit: Unit
    public var contributions: [ContributionEvent]
    public var sales: [SaleBreakdown]
}

public struct ProjectReport: Sendable, Codable {
    public struct AgentTotal: Sendable, Codable { public var agent: String; public var amount: Int64 }
    public var project: Project
    public var sales: Int
    public var distributed: Int
    /// The prices of the sales not reversed.
    public var income: Int64
    public var perAgent: [AgentTotal]
}

extension Ledger {
    public func agentReport(_ id: String) async throws(LedgerError) -> AgentReport {
        _ = try await requireAgent(id)
        let events = try await store.events(project: nil).filter { $0.agent == id }
        var contributed = [String: Int64]()
        var currencies = [String: String]()
        var earnings = [AgentReport.Earning]()
        var totals = [String: Int64]()
        var outstanding = [Claim]()
        let sales = try await store.sales(project: nil)
        for distribution in try await store.distributions(project: nil) {
            let unit = sales.first { $0.id == distribution.sale }?.unit ?? ""
            for line in distribution.lines where line.agent == id {
                earnings.append(.init(sale: distribution.sale, unit: unit, bucket: line.bucket, amount: line.amount,
                                      currency: distribution.currency.code))
                let code = distribution.currency.code
                totals[code] = try (totals[code] ?? 0).adding(line.amount, for: "what '\(id)' earned in \(code)")
            }
        }
        for project in Set(events.map(\.project)) {
            guard let p = try await store.project(project) else { continue }
            currencies[project] = p.currency.code
            outstanding += try await store.claims(project: project).filter { $0.agent == id && $0.isLive && $0.rule != .equity }
        }
        for event in events {
            let code = currencies[event.project] ?? ""
            contributed[code] = try (contributed[code] ?? 0).adding(event.value, for: "what '\(id)' contributed in \(code)")
        }
        return AgentReport(agent: id, contributed: contributed, earnings: earnings, totals: totals,
                           outstandingClaims: outstanding)
    }

    public func unitReport(_ serial: String) async throws(LedgerError) -> UnitReport {
        guard let unit = try await store.unit(serial) else { throw .notFound("no unit '\(serial)'") }
        let events = try await store.events(project: nil)
        var breakdowns = [UnitReport.SaleBreakdown]()
        for sale in try await store.sales(project: nil) where sale.productLines.contains(where: { $0.unit == serial }) {
            let distribution = try await store.distribution(sale: sale.id)
            let paidEvents = Set(distribution?.payments.map(\.event) ?? [])
            breakdowns.append(.init(sale: sale, distribution: distribution,
                                    reversal: try await store.saleReversal(sale: sale.id),
                                    events: events.filter { paidEvents.contains($0.id) }))
        }
        return UnitReport(unit: unit, contributions: events.filter { $0.part(in: serial) != nil }, sales: breakdowns)
    }

    public func projectReport(_ id: String) async throws(LedgerError) -> ProjectReport {
        let project = try await requireProject(id)
        let sales = try await store.sales(project: id)
        let distributions = try await store.distributions(project: id)
        var perAgent = [String: Int64]()
        for line in distributions.flatMap(\.lines) {
            perAgent[line.agent] = try (perAgent[line.agent] ?? 0).adding(line.amount, for: "what '\(line.agent)' earned in project '\(id)'")
        }
        var income: Int64 = 0
        for sale in sales {
            guard try await store.saleReversal(sale: sale.id) == nil else { continue }
            income = try income.adding(sale.price, for: "the income of project '\(id)'")
        }
        return ProjectReport(project: project, sales: sales.count, distributed: distributions.count, income: income,
                             perAgent: perAgent.sorted { $0.key < $1.key }.map { .init(agent: $0.key, amount: $0.value) })
    }
}
