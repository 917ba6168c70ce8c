extension ValueEquation {
    /// Checks what decoding cannot: percentages, bucket shapes, filters and rules.
    /// Agent existence is checked by the ledger, which knows the agents.
    public func validate() throws(LedgerError) {
        guard format == Self.formatName else {
            throw .equation("format must be \"\(Self.formatName)\", found \"\(format)\"")
        }
        guard !project.isEmpty else { throw .equation("project is empty") }
        guard version >= 1 else { throw .equation("version must be 1 or more") }
        guard !buckets.isEmpty else { throw .equation("no buckets") }
        var seen = Set<String>()
        var total = LedgerDecimal(0)
        for bucket in buckets {
            try bucket.validate()
            guard seen.insert(bucket.id).inserted else { throw .equation("bucket id '\(bucket.id)' is used twice") }
            total = total.adding(bucket.percent)
        }
        if mode == .straight && total > LedgerDecimal(100) {
            throw .equation("straight buckets add up to \(total) %, more than 100 %")
        }
    }
}

extension Bucket {
    func validate() throws(LedgerError) {
        guard !id.isEmpty else { throw .equation("a bucket has an empty id") }
        guard percent.isPositive, percent <= LedgerDecimal(100) else {
            throw .equation("bucket '\(id)': percent \(percent) is not in (0, 100]")
        }
        switch (agent, filter) {
        case (.some(let agent), nil):
            guard !agent.isEmpty else { throw .equation("bucket '\(id)': agent is empty") }
            guard rules == nil else { throw .equation("bucket '\(id)': a fixed-agent bucket has no rules") }
        case (nil, .some(let filter)):
            try validate(filter)
            guard let rules, !rules.isEmpty else { throw .equation("bucket '\(id)': a filter bucket needs rules") }
            var kinds = Set<ContributionKind>()
            for rule in rules {
                guard kinds.insert(rule.event).inserted else {
                    throw .equation("bucket '\(id)': two rules for '\(rule.event.rawValue)' events")
                }
                if let factor = rule.factor, !factor.isPositive {
                    throw .equation("bucket '\(id)': factor \(factor) must be positive")
                }
            }
        default:
            throw .equation("bucket '\(id)': give exactly one of 'agent' or 'filter'")
        }
    }

    private func validate(_ filter: BucketFilter) throws(LedgerError) {
        switch filter {
        case .unit: break
        case .design(let weight):
            guard !weight.isNegative, weight < LedgerDecimal(1), weight.scale <= BucketFilter.lineageWeightScale else {
                throw .equation("bucket '\(id)': lineage_weight \(weight) must be in [0, 1) with at most 2 decimals")
            }
        case .projectDates(let from, let to):
            if let from, let to, to < from {
                throw .equation("bucket '\(id)': project_dates ends (\(to)) before it starts (\(from))")
            }
        case .workTypes(let names):
            guard !names.isEmpty else { throw .equation("bucket '\(id)': filter.names: a work_type filter names at least one work type") }
        case .contributions(let kinds):
            guard !kinds.isEmpty else { throw .equation("bucket '\(id)': filter.kinds: a contribution filter names at least one kind") }
        case .all(let filters):
            guard !filters.isEmpty else { throw .equation("bucket '\(id)': filter.of: an all filter combines at least one filter") }
            let designs = filters.filter { $0.designFilter != nil }.count
            guard designs <= 1 else {
                throw .equation("bucket '\(id)': filter.of: at most one design filter (it gives the lineage levels), found \(designs)")
            }
            for filter in filters { try validate(filter) }
        }
    }
}

extension BucketFilter {
    static let lineageWeightScale = 2
    /// Levels beyond this depth of a design's lineage are not followed (keeps weights exact in Int64).
    public static let maxLineageLevels = 8
}

extension LedgerDecimal {
    func adding(_ other: LedgerDecimal) -> LedgerDecimal {
        let digits = max(scale, other.scale)
        let sum = mantissa(atScale: digits)! + other.mantissa(atScale: digits)!
        return LedgerDecimal(mantissa: Int64(sum), scale: digits)
    }
}
