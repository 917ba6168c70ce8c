/// Computes a sale's distribution from its inputs. Pure: no I/O, no clock, deterministic.
public enum DistributionEngine {
    public static func plan(_ input: DistributionInput) throws(LedgerError) -> DistributionPlan {
        let sale = input.sale, project = input.project, equation = input.equation
        guard sale.currency == project.currency else {
            throw .currencyMismatch(sale: sale.currency.code, project: project.currency.code)
        }
        guard equation.project == project.id else {
            throw .equation("equation is for project '\(equation.project)', the sale is in '\(project.id)'")
        }
        guard sale.price >= 0, sale.directCosts >= 0, sale.directCosts <= sale.price else {
            throw .invalid("sale \(sale.id): direct costs exceed the price")
        }
        var state = EngineState(input: input)
        let distributable = sale.distributable
        if distributable > 0 {
            try state.run(distributable)
        }
        let distribution = Distribution(
            sale: sale.id, project: project.id, currency: sale.currency, distributable: distributable,
            equationVersion: equation.version, equationSnapshot: equation.canonicalJSON(),
            lines: state.lines(),
            payments: state.payments.sorted { ($0.bucket, $0.event) < ($1.bucket, $1.event) })
        return DistributionPlan(distribution: distribution, claims: state.touchedClaims())
    }
}

/// The mutable bookkeeping of one distribution run.
struct EngineState {
    let input: DistributionInput
    let liveEvents: [ContributionEvent]
    var claims: [ClaimKey: Claim]
    /// Claims created or paid, in the order they were first touched (the order the plan lists them in), and the
    /// same keys as a set: a linear search here made a distribution over 100,000 claims quadratic.
    var touched: [ClaimKey] = []
    var touchedKeys: Set<ClaimKey> = []
    var bucketTotals: [String: [String: Int64]] = [:]
    var fund: Int64 = 0
    var payments: [ClaimPayment] = []
    var paymentIndex: [ClaimKey: Int] = [:]

    init(input: DistributionInput) {
        self.input = input
        self.claims = input.claims
        let date = input.sale.date
        let dated = input.events.filter { $0.date <= date }
        let reversed = Set(dated.compactMap(\.reverses))
        liveEvents = dated
            .filter { $0.reverses == nil && !reversed.contains($0.id) }
            .sorted { ($0.agent, $0.id) < ($1.agent, $1.id) }
    }

    /// Bucket amounts, carries and the fund are parts of `distributable`, so plain arithmetic on them cannot
    /// overflow; what accumulates across claims and sales (`settle`, `credit`) is checked.
    mutating func run(_ distributable: Int64) throws(LedgerError) {
        let buckets = input.equation.buckets
        switch input.equation.mode {
        case .straight:
            let scale = LedgerDecimal.maxScale
            var weights = buckets.map { Int64($0.percent.mantissa(atScale: scale)!) }
            let hundred = Int64(LedgerDecimal(100).mantissa(atScale: scale)!)
            weights.append(hundred - weights.reduce(0, +))  // unallocated percentage → fund
            let amounts = LargestRemainder.split(distributable, weights: weights)
            var carry: Int64 = 0
            for (index, bucket) in buckets.enumerated() {
                let amount = amounts[index] + carry
                carry = amount - (try pay(bucket, amount))
            }
            fund += carry + amounts[buckets.count]
        case .remaining:
            var base = distributable
            for bucket in buckets {
                let amount = try LedgerDecimal.minorUnits(
                    product: [LedgerDecimal(mantissa: base, scale: 0), bucket.percent, LedgerDecimal(mantissa: 1, scale: 2)],
                    exponent: 0)
                base -= try pay(bucket, amount)
            }
            fund += base
        }
    }

    /// Pays one bucket; returns what it paid (≤ amount).
    mutating func pay(_ bucket: Bucket, _ amount: Int64) throws(LedgerError) -> Int64 {
        guard amount > 0 else { return 0 }
        if let agent = bucket.agent {
            try credit(bucket.id, agent, amount)
            return amount
        }
        guard let filter = bucket.filter, let rules = bucket.rules else { return 0 }
        let products = input.products
        // A bucket that follows the sold product pays each line its share of the bucket, by the lines' prices
        // (ties to the earlier line); any other bucket pays once for the whole sale.
        guard filter.followsProduct, products.count > 1 else {
            return try pay(bucket, amount, filter: filter, rules: rules, product: products[0])
        }
        var paid: Int64 = 0
        let parts = LargestRemainder.split(amount, weights: products.map(\.price))
        for (product, part) in zip(products, parts) where part > 0 {
            paid += try pay(bucket, part, filter: filter, rules: rules, product: product)
        }
        return paid
    }

    /// Pays one bucket's `amount` over the claims it gathers for `product`; returns what it paid.
    mutating func pay(_ bucket: Bucket, _ amount: Int64, filter: BucketFilter, rules: [ClaimRuleSpec],
                      product: ProductLine) throws(LedgerError) -> Int64 {
        let levels = try gather(bucket, filter: filter, rules: rules, product: product)
        let levelWeights = self.levelWeights(filter, count: levels.count, product: product)
        var liveWeights = [Int64]()
        var liveLevels = [[WeightedClaim]]()
        for (level, claims) in levels.enumerated() where !claims.isEmpty {
            liveWeights.append(levelWeights[level])
            liveLevels.append(claims)
        }
        let levelAmounts = LargestRemainder.split(amount, weights: liveWeights)
        var paid: Int64 = 0
        for (claims, levelAmount) in zip(liveLevels, levelAmounts) {
            let shares = LevelPayment.pay(levelAmount, to: claims, mode: input.equation.mode)
            for (claim, share) in zip(claims, shares) {
                try settle(claim.key, share)
                paid += share
            }
        }
        return paid
    }

    /// Live claims of the bucket grouped by lineage level (one level unless the filter has a `design` part).
    mutating func gather(_ bucket: Bucket, filter: BucketFilter, rules: [ClaimRuleSpec],
                         product: ProductLine) throws(LedgerError) -> [[WeightedClaim]] {
        let lineage = product.lineage
        var levels = [[WeightedClaim]](repeating: [], count: filter.designFilter == nil ? 1 : lineage.count)
        let exponent = input.project.currency.minorExponent
        for event in liveEvents where !event.gift {
            guard let level = self.level(of: event, in: filter, product: product) else { continue }
            guard let rule = rules.first(where: { $0.event == event.kind }) else { continue }
            let key = ClaimKey(bucket: bucket.id, event: event.id)
            if claims[key] == nil {
                let value: Int64
                do { value = try rule.claimValue(of: event, exponent: exponent) } catch {
                    throw .amountTooLarge("bucket '\(bucket.id)': the claim on event \(event.id) (its value × factor) is too large to account exactly")
                }
                guard value > 0 else { continue }
                claims[key] = Claim(project: input.project.id, bucket: bucket.id, event: event.id, agent: event.agent,
                                    rule: rule.claim, original: value, balance: value, paid: 0)
                touched.append(key)
                touchedKeys.insert(key)
            }
            let claim = claims[key]!
            guard claim.isLive else { continue }
            var weight = claim.rule == .equity ? claim.original : claim.balance
            var cap: Int64? = claim.rule == .debt ? claim.balance : nil
            // A sale of q of a lot's Q pays the lot's own claims for q ÷ Q of them (and a contribution shared
            // across lots for the lot's part of that): a debt takes at most that part of its value in this sale,
            // so the rest of the lot's buyers, the other lots' buyers or project-wide buckets pay the rest.
            if let share = product.lotShare, let fraction = event.part(in: product.unit) {
                if claim.rule == .debt {
                    let part = min(claim.balance, share.part(of: claim.original, fraction))
                    (weight, cap) = (part, part)
                } else {
                    weight = share.part(of: weight, fraction)
                }
            }
            guard weight > 0 else { continue }
            levels[level].append(WeightedClaim(key: key, agent: claim.agent, weight: weight, cap: cap))
        }
        return levels
    }

    /// The lineage level at which `filter` gathers `event` (0 outside a design filter), or nil when it does not.
    func level(of event: ContributionEvent, in filter: BucketFilter, product: ProductLine) -> Int? {
        switch filter {
        case .unit:
            return event.part(in: product.unit) != nil ? 0 : nil
        case .design:
            guard let design = event.design else { return nil }
            return product.lineage.firstIndex(of: design)
        case .projectDates(let from, let to):
            if let from, event.date < from { return nil }
            if let to, event.date > to { return nil }
            return 0
        case .workTypes(let names):
            guard event.kind == .work, let workType = event.workType, names.contains(workType) else { return nil }
            return 0
        case .contributions(let kinds):
            return kinds.contains(event.kind) ? 0 : nil
        case .all(let filters):
            var level = 0
            for filter in filters {
                guard let found = self.level(of: event, in: filter, product: product) else { return nil }
                if filter.designFilter != nil { level = found }
            }
            return level
        }
    }

    /// With c_i the share level i owes its parent (its design's `cites`, else the bucket's `lineage_weight`),
    /// level i gets c_0·…·c_(i−1)·(1 − c_i) and the oldest followed level c_0·…·c_(n−2); over the common
    /// denominator 100^n. With every c_i = w this is the bucket-wide w^i·(1−w), oldest w^(n−1).
    func levelWeights(_ filter: BucketFilter, count: Int, product: ProductLine) -> [Int64] {
        guard case .design(let weight)? = filter.designFilter, count > 1 else { return [1] }
        let scale = BucketFilter.lineageWeightScale
        let cites = product.lineage.prefix(count).map { design in
            Int64((product.citations[design] ?? weight).mantissa(atScale: scale)!)
        }
        // Each factor is at most 100 and there are at most maxLineageLevels + 1 of them: ≤ 10^18 fits Int64.
        var weights = [Int64](), passed: Int64 = 1
        for level in 0..<count {
            let rest = (0..<(count - 1 - level)).reduce(Int64(1)) { acc, _ in acc * 100 }
            weights.append(level == count - 1 ? passed * 100 : passed * (100 - cites[level]) * rest)
            passed *= cites[level]
        }
        return weights
    }

    mutating func settle(_ key: ClaimKey, _ amount: Int64) throws(LedgerError) {
        guard var claim = claims[key] else { return }
        if touchedKeys.insert(key).inserted { touched.append(key) }
        switch claim.rule {
        case .debt: claim.balance -= amount
        case .once: if amount >= 1 { claim.balance = 0 }
        case .equity: break
        }
        // An equity claim is paid on every sale, so what it has been paid grows without bound.
        claim.paid = try claim.paid.adding(amount, for: "what the claim of bucket '\(key.bucket)' on event \(key.event) has been paid")
        claims[key] = claim
        guard amount > 0 else { return }
        // A contribution shared across lots can be paid by two lines of one sale: one payment per claim and sale.
        if let index = paymentIndex[key] {
            payments[index].amount += amount
        } else {
            paymentIndex[key] = payments.count
            payments.append(ClaimPayment(bucket: key.bucket, event: key.event, agent: claim.agent, amount: amount))
        }
        try credit(key.bucket, claim.agent, amount)
    }

    mutating func credit(_ bucket: String, _ agent: String, _ amount: Int64) throws(LedgerError) {
        let total = bucketTotals[bucket]?[agent] ?? 0
        bucketTotals[bucket, default: [:]][agent] = try total.adding(amount, for: "what '\(agent)' gets from bucket '\(bucket)'")
    }

    func lines() -> [DistributionLine] {
        var lines = [DistributionLine]()
        for bucket in input.equation.buckets {
            for (agent, amount) in (bucketTotals[bucket.id] ?? [:]).sorted(by: { $0.key < $1.key }) where amount > 0 {
                lines.append(DistributionLine(bucket: bucket.id, agent: agent, amount: amount))
            }
        }
        if fund > 0 { lines.append(DistributionLine(bucket: nil, agent: input.project.fundAgent, amount: fund)) }
        return lines
    }

    func touchedClaims() -> [Claim] { touched.map { claims[$0]! } }
}

extension BucketFilter {
    /// Whether the filter gathers by the sold product (its unit or lot, or its design lineage), so that a sale
    /// of several lines pays it line by line.
    var followsProduct: Bool {
        switch self {
        case .unit, .design: true
        case .all(let filters): filters.contains { $0.followsProduct }
        case .projectDates, .workTypes, .contributions: false
        }
    }
}
