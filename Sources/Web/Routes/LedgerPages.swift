import HTTPTypes
import Foundation
import Ledger

/// The ledger's pages, rendered on the server so they read the same with or without JavaScript.
enum LedgerPages {
    static func money(_ minor: Int64, _ currency: Currency) -> String { MoneyText.format(minor, currency) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let palette = ["#3465a4", "#cc0000", "#73d216", "#f57900", "#75507b", "#c17d11", "#06989a", "#555753"]

    /// serial → design → who built and designed it → sale → where every cent went.
    /// `currencies`: each project's currency, which contribution values are in.
    static func unit(_ r: UnitReport, currencies: [String: Currency]) -> String {
        var h = "<h1>Unit <span id=\"serial\">\(escape(r.unit.serial))</span></h1>"
        h += "<p>Design <b>\(escape(r.unit.design))</b></p>"
        h += "<h2>Contributions to this unit</h2>"
        h += contributions(r.contributions, currencies: currencies, product: r.unit.serial)
        if r.sales.isEmpty { h += "<p>Not sold yet.</p>" }
        for s in r.sales {
            let c = s.sale.currency
            h += "<h2>Sale \(s.sale.id) on \(s.sale.date.text) to \(escape(s.sale.buyer))</h2>"
            if s.sale.lines != nil || s.sale.quantity != nil { h += saleLines(s.sale) }
            h += "<table class=\"totals\"><tr><th>price</th><td class=\"price\">\(money(s.sale.price, c))</td></tr>"
            h += "<tr><th>direct costs</th><td>\(money(s.sale.directCosts, c))</td></tr>"
            h += "<tr><th>distributable</th><td class=\"distributable\">\(money(s.sale.distributable, c))</td></tr>"
            guard let d = s.distribution else {
                h += "</table><p>Not distributed yet.</p>"
                continue
            }
            let paid = d.lines.reduce(0) { $0 + $1.amount }
            h += "<tr><th>distributed</th><td class=\"distributed\">\(money(paid, c))</td></tr></table>"
            h += bar(d.lines.map { ("\($0.bucket ?? "-") → \($0.agent)", $0.amount, money($0.amount, c)) }, total: paid)
            h += table(["bucket", "agent", "amount"], d.lines.map {
                [escape($0.bucket ?? "-"), "<a href=\"/ledger/agent/\(escape($0.agent))\">\(escape($0.agent))</a>", money($0.amount, c)]
            })
            h += "<h3>Which contribution earned what</h3>"
            h += table(["bucket", "event", "agent", "amount"], d.payments.map {
                [escape($0.bucket), "\($0.event)", escape($0.agent), money($0.amount, c)]
            })
        }
        return page("Unit \(r.unit.serial)", h)
    }

    /// Each contribution with what was given (its quantity and unit of measure), whether it was a gift, and for
    /// one shared across lots the part `product` carries.
    static func contributions(_ events: [ContributionEvent], currencies: [String: Currency], product: String? = nil) -> String {
        table(["#", "date", "agent", "kind", "value", "quantity", "gift", "shared"], events.map { e in
            var shared = ""
            if let lots = e.lots, let product, let part = e.part(in: product) {
                shared = "\(part.numerator / gcd(part.numerator, part.denominator))/\(part.denominator / gcd(part.numerator, part.denominator)) of "
                    + lots.map { escape($0.lot) }.joined(separator: ", ")
            }
            return ["\(e.id)", e.date.text, "<a href=\"/ledger/agent/\(escape(e.agent))\">\(escape(e.agent))</a>", e.kind.rawValue,
                    value(e.value, currencies[e.project]), e.quantity.map { "\($0.amount) \(escape($0.measure))" } ?? "",
                    e.gift ? "<span class=\"gift\">gift</span>" : "", shared]
        })
    }

    private static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 { b == 0 ? max(a, 1) : gcd(b, a % b) }

    /// What a sale sold, line by line: the product, how much of it (a unit is one, whole) and the line's price.
    static func saleLines(_ sale: Sale) -> String {
        "<table class=\"lines\">" + "<tr><th>line</th><th>product</th><th>quantity</th><th>price</th></tr>"
            + sale.productLines.enumerated().map { index, line in
                "<tr><td>\(index + 1)</td><td><a href=\"/ledger/unit/\(escape(line.unit))\">\(escape(line.unit))</a></td>"
                    + "<td>\(line.quantity.map(String.init) ?? "1 (unit)")</td><td>\(money(line.price, sale.currency))</td></tr>"
            }.joined() + "</table>"
    }

    /// Every lot: produced, sold, written off, what remains, its unit of measure and expiry.
    static func lots(_ stocks: [LotStock]) -> String {
        var h = "<h1>Lots</h1>"
        h += table(["lot", "design", "produced", "sold", "written off", "remaining", "unit", "expires"], stocks.map {
            ["<a href=\"/ledger/unit/\(escape($0.lot.id))\">\(escape($0.lot.id))</a>", escape($0.lot.design), "\($0.lot.quantity)",
             "\($0.sold)", "\($0.writtenOff)", "<span class=\"remaining\">\($0.available)</span>", escape($0.lot.measure),
             $0.lot.expires?.text ?? ""]
        })
        if stocks.isEmpty { h += "<p>No lots yet.</p>" }
        return page("Lots", h)
    }

    static func agent(_ r: AgentReport, name: String?) -> String {
        var h = "<h1>Agent <span id=\"agent\">\(escape(r.agent))</span></h1>"
        if let name { h += "<p>\(escape(name))</p>" }
        h += "<h2>Earned</h2>" + table(["currency", "total"], r.totals.sorted { $0.key < $1.key }.map {
            [escape($0.key), "<span class=\"total\">\(escape(MoneyText.format($0.value, code: $0.key)))</span>"]
        })
        h += "<h2>Credits over time</h2>"
        var running: Int64 = 0
        let points = r.earnings.map { e -> (String, Int64) in running += e.amount; return ("sale \(e.sale) (\(e.unit))", running) }
        h += line(points)
        h += table(["sale", "unit", "bucket", "amount"], r.earnings.map {
            ["\($0.sale)", "<a href=\"/ledger/unit/\(escape($0.unit))\">\(escape($0.unit))</a>", escape($0.bucket ?? "-"), escape(MoneyText.format($0.amount, code: $0.currency))]
        })
        h += "<h2>Contributed</h2>" + table(["currency", "value"], r.contributed.sorted { $0.key < $1.key }.map {
            [escape($0.key), escape(MoneyText.format($0.value, code: $0.key))]
        })
        h += "<h2>Outstanding claims</h2><p>\(r.outstandingClaims.count) live claims not yet paid in full.</p>"
        return page("Agent \(r.agent)", h)
    }

    static func equation(_ e: ValueEquation) -> String {
        var h = "<h1>Value equation of <span id=\"project\">\(escape(e.project))</span></h1>"
        h += "<p>Version \(e.version), mode <b>\(e.mode.rawValue)</b>: each bucket takes its percentage of "
        h += e.mode == .straight ? "the distributable income.</p>" : "what earlier buckets left.</p>"
        h += bar(e.buckets.map { ($0.id, Int64(($0.percent.description as NSString).doubleValue * 100), $0.percent.description + "%") }, total: 10_000)
        h += table(["bucket", "percent", "goes to"], e.buckets.map { b in
            let rules = b.rules?.map { "\($0)" }.joined(separator: "; ") ?? ""
            return [escape(b.id), b.percent.description + "%", escape(b.agent ?? rules)]
        })
        return page("Value equation", h)
    }

    /// A contribution's value in its project's currency; raw minor units only if the project is unknown.
    static func value(_ minor: Int64, _ currency: Currency?) -> String {
        currency.map { money(minor, $0) } ?? "\(minor) (minor units)"
    }

    static func table(_ head: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + head.map { "<th>\($0)</th>" }.joined() + "</tr>"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined() + "</table>"
    }

    /// A horizontal stacked bar: each share as wide as its part of `total`; its tooltip shows `shown`.
    static func bar(_ parts: [(String, Int64, String)], total: Int64) -> String {
        guard total > 0 else { return "" }
        var x = 0.0
        var svg = "<svg class=\"bar\" viewBox=\"0 0 1000 60\" width=\"100%\" height=\"60\" role=\"img\">"
        for (i, p) in parts.enumerated() {
            let w = 1000 * Double(p.1) / Double(total)
            svg += "<rect x=\"\(x)\" y=\"0\" width=\"\(w)\" height=\"40\" fill=\"\(palette[i % palette.count])\"><title>\(escape(p.0)): \(escape(p.2))</title></rect>"
            x += w
        }
        return svg + "</svg><p class=\"legend\">" + parts.enumerated().map {
            "<span style=\"color:\(palette[$0.offset % palette.count])\">■</span> \(escape($0.element.0))"
        }.joined(separator: " ") + "</p>"
    }

    static func line(_ points: [(String, Int64)]) -> String {
        guard let top = points.map(\.1).max(), top > 0, points.count > 0 else { return "<p>No credits yet.</p>" }
        let step = points.count > 1 ? 960.0 / Double(points.count - 1) : 0
        let coords = points.enumerated().map { "\(20 + Double($0.offset) * step),\(190 - 170 * Double($0.element.1) / Double(top))" }
        return "<svg viewBox=\"0 0 1000 200\" width=\"100%\" height=\"200\"><polyline fill=\"none\" stroke=\"#3465a4\" stroke-width=\"3\" points=\"\(coords.joined(separator: " "))\"/></svg>"
    }

    static func page(_ title: String, _ body: String) -> String {
        """
        <!doctype html><html><head><meta charset="utf-8"><title>\(escape(title)) · mosquito</title>
        <link rel="stylesheet" href="/assets/style.css"></head><body>
        <nav><a href="/">live</a> <a href="/ledger">ledger</a> <a href="/ledger/lots">lots</a> <a href="/ledger/contribute">log a contribution</a></nav>
        <main>\(body)</main></body></html>
        """
    }
}
