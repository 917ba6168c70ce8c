/// The ledger's operations with their validation: every bad input is refused with one
/// `LedgerError` before anything is written.
public struct Ledger: Sendable {
    public let store: any LedgerStore

    public init(store: any LedgerStore) { self.store = store }

    public func close() async { await store.close() }

    // MARK: network

    @discardableResult
    public func addAgent(id: String, name: String, kind: Agent.Kind) async throws(LedgerError) -> Agent {
        try Self.checkIdentifier(id, "agent id")
        guard !name.isEmpty else { throw .invalid("agent name is empty") }
        let agent = Agent(id: id, name: name, kind: kind)
        try await store.insert(agent)
        return agent
    }

    @discardableResult
    public func addProject(id: String, name: String, currency: String, custodian: String?, fundAgent: String)
        async throws(LedgerError) -> Project {
        try Self.checkIdentifier(id, "project id")
        let currency = try Currency(currency)
        if let custodian { _ = try await requireAgent(custodian) }
        _ = try await requireAgent(fundAgent)
        let project = Project(id: id, name: name.isEmpty ? id : name, currency: currency, custodian: custodian,
                              fundAgent: fundAgent)
        try await store.insert(project)
        return project
    }

    /// Sets a project's rate for a work type, or (with `agent`) that agent's personal rate.
    public func setWorkType(project: String, name: String, rate: String, agent: String? = nil) async throws(LedgerError) {
        _ = try await requireProject(project)
        try Self.checkIdentifier(name, "work type")
        guard let rate = LedgerDecimal(rate), !rate.isNegative else {
            throw .invalid("rate '\(rate)' is not a non-negative decimal like 25.00 with at most 6 decimals and 12 digits")
        }
        if let agent {
            _ = try await requireAgent(agent)
            guard try await store.workType(project: project, name: name) != nil else {
                throw .notFound("project '\(project)' has no work type '\(name)'")
            }
            try await store.setRateOverride(project: project, workType: name, agent: agent, rate: rate)
        } else {
            try await store.setWorkType(WorkType(project: project, name: name, rate: rate))
        }
    }

    @discardableResult
    public func addDesign(id: String, name: String?, parent: String?, cites: LedgerDecimal? = nil) async throws(LedgerError) -> Design {
        guard !id.isEmpty else { throw .invalid("design id is empty") }
        if let cites {
            if let problem = Design.citesProblem(cites) { throw .invalid(problem) }
            guard parent != nil else { throw .invalid("cites \(cites) needs --parent: a design cites the revision it derives from") }
        }
        if let parent, try await store.design(parent) == nil { throw .notFound("no design '\(parent)'") }
        let design = Design(id: id, name: name ?? id, parent: parent, cites: cites)
        try await store.insert(design)
        return design
    }

    /// Registers a unit from the serial and design its identity record reports.
    @discardableResult
    public func registerUnit(serial: String, design: String) async throws(LedgerError) -> Unit {
        guard !serial.isEmpty else { throw .invalid("serial number is empty") }
        guard try await store.design(design) != nil else { throw .notFound("no design '\(design)' (use `ledger design add`)") }
        let unit = Unit(serial: serial, design: design)
        try await store.insert(unit)
        return unit
    }

    // MARK: validation helpers

    func requireAgent(_ id: String) async throws(LedgerError) -> Agent {
        guard let agent = try await store.agent(id) else { throw .notFound("no agent '\(id)'") }
        return agent
    }

    func requireProject(_ id: String) async throws(LedgerError) -> Project {
        guard let project = try await store.project(id) else { throw .notFound("no project '\(id)'") }
        return project
    }

    static func checkIdentifier(_ id: String, _ what: String) throws(LedgerError) {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw .invalid("\(what) '\(id)' must be letters, digits, '-', '_' or '.'")
        }
    }
}
