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
    var note: String?
    /// What was given, in a unit of measure (12 kg of lentils), beside its value.
    var quantity: EventQuantity?
    /// Recorded, but creates no claim (a gift other than work may have no value).
    var gift: Bool?
}

/// A sale of one unit (`unit`), of part of a lot (`lot` and `quantity`), or of several products (`lines`).
struct SaleBody: Codable {
    var project: String
    var unit: String?
    var lot: String?
    /// How much of `lot` is sold, in the lot's unit of measure.
    var quantity: Int64?
    /// Integer minor units; with `lines`, each line has its own.
    var price: Int64?
    var lines: [SaleLineBody]?
    var currency: Currency
    var date: LedgerDate
    var buyer: String
    var directCosts: Int64?
}

/// One line of a sale: a unit, or `quantity` of a lot, at `price` minor units.
struct SaleLineBody: Codable {
    var unit: String?
    var lot: String?
    var quantity: Int64?
    var price: Int64
}

extension SaleBody {
    /// The draft the CLI's `sale record` would make of the same choices, refusing what it refuses.
    func draft() throws(LedgerError) -> SaleDraft {
        if let lines {
            guard unit == nil, lot == nil, quantity == nil, price == nil else {
                throw .invalid("lines: a sale of lines gives every product in 'lines', without 'unit', 'lot', 'quantity' or 'price'")
            }
            var saleLines = [SaleLine]()
            for (index, line) in lines.enumerated() {
                saleLines.append(try Self.product(unit: line.unit, lot: line.lot, quantity: line.quantity, price: line.price,
                                                  field: "line \(index + 1): "))
            }
            return SaleDraft(project: project, lines: saleLines, currency: currency, date: date, buyer: buyer,
                             directCosts: directCosts ?? 0)
        }
        guard let price else { throw .invalid("price: a sale needs 'price' (or 'lines', each with its price)") }
        let line = try Self.product(unit: unit, lot: lot, quantity: quantity, price: price, field: "")
        return SaleDraft(project: project, unit: line.unit, price: price, currency: currency, date: date, buyer: buyer,
                         directCosts: directCosts ?? 0, quantity: line.quantity)
    }

    private static func product(unit: String?, lot: String?, quantity: Int64?, price: Int64, field: String)
        throws(LedgerError) -> SaleLine {
        switch (unit, lot) {
        case (let unit?, nil):
            guard quantity == nil else { throw .invalid("\(field)quantity: a unit is sold whole; 'quantity' goes with 'lot'") }
            return SaleLine(unit: unit, price: price)
        case (nil, let lot?):
            guard let quantity else { throw .invalid("\(field)quantity: a sale of lot '\(lot)' needs 'quantity'") }
            return SaleLine(unit: lot, quantity: quantity, price: price)
        default:
            throw .invalid("\(field)a sale sells a unit ('unit') or part of a lot ('lot' and 'quantity'), one of them")
        }
    }
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
            guard agent == principal.agent || principal.role == .steward else {
                throw WebError.forbidden("'\(principal.agent)' may log only their own contributions, not '\(agent)'s")
            }
            let draft = ContributionDraft(
                date: body.date, agent: agent, project: body.project, kind: body.kind, hours: body.hours,
                workType: body.workType, value: body.value, design: body.design, unit: body.unit, lot: body.lot, note: body.note,
                quantity: body.quantity, gift: body.gift ?? false)
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
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.badRequest("sale id must be a number") }
            return try await self.ledgerCall(status: .created) { try await $0.distribute(sale: id) }
        }
        addLotRoutes(to: router)
    }
}
