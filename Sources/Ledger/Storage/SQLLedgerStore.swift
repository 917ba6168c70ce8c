/// The one `LedgerStore` implementation, over either SQL backend.
public final class SQLLedgerStore: LedgerStore {
    let database: any SQLDatabase

    /// Opens the store and applies any pending schema migrations.
    public init(database: any SQLDatabase) async throws(LedgerError) {
        self.database = database
        try await Schema.migrate(database)
    }

    /// Every access, reads included, runs in one transaction so it sees a consistent ledger.
    func inTransaction<T: Sendable>(_ body: @Sendable (any SQLSession) async throws(LedgerError) -> T) async throws(LedgerError) -> T {
        try await database.transaction(body)
    }

    public func close() async { await database.close() }

    // MARK: agents, projects, rates

    public func insert(_ agent: Agent) async throws(LedgerError) {
        try await inTransaction { s throws(LedgerError) in
            guard try await s.query("SELECT id FROM agents WHERE id = ?", [.text(agent.id)]).isEmpty else {
                throw .duplicate("agent '\(agent.id)' already exists")
            }
            try await s.execute("INSERT INTO agents (id, name, kind) VALUES (?, ?, ?)",
                                [.text(agent.id), .text(agent.name), .text(agent.kind.rawValue)])
        }
    }

    private static let agentRows = RowSource("agents", "id, name, kind", key: "id")

    public func agent(_ id: String) async throws(LedgerError) -> Agent? {
        try await agentRows("SELECT \(Self.agentRows.list) FROM agents WHERE id = ?", [.text(id)]).first
    }

    public func agents() async throws(LedgerError) -> [Agent] {
        try await agentRows("SELECT \(Self.agentRows.list) FROM agents ORDER BY id", [])
    }

    private func agentRows(_ sql: String, _ arguments: [SQLValue]) async throws(LedgerError) -> [Agent] {
        var agents = [Agent]()
        for row in try await inTransaction({ s throws(LedgerError) in try await s.query(sql, arguments) }) {
            var r = RowReader(row, Self.agentRows)
            agents.append(Agent(id: try r.text(), name: try r.text(), kind: try r.choice(Agent.Kind.self)))
        }
        return agents
    }

    public func insert(_ project: Project) async throws(LedgerError) {
        try await inTransaction { s throws(LedgerError) in
            guard try await s.query("SELECT id FROM projects WHERE id = ?", [.text(project.id)]).isEmpty else {
                throw .duplicate("project '\(project.id)' already exists")
            }
            try await s.execute("INSERT INTO projects (id, name, currency, custodian, fund_agent) VALUES (?, ?, ?, ?, ?)",
                                [.text(project.id), .text(project.name), .text(project.currency.code),
                                 SQLValue(project.custodian), .text(project.fundAgent)])
        }
    }

    public func project(_ id: String) async throws(LedgerError) -> Project? {
        try await inTransaction { s throws(LedgerError) in
            try await Self.project(id, s)
        }
    }

    static func project(_ id: String, _ s: any SQLSession) async throws(LedgerError) -> Project? {
        try await s.query("SELECT \(Rows.projects.list) FROM projects WHERE id = ?", [.text(id)])
            .first.map { row throws(LedgerError) in try Rows.project(row) }
    }

    public func setWorkType(_ workType: WorkType) async throws(LedgerError) {
        try await inTransaction { s throws(LedgerError) in
            if try await s.query("SELECT name FROM work_types WHERE project = ? AND name = ?",
                                 [.text(workType.project), .text(workType.name)]).isEmpty {
                try await s.execute("INSERT INTO work_types (project, name, rate) VALUES (?, ?, ?)",
                                    [.text(workType.project), .text(workType.name), .text(workType.rate.description)])
            } else {
                try await s.execute("UPDATE work_types SET rate = ? WHERE project = ? AND name = ?",
                                    [.text(workType.rate.description), .text(workType.project), .text(workType.name)])
            }
        }
    }

    public func workType(project: String, name: String) async throws(LedgerError) -> WorkType? {
        try await inTransaction { s throws(LedgerError) in
            try await s.query("SELECT project, name, rate FROM work_types WHERE project = ? AND name = ?",
                              [.text(project), .text(name)])
                .first.map { row throws(LedgerError) in
                    var r = RowReader(row, RowSource("work_types", "project, name, rate", key: "project", "name"))
                    return WorkType(project: try r.text(), name: try r.text(), rate: try r.decimal())
                }
        }
    }

    public func setRateOverride(project: String, workType: String, agent: String, rate: LedgerDecimal) async throws(LedgerError) {
        try await inTransaction { s throws(LedgerError) in
            try await s.execute("DELETE FROM rate_overrides WHERE project = ? AND work_type = ? AND agent = ?",
                                [.text(project), .text(workType), .text(agent)])
            try await s.execute("INSERT INTO rate_overrides (project, work_type, agent, rate) VALUES (?, ?, ?, ?)",
                                [.text(project), .text(workType), .text(agent), .text(rate.description)])
        }
    }

    public func rateOverride(project: String, workType: String, agent: String) async throws(LedgerError) -> LedgerDecimal? {
        try await inTransaction { s throws(LedgerError) in
            try await s.query("SELECT project, work_type, agent, rate FROM rate_overrides WHERE project = ? AND work_type = ? AND agent = ?",
                              [.text(project), .text(workType), .text(agent)])
                .first.map { row throws(LedgerError) in
                    var r = RowReader(row, RowSource("rate_overrides", "project, work_type, agent, rate", key: "project", "work_type", "agent"))
                    _ = (try r.text(), try r.text(), try r.text())
                    return try r.decimal()
                }
        }
    }

    // MARK: designs and units

    public func insert(_ design: Design) async throws(LedgerError) {
        try await inTransaction { s throws(LedgerError) in
            guard try await s.query("SELECT id FROM designs WHERE id = ?", [.text(design.id)]).isEmpty else {
                throw .duplicate("design '\(design.id)' already exists")
            }
            try await s.execute("INSERT INTO designs (id, name, parent, cites) VALUES (?, ?, ?, ?)",
                                [.text(design.id), .text(design.name), SQLValue(design.parent), SQLValue(design.cites?.description)])
        }
    }

    public func design(_ id: String) async throws(LedgerError) -> Design? {
        try await inTransaction { s throws(LedgerError) in try await Self.design(id, s) }
    }

    static func design(_ id: String, _ s: any SQLSession) async throws(LedgerError) -> Design? {
        try await s.query("SELECT id, name, parent, cites FROM designs WHERE id = ?", [.text(id)]).first.map { row throws(LedgerError) in
            var r = RowReader(row, RowSource("designs", "id, name, parent, cites", key: "id"))
            let design = Design(id: try r.text(), name: try r.text(), parent: try r.optionalText(), cites: try r.optionalDecimal())
            // An out-of-range weight would make a level's weight negative or overflow: name the cell instead.
            if let cites = design.cites, Design.citesProblem(cites) != nil {
                throw r.tampered(column: "cites", "'\(cites)' is not a weight in (0, 1) with at most 2 decimals")
            }
            return design
        }
    }

    public func insert(_ unit: Unit) async throws(LedgerError) {
        try await inTransaction { s throws(LedgerError) in
            guard try await s.query("SELECT serial FROM units WHERE serial = ?", [.text(unit.serial)]).isEmpty else {
                throw .duplicate("unit '\(unit.serial)' is already registered")
            }
            try await s.execute("INSERT INTO units (serial, design) VALUES (?, ?)", [.text(unit.serial), .text(unit.design)])
        }
    }

    public func unit(_ serial: String) async throws(LedgerError) -> Unit? {
        try await inTransaction { s throws(LedgerError) in try await Self.unit(serial, s) }
    }

    static func unit(_ serial: String, _ s: any SQLSession) async throws(LedgerError) -> Unit? {
        try await s.query("SELECT serial, design FROM units WHERE serial = ?", [.text(serial)]).first.map { row throws(LedgerError) in
            var r = RowReader(row, RowSource("units", "serial, design", key: "serial"))
            return Unit(serial: try r.text(), design: try r.text())
        }
    }
}
