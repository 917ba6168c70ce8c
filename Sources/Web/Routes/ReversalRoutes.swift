import Foundation
import Hummingbird
import Ledger

/// A correction's body, every field optional (an empty body is allowed): `date` defaults to today, UTC, as the
/// CLI's `--date` does.
struct ReversalBody: Codable {
    var date: LedgerDate?
    var note: String?
}

extension WebServer {
    /// Corrections (docs/ledger.md, "Reversals over HTTP"): nothing is edited, a reversal is appended, and the
    /// library decides what may be reversed. A sale's reversal is the custodian's, who records sales. A
    /// contribution's reversal is a negated contribution by the original agent, so it follows the rule for
    /// logging one: your own, or anyone's for a steward.
    func addReversalRoutes(to router: Routes) {
        router.post("/api/ledger/sales/:id/reverse", .write(.recordSale)) { request, context in
            let id = try Self.recordNumber(context, "sale")
            let body = try await JSON.decodeOptional(ReversalBody.self, from: request) ?? ReversalBody()
            return try await self.ledgerCall(status: .created) { ledger throws(LedgerError) in
                try await ledger.reverseSale(id, date: body.date ?? LedgerDate.today(), note: body.note)
            }
        }
        router.post("/api/ledger/contributions/:id/reverse", .write(.logContribution)) { request, context in
            // The route's access already checked the role; this is who is asking.
            let principal = try self.authenticate(request)
            let id = try Self.recordNumber(context, "contribution")
            let body = try await JSON.decodeOptional(ReversalBody.self, from: request) ?? ReversalBody()
            let ledger = try self.requireLedger()
            let event: ContributionEvent?
            do throws(LedgerError) { event = try await ledger.store.event(id) } catch { throw WebError(error) }
            guard let event else { throw WebError.notFound("no event \(id)") }
            try Self.requireOwnContribution(of: event.agent, by: principal, "reverse")
            return try await self.ledgerCall(status: .created) { ledger throws(LedgerError) in
                try await ledger.reverse(event: id, date: body.date ?? LedgerDate.today(), note: body.note)
            }
        }
    }

    /// A contribution is its agent's: only they, or a steward, may log or reverse one.
    static func requireOwnContribution(of agent: String, by principal: Principal, _ verb: String) throws(WebError) {
        guard agent == principal.agent || principal.role == .steward else {
            throw WebError.forbidden("'\(principal.agent)' may \(verb) only their own contributions, not '\(agent)'s")
        }
    }

    /// The `{id}` of a sale or event: a record number like 12.
    static func recordNumber(_ context: Context, _ what: String) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw WebError.badRequest("\(what) id must be a number") }
        return id
    }
}
