/// Least-squares polynomial fit by Householder QR of the column-scaled Vandermonde matrix.
///
/// QR works on the matrix itself, so its error grows with cond(A); the normal equations square that condition
/// number, which with raw ADC counts (10⁶) up to the third power loses every significant digit. Columns are
/// scaled to unit norm first, as `numpy.polyfit` does, so the results agree with it to rounding.
public enum LeastSquares {
    public static func polynomialFit(x: [Double], y: [Double], degree: Int) throws(CalibrationError) -> Polynomial {
        let m = x.count
        let p = degree + 1
        guard x.count == y.count else { throw .fit("x and y differ in length (\(x.count) vs \(y.count))") }
        guard degree >= 0 else { throw .fit("degree must not be negative") }
        guard m >= p else { throw .fit("a degree-\(degree) fit needs at least \(p) points; there are \(m)") }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { throw .fit("points must be finite numbers") }

        // Column-major Vandermonde matrix, columns x⁰ … x^degree.
        var a = [Double](repeating: 0, count: m * p)
        for i in 0..<m {
            var power = 1.0
            for j in 0..<p {
                a[j * m + i] = power
                power *= x[i]
            }
        }
        var scale = [Double](repeating: 1, count: p)
        for j in 0..<p {
            var s = 0.0
            for i in 0..<m { s += a[j * m + i] * a[j * m + i] }
            s = s.squareRoot()
            guard s > 0 else { throw .fit("the points do not determine a degree-\(degree) polynomial") }
            scale[j] = s
            for i in 0..<m { a[j * m + i] /= s }
        }
        var b = y
        var v = [Double](repeating: 0, count: m)
        for k in 0..<p {
            var norm = 0.0
            for i in k..<m { norm += a[k * m + i] * a[k * m + i] }
            norm = norm.squareRoot()
            guard norm > 0 else { continue }
            let alpha = a[k * m + k] > 0 ? -norm : norm
            for i in k..<m { v[i] = a[k * m + i] }
            v[k] -= alpha
            var vv = 0.0
            for i in k..<m { vv += v[i] * v[i] }
            guard vv > 0 else { continue }
            for j in k..<p { reflect(&a, offset: j * m, k: k, m: m, v: v, vv: vv) }
            reflect(&b, offset: 0, k: k, m: m, v: v, vv: vv)
        }
        // Rank check on R's diagonal, relative to its largest entry.
        let largest = (0..<p).map { abs(a[$0 * m + $0]) }.max() ?? 0
        let tiny = largest * Double(max(m, p)) * Double.ulpOfOne
        var c = [Double](repeating: 0, count: p)
        for k in stride(from: p - 1, through: 0, by: -1) {
            let rkk = a[k * m + k]
            guard abs(rkk) > tiny else {
                throw .fit("the points do not determine a degree-\(degree) polynomial (too few distinct readings)")
            }
            var s = b[k]
            for j in (k + 1)..<p { s -= a[j * m + k] * c[j] }
            c[k] = s / rkk
        }
        for j in 0..<p { c[j] /= scale[j] }
        return Polynomial(c)
    }

    /// Applies I − 2vvᵀ/vᵀv to rows k..<m of one column.
    private static func reflect(_ col: inout [Double], offset: Int, k: Int, m: Int, v: [Double], vv: Double) {
        var dot = 0.0
        for i in k..<m { dot += v[i] * col[offset + i] }
        let f = 2 * dot / vv
        for i in k..<m { col[offset + i] -= f * v[i] }
    }
}
