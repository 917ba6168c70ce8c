/// A digital filter as zeros, poles and gain, and its conversion to second-order sections with the
/// same pole/zero pairing and section order as scipy's `zpk2sos(pairing='nearest')`: poles closest to
/// the unit circle go to the last section, each pole pair with its nearest zeros, the gain into the
/// first section. Reproducing that pairing is what lets our coefficients match scipy's row for row.
struct ZerosPolesGain {
    var zeros: [Complex]
    var poles: [Complex]
    var gain: Double

    func secondOrderSections() -> [SecondOrderSection] {
        var z = zeros
        var p = poles
        if p.count < z.count { p += Array(repeating: Complex(0), count: z.count - p.count) }
        if z.count < p.count { z += Array(repeating: Complex(0), count: p.count - z.count) }
        let sectionCount = (p.count + 1) / 2
        if p.count % 2 == 1 {
            p.append(Complex(0))
            z.append(Complex(0))
        }
        var zs = Self.conjugatePairsThenReals(z)
        var ps = Self.conjugatePairsThenReals(p)
        var sections = Array(repeating: SecondOrderSection(b0: 0, b1: 0, b2: 0, a1: 0, a2: 0), count: sectionCount)

        for si in stride(from: sectionCount - 1, through: 0, by: -1) {
            let p1 = ps.remove(at: Self.indexClosestToUnitCircle(ps, where: { _ in true })!)
            let realPolesLeft = ps.filter(\.isReal).count
            if p1.isReal && realPolesLeft == 0 {
                let z1 = zs.remove(at: Self.nearest(zs, to: p1.value, kind: .real))
                sections[si] = Self.section(zeros: [z1.value, Complex(0)], poles: [p1.value, Complex(0)])
            } else if ps.count + 1 == zs.count && !p1.isReal && realPolesLeft == 1
                && zs.filter(\.isReal).count == 1
            {
                let z1 = zs.remove(at: Self.nearest(zs, to: p1.value, kind: .complex))
                sections[si] = Self.section(
                    zeros: [z1.value, z1.value.conjugate], poles: [p1.value, p1.value.conjugate])
            } else {
                let p2: Complex
                if p1.isReal {
                    p2 = ps.remove(at: Self.indexClosestToUnitCircle(ps, where: \.isReal)!).value
                } else {
                    p2 = p1.value.conjugate
                }
                if zs.isEmpty {
                    sections[si] = Self.section(zeros: [], poles: [p1.value, p2])
                } else {
                    let z1 = zs.remove(at: Self.nearest(zs, to: p1.value, kind: .any))
                    if !z1.isReal {
                        sections[si] = Self.section(zeros: [z1.value, z1.value.conjugate], poles: [p1.value, p2])
                    } else if !zs.isEmpty {
                        let z2 = zs.remove(at: Self.nearest(zs, to: p1.value, kind: .real))
                        sections[si] = Self.section(zeros: [z1.value, z2.value], poles: [p1.value, p2])
                    } else {
                        sections[si] = Self.section(zeros: [z1.value], poles: [p1.value, p2])
                    }
                }
            }
        }
        sections[0].b0 *= gain
        sections[0].b1 *= gain
        sections[0].b2 *= gain
        return sections
    }

    /// A root as scipy's `_cplxreal` leaves it: complex roots once (positive imaginary part), reals apart.
    struct Root {
        var value: Complex
        var isReal: Bool
    }

    private static func conjugatePairsThenReals(_ roots: [Complex]) -> [Root] {
        let tolerance = 100 * Double.ulpOfOne
        let sorted = roots.sorted { ($0.re, abs($0.im)) < ($1.re, abs($1.im)) }
        var reals: [Root] = []
        var upper: [Complex] = []
        var lower: [Complex] = []
        for r in sorted {
            if abs(r.im) <= tolerance * r.magnitude {
                reals.append(Root(value: Complex(r.re), isReal: true))
            } else if r.im > 0 {
                upper.append(r)
            } else {
                lower.append(r)
            }
        }
        precondition(upper.count == lower.count, "complex roots come in conjugate pairs")
        let pairs = zip(upper, lower).map { u, l in
            Root(value: Complex((u.re + l.re) / 2, (u.im - l.im) / 2), isReal: false)
        }
        return pairs + reals
    }

    private static func indexClosestToUnitCircle(_ roots: [Root], where include: (Root) -> Bool) -> Int? {
        var best: Int?
        for i in roots.indices where include(roots[i]) {
            if let b = best, abs(1 - roots[b].value.magnitude) <= abs(1 - roots[i].value.magnitude) { continue }
            best = i
        }
        return best
    }

    private enum Kind { case real, complex, any }

    private static func nearest(_ roots: [Root], to target: Complex, kind: Kind) -> Int {
        var best: Int?
        for i in roots.indices {
            switch kind {
            case .real where !roots[i].isReal, .complex where roots[i].isReal: continue
            default: break
            }
            if let b = best, (roots[b].value - target).magnitude <= (roots[i].value - target).magnitude { continue }
            best = i
        }
        return best!
    }

    private static func polynomial(_ roots: [Complex]) -> [Complex] {
        var c = [Complex(1)]
        for r in roots {
            var next = c + [Complex(0)]
            for i in 1..<next.count { next[i] = next[i] - r * c[i - 1] }
            c = next
        }
        return c
    }

    private static func section(zeros: [Complex], poles: [Complex]) -> SecondOrderSection {
        let b = polynomial(zeros).map(\.re)
        let a = polynomial(poles).map(\.re)
        var row = [Double](repeating: 0, count: 6)
        for (i, v) in b.enumerated() { row[3 - b.count + i] = v }
        for (i, v) in a.enumerated() { row[6 - a.count + i] = v }
        precondition(row[3] == 1, "every section keeps two poles")
        return SecondOrderSection(b0: row[0], b1: row[1], b2: row[2], a1: row[4], a2: row[5])
    }
}
