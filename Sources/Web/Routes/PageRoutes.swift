import HTTPTypes
import Foundation
import Hummingbird
import Ledger

/// Static pages and assets ship inside the binary's resource bundle: no build step, no CDN.
enum WebResources {
    static func data(_ name: String) -> Data? {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Pages")
            ?? Bundle.module.url(forResource: name, withExtension: nil)
        else { return nil }
        return try? Data(contentsOf: url)
    }

    /// The API's OpenAPI 3.1 document.
    public static var openAPIDocument: Data? {
        Bundle.module.url(forResource: "openapi", withExtension: "json").flatMap { try? Data(contentsOf: $0) }
    }

    static func response(_ data: Data, type: String) -> Response {
        var r = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        r.headers[.contentType] = type
        r.headers[.cacheControl] = "no-cache"
        return r
    }

    static func page(_ name: String) throws -> Response {
        guard let d = data(name) else { throw WebError.notFound("no page \(name)") }
        let type = name.hasSuffix(".css") ? "text/css" : name.hasSuffix(".js") ? "text/javascript" : "text/html; charset=utf-8"
        return response(d, type: type)
    }

    /// A lane page (the live view, the recording viewer): the head and navigation bar the two share, titled
    /// `title`, then the page's own `name`.
    static func lanePage(_ name: String, title: String) throws -> Response {
        guard let head = data("lanes-head.html"), let page = data(name) else { throw WebError.notFound("no page \(name)") }
        let titled = String(decoding: head, as: UTF8.self).replacingOccurrences(of: "{{title}}", with: title)
        return response(Data(titled.utf8) + page, type: "text/html; charset=utf-8")
    }

    static func html(_ text: String) -> Response { response(Data(text.utf8), type: "text/html; charset=utf-8") }
}

extension WebServer {
    func addPageRoutes(to router: Routes) {
        router.get("/", .open) { _, _ in try WebResources.lanePage("live.html", title: "Live") }
        router.get("/device/:id", .open) { _, _ in try WebResources.page("device.html") }
        router.get("/ledger/contribute", .open) { _, _ in try WebResources.page("contribute.html") }
        router.get("/assets/:name", .open) { _, context in
            let name = try context.parameters.require("name")
            guard ["style.css", "mosquito.js", "lanes.js"].contains(name) else { throw WebError.notFound("no asset \(name)") }
            return try WebResources.page(name)
        }
        router.get("/openapi.json", .open) { _, _ in
            guard let d = WebResources.openAPIDocument else { throw WebError.notFound("no OpenAPI document") }
            return WebResources.response(d, type: "application/json")
        }
        router.get("/ledger", .read) { _, _ in
            let ledger = try self.requireLedger()
            do throws(LedgerError) {
                let agents = try await ledger.store.agents()
                let sales = try await ledger.store.sales(project: nil)
                var h = "<h1>Ledger</h1><h2>Sales</h2>"
                h += LedgerPages.table(["sale", "lines", "date", "price"], sales.map {
                    ["\($0.id)", LedgerPages.saleLines($0), $0.date.text, LedgerPages.money($0.price, $0.currency)]
                })
                h += "<p><a href=\"/ledger/lots\">lots: produced, sold, written off, remaining</a></p>"
                for p in Set(sales.map(\.project)).sorted() {
                    h += "<p><a href=\"/ledger/equation/\(LedgerPages.escape(p))\">value equation of \(LedgerPages.escape(p))</a></p>"
                }
                h += "<h2>Agents</h2>" + LedgerPages.table(["id", "name", "kind"], agents.map {
                    ["<a href=\"/ledger/agent/\(LedgerPages.escape($0.id))\">\(LedgerPages.escape($0.id))</a>", LedgerPages.escape($0.name), $0.kind.rawValue]
                })
                return WebResources.html(LedgerPages.page("Ledger", h))
            } catch { throw WebError(error) }
        }
        router.get("/ledger/lots", .read) { _, _ in
            let ledger = try self.requireLedger()
            do throws(LedgerError) {
                var stocks = [LotStock]()
                for lot in try await ledger.store.lots() { stocks.append(try await ledger.lotStock(lot.id)) }
                return WebResources.html(LedgerPages.lots(stocks))
            } catch { throw WebError(error) }
        }
        router.get("/ledger/unit/:serial", .read) { _, context in
            let ledger = try self.requireLedger()
            let serial = try context.parameters.require("serial")
            do throws(LedgerError) {
                let report = try await ledger.unitReport(serial)
                var currencies: [String: Currency] = [:]
                for project in Set(report.contributions.map(\.project)) {
                    currencies[project] = try await ledger.store.project(project)?.currency
                }
                return WebResources.html(LedgerPages.unit(report, currencies: currencies))
            } catch { throw WebError(error) }
        }
        router.get("/ledger/agent/:id", .read) { _, context in
            let ledger = try self.requireLedger()
            let id = try context.parameters.require("id")
            do throws(LedgerError) {
                let name = try await ledger.store.agent(id)?.name
                return WebResources.html(LedgerPages.agent(try await ledger.agentReport(id), name: name))
            } catch { throw WebError(error) }
        }
        router.get("/ledger/equation/:project", .read) { _, context in
            let ledger = try self.requireLedger()
            let project = try context.parameters.require("project")
            do throws(LedgerError) {
                guard let e = try await ledger.store.latestEquation(project: project) else {
                    throw LedgerError.notFound("project '\(project)' has no value equation")
                }
                return WebResources.html(LedgerPages.equation(e))
            } catch { throw WebError(error) }
        }
    }
}
