/// Exact apportionment: split `total` minor units by `weights` so the parts sum to `total`.
///
/// Each part gets floor(total·w/W); the units left over go one each to the largest remainders,
/// ties to the smaller index. Callers order their items by the documented key (bucket order,
/// lineage level, agent id, event id) so "smaller index" is the tie rule.
public enum LargestRemainder {
    public static func split(_ total: Int64, weights: [Int64]) -> [Int64] {
        precondition(total >= 0 && weights.allSatisfy { $0 >= 0 })
        let sum = weights.reduce(Int128(0)) { $0 + Int128($1) }
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } }
        var parts = [Int64]()
        var remainders = [(remainder: Int128, index: Int)]()
        var given: Int64 = 0
        for (index, weight) in weights.enumerated() {
            let numerator = Int128(total) * Int128(weight)
            let part = Int64(numerator / sum)
            parts.append(part)
            given += part
            remainders.append((numerator % sum, index))
        }
        remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        for slot in 0..<Int(total - given) {
            parts[remainders[slot].index] += 1
        }
        return parts
    }
}
