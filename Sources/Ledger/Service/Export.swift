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
            if let unit = e.unit { event["resourceInventoriedAs"] = .string("unit:\(unit)") }
            if let reverses = e.reverses { event["corrects"] = .string("event:\(reverses)") }
            if let note = e.note { event["note"] = .string(note) }
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
                    events.append(["@id": .string("distribution:\(d.sale)/\(index + 1)"), "@type": .string("vf:EconomicEvent"),
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
            "@context": .object(["vf": .string("https://w3id.org/valueflows/ont/vf#"),
                                 "mosquito": .string("https://mosquito-daq.org/ns/ledger#")]),
            "agents": .array(agents.map(JSONValue.object)),
            "economicEvents": .array(events.map(JSONValue.object)),
            "claims": .array(claims.map(JSONValue.object)),
        ])
        return document.render()
    }
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
