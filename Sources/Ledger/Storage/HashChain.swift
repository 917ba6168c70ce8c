import Crypto
import Foundation

/// Each event commits to the one before it: hash = SHA-256(previous hash ␟ canonical fields).
public enum HashChain {
    public static let genesis = String(repeating: "0", count: 64)

    static func hash(seq: Int64, record: EventRecord, previous: String) -> String {
        let fields: [String] = [
            previous, String(seq), record.date.text, record.agent, record.project, record.kind.rawValue,
            record.hours?.description ?? "", record.workType ?? "", record.rate?.description ?? "",
            String(record.value), record.design ?? "", record.unit ?? "", record.note ?? "",
            record.reverses.map(String.init) ?? "", record.recordedAt,
        ] + Self.laterFields(record)
        // Unit separator between fields, so no two field lists share a serialisation.
        let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8))
        return digest.lowercaseHex
    }

    /// Fields added after the chain existed, hashed only when present, so every earlier event keeps its hash.
    static func laterFields(_ record: EventRecord) -> [String] {
        var fields = [String]()
        if let quantity = record.quantity { fields += ["quantity", quantity.amount.description, quantity.measure] }
        if record.gift { fields += ["gift"] }
        if let lots = record.lots { fields += ["lots"] + lots.flatMap { [$0.lot, $0.weight.description] } }
        if let reference = record.sourceReference { fields += ["source reference", reference] }
        return fields
    }
}

/// The outcome of `ledger verify`.
public struct ChainReport: Sendable, Codable, Equatable {
    public var events: Int
    /// Distributions in the chain; 0 when the event chain is already broken.
    public var distributions: Int
    /// Of those, the ones recomputed from the events (all but those chained as found by the migration).
    public var recomputed: Int
    /// nil when the ledger is intact; otherwise names the first bad row.
    public var problem: String?
    public var isIntact: Bool { problem == nil }

    public init(events: Int, distributions: Int = 0, recomputed: Int? = nil, problem: String?) {
        self.events = events; self.distributions = distributions; self.recomputed = recomputed ?? distributions
        self.problem = problem
    }
}

extension HashChain {
    /// Walks the events in sequence order and names the first edited, deleted or reordered row.
    static func verify(_ events: [ContributionEvent]) -> ChainReport {
        var previous = genesis
        for (index, event) in events.enumerated() {
            let expectedSeq = Int64(index + 1)
            if event.id != expectedSeq {
                return ChainReport(events: events.count,
                    problem: "event \(expectedSeq) is missing (row deleted); next row is event \(event.id)")
            }
            if event.previousHash != previous {
                return ChainReport(events: events.count,
                    problem: "event \(event.id) does not follow event \(event.id - 1) (rows reordered or replaced)")
            }
            if hash(seq: event.id, record: event.record, previous: previous) != event.hash {
                return ChainReport(events: events.count, problem: "event \(event.id) was edited (hash mismatch)")
            }
            previous = event.hash
        }
        return ChainReport(events: events.count, problem: nil)
    }
}
