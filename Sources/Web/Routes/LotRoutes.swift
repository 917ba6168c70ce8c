import Hummingbird
import Ledger

struct LotBody: Codable {
    var id: String
    var design: String
    /// Whole units of `measure`.
    var quantity: Int64
    /// An OM2 unit label (`Lot.measures`): one, box, portion, kg, g, l, ml or h.
    var measure: String
    var expires: LedgerDate?
}

struct WriteOffBody: Codable {
    var quantity: Int64
    var reason: String
    var date: LedgerDate
}

extension WebServer {
    /// Lots (docs/ledger.md, "Lots"): the custodian, who records what is sold, also registers what can be sold
    /// and closes what spoiled, so both writes take the sale's role.
    func addLotRoutes(to router: Routes) {
        router.get("/api/ledger/lots", .read) { _, _ in
            try await self.ledgerCall { ledger throws(LedgerError) in
                var reports = [LotReport]()
                for lot in try await ledger.store.lots() { reports.append(try await ledger.lotReport(lot.id)) }
                return reports
            }
        }
        router.get("/api/ledger/lots/:id", .read) { _, context in
            let id = try context.parameters.require("id")
            return try await self.ledgerCall { ledger throws(LedgerError) in try await ledger.lotReport(id) }
        }
        router.post("/api/ledger/lots", .write(.recordSale)) { request, _ in
            let body = try await JSON.decode(LotBody.self, from: request)
            return try await self.ledgerCall(status: .created) { ledger throws(LedgerError) in
                try await ledger.addLot(id: body.id, design: body.design, quantity: body.quantity, measure: body.measure,
                                        expires: body.expires)
                return try await ledger.lotReport(body.id)
            }
        }
        router.post("/api/ledger/lots/:id/write-offs", .write(.recordSale)) { request, context in
            let id = try context.parameters.require("id")
            let body = try await JSON.decode(WriteOffBody.self, from: request)
            return try await self.ledgerCall(status: .created) { ledger throws(LedgerError) in
                try await ledger.writeOff(lot: id, quantity: body.quantity, date: body.date, reason: body.reason)
            }
        }
    }
}
