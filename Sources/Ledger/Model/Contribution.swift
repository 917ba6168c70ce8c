/// What a contribution event records.
public enum ContributionKind: String, Sendable, Codable, CaseIterable {
    case work, material, cash, expense, use, cite

    public init(from decoder: any Decoder) throws { self = try decodeChoice(decoder, "contribution kind") }

    /// The ValueFlows action this kind maps to in exports.
    public var valueFlowsAction: String {
        switch self {
        case .work: "work"
        case .material: "produce"
        case .cash, .expense: "transfer"
        case .use: "use"
        case .cite: "cite"
        }
    }
}

/// An immutable, hash-chained contribution: a record as the ledger appended it, with its number in the chain and
/// the hashes that chain it. Corrections are new events with `reverses` set. Its record's fields read as its own
/// (`event.date`), and it encodes as one flat object. Only the store makes one, so its memberwise init is internal.
@dynamicMemberLookup
public struct ContributionEvent: Sendable, Hashable {
    public var id: Int64
    public var record: EventRecord
    public var previousHash: String
    public var hash: String

    public subscript<Field>(dynamicMember field: WritableKeyPath<EventRecord, Field>) -> Field {
        get { record[keyPath: field] }
        set { record[keyPath: field] = newValue }
    }
}

extension ContributionEvent: Codable {
    private enum CodingKeys: String, CodingKey { case id, previousHash, hash }

    public init(from decoder: any Decoder) throws {
        let chain = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try chain.decode(Int64.self, forKey: .id), record: try EventRecord(from: decoder),
                  previousHash: try chain.decode(String.self, forKey: .previousHash),
                  hash: try chain.decode(String.self, forKey: .hash))
    }

    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var chain = encoder.container(keyedBy: CodingKeys.self)
        try chain.encode(id, forKey: .id)
        try chain.encode(previousHash, forKey: .previousHash)
        try chain.encode(hash, forKey: .hash)
    }
}

/// The fields a caller supplies; the ledger fills in id, rate, value (for work) and the chain.
public struct ContributionDraft: Sendable, Hashable {
    public var date: LedgerDate
    public var agent: String
    public var project: String
    public var kind: ContributionKind
    public var hours: LedgerDecimal?
    public var workType: String?
    public var value: Int64?
    public var design: String?
    public var unit: String?
    /// A lot the contribution went into; stored as the event's `unit` (lots share the units' identifiers).
    public var lot: String?
    public var note: String?
    public var quantity: EventQuantity?
    /// Creates no claim; a gift other than work may have no value (0).
    public var gift: Bool
    /// Two or more lots the contribution is shared across (instead of `unit` or `lot`).
    public var lots: [String]
    /// One weight per lot of `lots`, in order; nil splits by the lots' produced quantities.
    public var split: [LedgerDecimal]?
    /// What this contribution credits, as the caller names it (`calibration certificate MQC-…`): opaque to the
    /// ledger, which holds each reference on at most one event, so the same work is never credited twice.
    public var sourceReference: String?

    public init(date: LedgerDate, agent: String, project: String, kind: ContributionKind,
                hours: LedgerDecimal? = nil, workType: String? = nil, value: Int64? = nil,
                design: String? = nil, unit: String? = nil, lot: String? = nil, note: String? = nil,
                quantity: EventQuantity? = nil, gift: Bool = false, lots: [String] = [], split: [LedgerDecimal]? = nil,
                sourceReference: String? = nil) {
        self.date = date; self.agent = agent; self.project = project; self.kind = kind
        self.hours = hours; self.workType = workType; self.value = value
        self.design = design; self.unit = unit; self.lot = lot; self.note = note
        self.quantity = quantity; self.gift = gift; self.lots = lots; self.split = split
        self.sourceReference = sourceReference
    }
}

/// A complete event before the store assigns its id and chain hashes; every field is part of the hashed content.
public struct EventRecord: Sendable, Hashable, Codable {
    public var date: LedgerDate
    public var agent: String
    public var project: String
    public var kind: ContributionKind
    /// Hours for work; nil otherwise.
    public var hours: LedgerDecimal?
    public var workType: String?
    /// The hourly rate in force for this agent when the work was logged (override or work type).
    public var rate: LedgerDecimal?
    /// Minor units of the project's currency; negative only on a reversal.
    public var value: Int64
    public var design: String?
    public var unit: String?
    public var note: String?
    public var reverses: Int64?
    /// When the ledger appended it (UTC, ISO 8601); set by the store when it appends the event.
    public var recordedAt: String = ""
    /// What was given, in a unit of measure (12 kg of lentils, 3 h of kitchen use), beside its value; negated on
    /// a reversal.
    public var quantity: EventQuantity? = nil
    /// A gift creates no claim: the ledger records who gave what, and no bucket pays it.
    public var gift: Bool = false
    /// Work shared across lots (one delivery round for several batches): each lot with its weight; nil for a
    /// contribution to one product or none. `unit` is nil then.
    public var lots: [LotSplit]? = nil
    /// What the event credits (`ContributionDraft.sourceReference`), unique among the ledger's events; nil for
    /// most, and for a reversal, which credits nothing. Encoded only when present.
    public var sourceReference: String? = nil

    /// A record for `LedgerStore.append`, which checks only that no other event holds its `sourceReference`:
    /// `Ledger.contribute` is where drafts are checked.
    public init(date: LedgerDate, agent: String, project: String, kind: ContributionKind, hours: LedgerDecimal? = nil,
                workType: String? = nil, rate: LedgerDecimal? = nil, value: Int64, design: String? = nil, unit: String? = nil,
                note: String? = nil, reverses: Int64? = nil, recordedAt: String = "", quantity: EventQuantity? = nil,
                gift: Bool = false, lots: [LotSplit]? = nil, sourceReference: String? = nil) {
        self.date = date; self.agent = agent; self.project = project; self.kind = kind; self.hours = hours
        self.workType = workType; self.rate = rate; self.value = value; self.design = design; self.unit = unit
        self.note = note; self.reverses = reverses; self.recordedAt = recordedAt; self.quantity = quantity
        self.gift = gift; self.lots = lots; self.sourceReference = sourceReference
    }
}

/// A resource quantity on a contribution: a decimal amount and an OM2 unit label (`Lot.measures`).
public struct EventQuantity: Sendable, Hashable, Codable {
    public var amount: LedgerDecimal
    public var measure: String

    public init(amount: LedgerDecimal, measure: String) { self.amount = amount; self.measure = measure }
}

/// One lot's part of a contribution shared across lots: its weight over the sum of the event's weights.
public struct LotSplit: Sendable, Hashable, Codable {
    public var lot: String
    /// A decimal greater than 0 (a stated share such as 0.6, or the lot's produced quantity).
    public var weight: LedgerDecimal

    public init(lot: String, weight: LedgerDecimal) { self.lot = lot; self.weight = weight }

    /// At most this many lots share one contribution, so the weights' sum and the engine's products stay exact.
    public static let maximumLots = 64
}

extension ContributionEvent {
    /// The part of this event that belongs to `product`: all of it when it went to that unit or lot, its weight
    /// over the weights' sum when it is shared across lots including it, nil when it has no part in it.
    public func part(in product: String) -> LotFraction? {
        if record.unit == product { return .whole }
        guard let lots = record.lots, let own = lots.first(where: { $0.lot == product }) else { return nil }
        let scale = LedgerDecimal.maxScale
        // Weights are positive decimals of at most 12 digits and 6 decimals: each at scale 6 is below 10^19,
        // and at most `LotSplit.maximumLots` of them sum below 10^21.
        let total = lots.reduce(UInt128(0)) { $0 + UInt128($1.weight.mantissa(atScale: scale)!) }
        return LotFraction(numerator: UInt128(own.weight.mantissa(atScale: scale)!), denominator: total)
    }
}

/// numerator ÷ denominator, between 0 and 1: the part of a shared contribution that one lot carries.
public struct LotFraction: Sendable, Hashable {
    public var numerator: UInt128
    public var denominator: UInt128

    public static let whole = LotFraction(numerator: 1, denominator: 1)
}
