import Foundation

/// CSV tables and a ValueFlows-shaped JSON document of the whole ledger.
extension Ledger {
    public enum ExportTable: String, Sendable, CaseIterable { case events, lines, claims }

    public func exportCSV(_ table: ExportTable) async throws(LedgerError) -> String {
        var rows: [[String]]
        switch table {
        case .events:
            rows = [["id", "date", "agent", "project", "kind", "hours", "work_type", "rate", "value", "design", "unit",
                     "reverses", "note", "recorded_at", "hash"]]
            for e in try await store.events(project: nil) {
                rows.append([String(e.id), e.date.text, e.agent, e.project, e.kind.rawValue, e.hours?.description ?? "",
                             e.workType ?? "", e.rate?.description ?? "", String(e.value), e.design ?? "", e.unit ?? "",
                             e.reverses.map(String.init) ?? "", e.note ?? "", e.recordedAt, e.hash])
            }
        case .lines:
            rows = [["sale", "project", "bucket", "agent", "amount", "currency", "equation_version"]]
            for d in try await store.distributions(project: nil) {
                for line in d.lines {
                    rows.append([String(d.sale), d.project, line.bucket ?? "network-fund", line.agent,
                                 d.currency.format(line.amount), d.currency.code, String(d.equationVersion)])
                }
            }
        case .claims:
            rows = [["project", "bucket", "event", "agent", "rule", "original", "balance", "paid"]]
            for project in Set(try await store.events(project: nil).map(\.project)).sorted() {
                for c in try await store.claims(project: project) {
                    rows.append([c.project, c.bucket, String(c.event), c.agent, c.rule.rawValue, String(c.original),
                                 String(c.balance), String(c.paid)])
                }
            }
        }
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ field: String) -> String {
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Agents, contributions (vf:EconomicEvent with work/produce/use/cite/transfer), distribution
    /// payments (transfer) and claims (vf:Claim). Quantities are decimal strings, never floats.
    public func exportValueFlows() async throws(LedgerError) -> String {
        var agents = [[String: JSONValue]]()
        for a in try await store.agents() {
            agents.append(["@id": .string("agent:\(a.id)"), "@type": .string(a.kind == .person ? "vf:Person" : "vf:Organization"),
                           "name": .string(a.name)])
        }
        var events = [[String: JSONValue]]()
        var claims = [[String: JSONValue]]()
        var currencyOf = [String: Currency]()
        let lots = try await store.lots()
        let lotIDs = Set(lots.map(\.id))
        var resources = [[String: JSONValue]]()
        for lot in lots {
            let stock = try await lotStock(lot.id)
            var record: [String: JSONValue] = ["@type": .string("vf:BatchLotRecord"), "batchLotCode": .string(lot.id)]
            if let expires = lot.expires { record["expirationDate"] = .string(expires.text) }
            resources.append([
                "@id": .string("lot:\(lot.id)"), "@type": .string("vf:EconomicResource"), "trackingIdentifier": .string(lot.id),
                "conformsTo": .string("design:\(lot.design)"), "lot": .object(record),
                "accountingQuantity": Self.quantity(String(stock.available), lot.measure),
                "mosquito:producedQuantity": Self.quantity(String(lot.quantity), lot.measure),
            ])
            for writeOff in try await store.writeOffs(lot: lot.id) {
                events.append([
                    "@id": .string("write-off:\(writeOff.id)"), "@type": .string("vf:EconomicEvent"), "action": .string("lower"),
                    "resourceInventoriedAs": .string("lot:\(lot.id)"), "hasPointInTime": .string(writeOff.date.text),
                    "resourceQuantity": Self.quantity(String(writeOff.quantity), lot.measure), "note": .string(writeOff.reason),
                ])
            }
        }
        var agreements = [[String: JSONValue]]()
        var measures = Dictionary(lots.map { ($0.id, $0.measure) }, uniquingKeysWith: { first, _ in first })
        for sale in try await store.sales(project: nil) {
            let custodian = try await store.project(sale.project)?.custodian
            agreements.append(["@id": .string("sale:\(sale.id)"), "@type": .string("vf:Agreement"),
                               "created": .string(sale.date.text), "inScopeOf": .string("project:\(sale.project)"),
                               "mosquito:buyer": .string(sale.buyer)])
            for (index, line) in sale.productLines.enumerated() {
                let measure = line.quantity == nil ? "one" : (measures[line.unit] ?? "one")
                measures[line.unit] = measure
                events.append([
                    "@id": .string("sale:\(sale.id)/line/\(index + 1)"), "@type": .string("vf:EconomicEvent"),
                    "action": .string("transfer"), "realizationOf": .string("sale:\(sale.id)"),
                    "provider": custodian.map { .string("agent:\($0)") } ?? .null, "hasPointInTime": .string(sale.date.text),
                    "resourceInventoriedAs": .string(lotIDs.contains(line.unit) ? "lot:\(line.unit)" : "unit:\(line.unit)"),
                    "resourceQuantity": Self.quantity(String(line.quantity ?? 1), measure),
                    "mosquito:price": Self.quantity(sale.currency.format(line.price), sale.currency.code),
                ])
            }
        }
        for e in try await store.events(project: nil) {
            if currencyOf[e.project] == nil { currencyOf[e.project] = try await store.project(e.project)?.currency }
            let currency = currencyOf[e.project]!
            var event: [String: JSONValue] = [
                "@id": .string("event:\(e.id)"), "@type": .string("vf:EconomicEvent"),
                "action": .string(e.kind.valueFlowsAction), "provider": .string("agent:\(e.agent)"),
                "inScopeOf": .string("project:\(e.project)"), "hasPointInTime": .string(e.date.text),
                "resourceQuantity": .object(["hasNumericalValue": .string(currency.format(e.value)),
                                             "hasUnit": .string(currency.code)]),
                "mosquito:kind": .string(e.kind.rawValue),
            ]
            if let hours = e.hours {
                event["effortQuantity"] = .object(["hasNumericalValue": .string(hours.description), "hasUnit": .string("hour")])
            }
            if let design = e.design { event["resourceConformsTo"] = .string("design:\(design)") }
            if let unit = e.unit { event["resourceInventoriedAs"] = .string(lotIDs.contains(unit) ? "lot:\(unit)" : "unit:\(unit)") }
            if let lots = e.lots {
                // Shared across lots: each lot an IRI, and beside them the weights in the same order.
                event["resourceInventoriedAs"] = .array(lots.map { .string("lot:\($0.lot)") })
                event["mosquito:split"] = .array(lots.map { .string($0.weight.description) })
            }
            if let reverses = e.reverses { event["corrects"] = .string("event:\(reverses)") }
            if let quantity = e.quantity { event["mosquito:quantity"] = Self.quantity(quantity.amount.description, quantity.measure) }
            if e.gift { event["mosquito:gift"] = .string("true") }
            if let note = e.note { event["note"] = .string(note) }
            // What it credits (a calibration certificate), so an auditor finds a credit by its source, not its note.
            if let reference = e.sourceReference { event["mosquito:sourceReference"] = .string(reference) }
            events.append(event)
        }
        for project in Set(currencyOf.keys).sorted() {
            let currency = currencyOf[project]!
            let custodian = try await store.project(project)?.custodian
            for c in try await store.claims(project: project) {
                claims.append(["@id": .string("claim:\(project)/\(c.bucket)/\(c.event)"), "@type": .string("vf:Claim"),
                               "triggeredBy": .string("event:\(c.event)"), "receiver": .string("agent:\(c.agent)"),
                               "provider": custodian.map { .string("agent:\($0)") } ?? .null,
                               "mosquito:rule": .string(c.rule.rawValue),
                               "resourceQuantity": .object(["hasNumericalValue": .string(currency.format(c.balance)),
                                                            "hasUnit": .string(currency.code)])])
            }
            for d in try await store.distributions(project: project) {
                for (index, line) in d.lines.enumerated() {
                    // The claims this line's money settled: the bucket's payments to the line's agent.
                    let settled = d.payments.filter { $0.bucket == line.bucket && $0.agent == line.agent }
                        .map { JSONValue.string("claim:\(project)/\($0.bucket)/\($0.event)") }
                    events.append(["@id": .string("distribution:\(d.sale)/\(index + 1)"), "@type": .string("vf:EconomicEvent"),
                                   "realizationOf": .string("sale:\(d.sale)"), "settles": .array(settled),
                                   "action": .string("transfer"), "provider": custodian.map { .string("agent:\($0)") } ?? .null,
                                   "receiver": .string("agent:\(line.agent)"), "inScopeOf": .string("project:\(project)"),
                                   "mosquito:sale": .string(String(d.sale)),
                                   "mosquito:bucket": line.bucket.map(JSONValue.string) ?? .string("network-fund"),
                                   "resourceQuantity": .object(["hasNumericalValue": .string(d.currency.format(line.amount)),
                                                                "hasUnit": .string(d.currency.code)])])
                }
            }
        }
        let document: JSONValue = .object([
            "@context": Self.valueFlowsContext,
            "agents": .array(agents.map(JSONValue.object)),
            "economicResources": .array(resources.map(JSONValue.object)),
            "agreements": .array(agreements.map(JSONValue.object)),
            "economicEvents": .array(events.map(JSONValue.object)),
            "claims": .array(claims.map(JSONValue.object)),
        ])
        return document.render()
    }

    /// `{hasNumericalValue, hasUnit}`: a decimal string and an OM2 unit label or a currency code.
    static func quantity(_ value: String, _ unit: String) -> JSONValue {
        .object(["hasNumericalValue": .string(value), "hasUnit": .string(unit)])
    }

    /// Maps every key the export writes to the ValueFlows (vf:), OM2 (om2:) or ledger (mosquito:) vocabulary, so a
    /// JSON-LD processor expands the whole document and drops nothing; references (`agent:ana`) are IRIs.
    static let valueFlowsContext: JSONValue = {
        var context: [String: JSONValue] = [
            "vf": .string("https://w3id.org/valueflows/ont/vf#"),
            "om2": .string("http://www.ontology-of-units-of-measure.org/resource/om-2/"),
            "mosquito": .string("https://mosquito-daq.org/ns/ledger#"),
            "hasNumericalValue": .string("om2:hasNumericalValue"), "hasUnit": .string("om2:hasUnit"),
        ]
        for term in ["agents", "economicResources", "agreements", "economicEvents", "claims"] {
            context[term] = .object(["@id": .string("mosquito:\(term)"), "@container": .string("@set")])
        }
        for term in ["name", "action", "hasPointInTime", "note", "trackingIdentifier", "batchLotCode", "expirationDate",
                     "created", "resourceQuantity", "effortQuantity", "accountingQuantity", "lot"] {
            context[term] = .string("vf:\(term)")
        }
        for term in ["provider", "receiver", "inScopeOf", "resourceConformsTo", "resourceInventoriedAs", "corrects",
                     "triggeredBy", "conformsTo", "realizationOf", "settles"] {
            context[term] = .object(["@id": .string("vf:\(term)"), "@type": .string("@id")])
        }
        return .object(context)
    }()
}

/// A minimal JSON tree for documents whose shape is not a Swift type.
public indirect enum JSONValue: Sendable, Encodable {
    case string(String), object([String: JSONValue]), array([JSONValue]), null

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .object(let o): try container.encode(o)
        case .array(let a): try container.encode(a)
        case .null: try container.encodeNil()
        }
    }

    public func render() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}
