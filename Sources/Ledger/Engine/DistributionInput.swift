/// Everything the pure distribution engine needs, loaded by the store inside the distribution's transaction.
public struct DistributionInput: Sendable {
    public var sale: Sale
    public var project: Project
    public var equation: ValueEquation
    /// The sold unit's design first, then its ancestors, at most `BucketFilter.maxLineageLevels`.
    public var lineage: [String]
    /// The `cites` weights the lineage's designs state, by design id; a design absent here uses the bucket's
    /// `lineage_weight`.
    public var citations: [String: LedgerDecimal]
    /// For the sale of part of a lot: how much was sold of how much was produced. The lot's own events count for
    /// that share (see `LotShare.part(of:)`); nil for a unit's sale.
    public var lotShare: LotShare?
    /// The project's events (the engine drops later-dated and reversed ones).
    public var events: [ContributionEvent]
    /// Existing claims of the project, by (bucket, event).
    public var claims: [ClaimKey: Claim]

    /// What the sale sold, line by line: for a one-line sale, its unit with `lineage`, `citations` and `lotShare`.
    public var products: [ProductLine]

    public init(sale: Sale, project: Project, equation: ValueEquation, lineage: [String],
                citations: [String: LedgerDecimal] = [:], lotShare: LotShare? = nil, products: [ProductLine]? = nil,
                events: [ContributionEvent], claims: [ClaimKey: Claim]) {
        self.sale = sale; self.project = project; self.equation = equation; self.lotShare = lotShare
        self.lineage = lineage; self.citations = citations; self.events = events; self.claims = claims
        self.products = products ?? [ProductLine(unit: sale.unit, price: sale.price, lineage: lineage, citations: citations,
                                                 lotShare: lotShare)]
    }
}

/// One line of a sale as the engine takes it: the product (unit or lot), its price, its design lineage and, for
/// part of a lot, the share sold.
public struct ProductLine: Sendable, Hashable {
    public var unit: String
    /// Splits the sale's product-filtered buckets among its lines.
    public var price: Int64
    public var lineage: [String]
    public var citations: [String: LedgerDecimal]
    public var lotShare: LotShare?

    public init(unit: String, price: Int64, lineage: [String], citations: [String: LedgerDecimal] = [:], lotShare: LotShare? = nil) {
        self.unit = unit; self.price = price; self.lineage = lineage; self.citations = citations; self.lotShare = lotShare
    }
}

public struct ClaimKey: Sendable, Hashable {
    public var bucket: String
    public var event: Int64
    public init(bucket: String, event: Int64) { self.bucket = bucket; self.event = event }
}

/// The engine's result: the distribution to store and every claim it created or changed (final state).
public struct DistributionPlan: Sendable {
    public var distribution: Distribution
    public var claims: [Claim]
}
