import HTTPTypes
import Foundation
import Hummingbird
import Ledger

struct ContributionBody: Codable {
    var date: LedgerDate
    /// Defaults to the token's agent; only a steward may log for someone else.
    var agent: String?
    var project: String
    var kind: ContributionKind
    var hours: LedgerDecimal?
    var workType: String?
    /// Integer minor units (cents).
    var value: Int64?
    var design: String?
    var unit: String?
    /// A lot the contribution went into (`POST /api/ledger/lots`).
    var lot: String?
    /// Two or more lots the contribution is shared across, instead of `lot`.
    var lots: [String]?
    /// One weight per lot of `lots`; absent, they share by their produced quantities.
    var split: [LedgerDecimal]?
    var note: String?
    /// What was given, in a unit of measure (12 kg of lentils), beside its value.
    var quantity: EventQuantity?
    /// Recorded, but creates no claim (a gift other than work may have no value).
    var gift: Bool?
}

struct AgentBody: Codable {
    var id: String
    var name: String
    var kind: Agent.Kind
}

extension WebError {
    init(_ e: LedgerError) {
        switch e {
        case .notFound: self = .notFound(e.description)
        case .duplicate, .alreadyDistributed: self = .conflict(e.description)
        case .storage, .tampered: self = .internalError(e.description)
        default: self = .badRequest(e.description)
        }
    }
}

extension WebServer {
    /// Runs a ledger call, turning its one error into one HTTP error.
    func ledgerCall<T: Encodable>(status: HTTPResponse.Status = .ok, _ body: (Ledger) async throws -> T) async throws -> Response {
        let ledger = try requireLedger()
        let value: T
        do { value = try await body(ledger) } catch let error as LedgerError { throw WebError(error) }
        return try JSON.response(value, status: status)
    }

    func addLedgerRoutes(to router: Routes) {
        router.get("/api/ledger/agents", .read) { _, _ in try await self.ledgerCall { try await $0.store.agents() } }
        router.get("/api/ledger/agents/:id", .read) { _, context in
            let id = try context.parameters.require("id")
            return try await self.ledgerCall { try await $0.agentReport(id) }
        }
        router.post("/api/ledger/agents", .write(.manageNetwork)) { request, _ in
            let body = try await JSON.decode(AgentBody.self, from: request)
            return try await self.ledgerCall(status: .created) { try await $0.addAgent(id: body.id, name: body.name, kind: body.kind) }
        }
        router.get("/api/ledger/units/:serial", .read) { _, context in
            let serial = try context.parameters.require("serial")
            return try await self.ledgerCall { try await $0.unitReport(serial) }
        }
        router.get("/api/ledger/projects/:id", .read) { _, context in
            let id = try context.parameters.require("id")
            return try await self.ledgerCall { try await $0.projectReport(id) }
        }
        router.get("/api/ledger/projects/:id/equation", .read) { _, context in
            let id = try context.parameters.require("id")
            return try await self.ledgerCall { ledger throws(LedgerError) in
                guard let equation = try await ledger.store.latestEquation(project: id) else {
                    throw .notFound("project '\(id)' has no value equation")
                }
                return equation
            }
        }
        router.get("/api/ledger/contributions", .read) { request, _ in
            let project = request.uri.queryParameters.get("project")
            return try await self.ledgerCall { try await $0.store.events(project: project) }
        }
        router.post("/api/ledger/contributions", .write(.logContribution)) { request, _ in
            // The route's access already checked the role; this is who is asking.
            let principal = try self.authenticate(request)
            let body = try await JSON.decode(ContributionBody.self, from: request)
            let agent = body.agent ?? principal.agent
            try Self.requireOwnContribution(of: agent, by: principal, "log")
            let draft = ContributionDraft(
                date: body.date, agent: agent, project: body.project, kind: body.kind, hours: body.hours,
                workType: body.workType, value: body.value, design: body.design, unit: body.unit, lot: body.lot, note: body.note,
                quantity: body.quantity, gift: body.gift ?? false, lots: body.lots ?? [], split: body.split)
            return try await self.ledgerCall(status: .created) { try await $0.contribute(draft) }
        }
        router.get("/api/ledger/sales", .read) { request, _ in
            let project = request.uri.queryParameters.get("project")
            return try await self.ledgerCall { try await $0.store.sales(project: project) }
        }
        router.post("/api/ledger/sales", .write(.recordSale)) { request, _ in
            let body = try await JSON.decode(SaleBody.self, from: request)
            return try await self.ledgerCall(status: .created) { ledger throws(LedgerError) in
                try await ledger.recordSale(try body.draft())
            }
        }
        router.get("/api/ledger/distributions", .read) { request, _ in
            let project = request.uri.queryParameters.get("project")
            return try await self.ledgerCall { try await $0.store.distributions(project: project) }
        }
        router.post("/api/ledger/sales/:id/distribute", .write(.distribute)) { _, context in
            let id = try Self.recordNumber(context, "sale")
            return try await self.ledgerCall(status: .created) { try await $0.distribute(sale: id) }
        }
        addLotRoutes(to: router)
        addReversalRoutes(to: router)
    }
}
