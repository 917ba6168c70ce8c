/// A live claim inside one lineage level (or the only level of a unit/date bucket).
struct WeightedClaim {
    var key: ClaimKey
    var agent: String
    var weight: Int64
    /// The most this claim may receive in this sale; nil = uncapped.
    var cap: Int64?
}

enum LevelPayment {
    /// Splits `amount` among `claims` (already ordered by agent id, event id).
    /// Returns each claim's payment; what is not paid is `amount - sum`.
    static func pay(_ amount: Int64, to claims: [WeightedClaim], mode: ValueEquation.Mode) -> [Int64] {
        switch mode {
        case .remaining:
            // A claim gets at most its share (its weight) in one sale. Weights are claim values, each up to
            // Int64.max, so their total is taken in Int128.
            let total = claims.reduce(Int128(0)) { $0 + Int128($1.weight) }
            if Int128(amount) >= total { return claims.map(\.weight) }
            return LargestRemainder.split(amount, weights: claims.map(\.weight))
        case .straight:
            // Water-filling: a capped debt takes its balance, its excess goes to the others.
            var payments = [Int64](repeating: 0, count: claims.count)
            var active = Array(claims.indices)
            var left = amount
            while !active.isEmpty && left > 0 {
                let parts = LargestRemainder.split(left, weights: active.map { claims[$0].weight })
                let over = active.indices.filter { slot in
                    claims[active[slot]].cap.map { parts[slot] > $0 } ?? false
                }
                if over.isEmpty {
                    for (slot, index) in active.enumerated() { payments[index] = parts[slot] }
                    left = 0
                    break
                }
                for slot in over {
                    let index = active[slot]
                    payments[index] = claims[index].cap!
                    left -= payments[index]
                }
                let capped = Set(over.map { active[$0] })
                active.removeAll { capped.contains($0) }
            }
            return payments
        }
    }
}
