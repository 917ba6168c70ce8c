/// Exact counts of missing samples per cause: the one type for loss by cause, in a run's summary, a hub's
/// status, a recording's summary and an LSL or MQTT outlet.
public struct LossTotals: Sendable, Hashable {
    /// One count per cause, in `GapCause.allCases` order: loss accounting as data, so a cause added to
    /// `GapCause` is counted, summed, named and encoded with no other edit here.
    private var counts = [UInt64](repeating: 0, count: GapCause.allCases.count)

    public init() {}

    /// The sum of `gaps`' counts by cause (saturating: a crafted file's counts may add up past 2⁶⁴ − 1).
    public init<S: Sequence<Gap>>(gaps: S) {
        for gap in gaps { self[gap.cause] = self[gap.cause].addingSaturating(gap.count) }
    }

    public subscript(cause: GapCause) -> UInt64 {
        get { counts[cause.position] }
        set { counts[cause.position] = newValue }
    }

    /// The causes cover disjoint indices of one stream, so the sum fits; it saturates rather than trap if a
    /// caller adds up totals that are not disjoint.
    public var total: UInt64 { counts.reduce(0) { $0.addingSaturating($1) } }

    /// Cause by cause, saturating: the totals of several devices each may reach 2⁶⁴ − 1.
    public func addingSaturating(_ other: LossTotals) -> LossTotals {
        var sum = self
        for i in counts.indices { sum.counts[i] = counts[i].addingSaturating(other.counts[i]) }
        return sum
    }

    /// The causes a summary names, in order: every cause an acquisition declares, zeros included, and the
    /// others (`network`, `write_failed`) only when they lost something.
    public var reported: [GapCause] {
        GapCause.allCases.filter { GapCause.acquisition.contains($0) || self[$0] > 0 }
    }

    /// By the name a recording's gaps table gives each cause, for the causes `reported` names.
    public var byName: [String: UInt64] {
        Dictionary(uniqueKeysWithValues: reported.map { ($0.rawValue, self[$0]) })
    }

    /// Only the causes that lost something, by name.
    public var nonzeroByName: [String: UInt64] { byName.filter { $0.value > 0 } }
}

/// JSON (`record --json`): the causes `reported` names, by their Swift names (`transportGap`), then `total`, as
/// it always was.
extension LossTotals: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(_ cause: GapCause) { stringValue = cause.swiftName }
        static let total = Key(stringValue: "total")
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for cause in GapCause.allCases {
            self[cause] = GapCause.acquisition.contains(cause)
                ? try c.decode(UInt64.self, forKey: Key(cause))
                : try c.decodeIfPresent(UInt64.self, forKey: Key(cause)) ?? 0
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for cause in reported { try c.encode(self[cause], forKey: Key(cause)) }
        try c.encode(total, forKey: .total)
    }
}
