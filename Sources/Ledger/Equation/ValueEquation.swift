import Foundation

/// A project's value equation: ordered buckets that split a sale's distributable income.
/// The file format (JSON) is documented in docs/ledger.md.
public struct ValueEquation: Sendable, Hashable, Codable {
    public static let formatName = "mosquito-value-equation/1"

    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Each bucket takes its percentage of the distributable income.
        case straight
        /// Each bucket takes its percentage of what earlier buckets left.
        case remaining

        public init(from decoder: any Decoder) throws { self = try decodeChoice(decoder, "mode") }
    }

    public var format: String
    public var project: String
    public var version: Int64
    public var mode: Mode
    public var buckets: [Bucket]

    public init(project: String, version: Int64, mode: Mode, buckets: [Bucket]) {
        self.format = Self.formatName; self.project = project; self.version = version
        self.mode = mode; self.buckets = buckets
    }
}

public struct Bucket: Sendable, Hashable, Codable {
    public var id: String
    public var percent: LedgerDecimal
    /// The whole bucket goes to this agent (e.g. the custodian's fee).
    public var agent: String?
    public var filter: BucketFilter?
    public var rules: [ClaimRuleSpec]?

    public init(id: String, percent: LedgerDecimal, agent: String) {
        self.id = id; self.percent = percent; self.agent = agent
    }

    public init(id: String, percent: LedgerDecimal, filter: BucketFilter, rules: [ClaimRuleSpec]) {
        self.id = id; self.percent = percent; self.filter = filter; self.rules = rules
    }
}

/// Which contribution events a bucket gathers.
public indirect enum BucketFilter: Sendable, Hashable, Codable {
    /// Events logged on the sold unit.
    case unit
    /// Events on the sold unit's design and its ancestors; each level passes `lineageWeight`
    /// of what reaches it on to older revisions, unless its design states its own `cites`.
    case design(lineageWeight: LedgerDecimal)
    /// All project events dated within the inclusive bounds.
    case projectDates(from: LedgerDate?, to: LedgerDate?)
    /// Work events of these work types (the role the work was done in, e.g. delivery).
    case workTypes([String])
    /// Events of these contribution kinds.
    case contributions([ContributionKind])
    /// Events every one of these filters gathers; at most one of them is `design` (it gives the levels).
    case all([BucketFilter])

    static let kinds = "unit, design, project_dates, work_type, contribution, all"

    private enum Keys: String, CodingKey { case kind, lineage_weight, from, to, names, kinds, of }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "unit": self = .unit
        case "design":
            self = .design(lineageWeight: try container.decodeIfPresent(LedgerDecimal.self, forKey: .lineage_weight)
                ?? LedgerDecimal(0))
        case "project_dates":
            self = .projectDates(from: try container.decodeIfPresent(LedgerDate.self, forKey: .from),
                                 to: try container.decodeIfPresent(LedgerDate.self, forKey: .to))
        case "work_type": self = .workTypes(try container.decode([String].self, forKey: .names))
        case "contribution": self = .contributions(try container.decode([ContributionKind].self, forKey: .kinds))
        case "all": self = .all(try container.decode([BucketFilter].self, forKey: .of))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                debugDescription: "unknown filter kind '\(kind)' (\(Self.kinds))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .unit: try container.encode("unit", forKey: .kind)
        case .design(let weight):
            try container.encode("design", forKey: .kind)
            try container.encode(weight, forKey: .lineage_weight)
        case .projectDates(let from, let to):
            try container.encode("project_dates", forKey: .kind)
            try container.encodeIfPresent(from, forKey: .from)
            try container.encodeIfPresent(to, forKey: .to)
        case .workTypes(let names):
            try container.encode("work_type", forKey: .kind)
            try container.encode(names, forKey: .names)
        case .contributions(let kinds):
            try container.encode("contribution", forKey: .kind)
            try container.encode(kinds, forKey: .kinds)
        case .all(let filters):
            try container.encode("all", forKey: .kind)
            try container.encode(filters, forKey: .of)
        }
    }

    /// The design filter that gives the bucket its lineage levels, if any (itself or inside `all`).
    var designFilter: BucketFilter? {
        switch self {
        case .design: self
        case .all(let filters): filters.lazy.compactMap(\.designFilter).first
        default: nil
        }
    }

    /// Every work type the filter names, at any depth (checked against the project's).
    var workTypeNames: [(path: String, name: String)] {
        switch self {
        case .workTypes(let names): names.enumerated().map { ("filter.names[\($0.offset)]", $0.element) }
        case .all(let filters):
            filters.enumerated().flatMap { index, filter in
                filter.workTypeNames.map { ("filter.of[\(index)]." + $0.path.dropFirst("filter.".count), $0.name) }
            }
        default: []
        }
    }
}

/// Turns each gathered event of one kind into a claim.
public struct ClaimRuleSpec: Sendable, Hashable, Codable {
    public var event: ContributionKind
    public var claim: ClaimRule
    /// Multiplies the event's value when the claim is created; default 1.
    public var factor: LedgerDecimal?

    public init(event: ContributionKind, claim: ClaimRule, factor: LedgerDecimal? = nil) {
        self.event = event; self.claim = claim; self.factor = factor
    }
}
