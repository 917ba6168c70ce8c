import MWP

/// The terminal report of a calibration or verification: what the technician reads before accepting.
public enum CalibrationReport {
    public static func points(_ r: CalibrationResult) -> String {
        var t = TextTable(["#", "pass", "reference", "mean raw", "s raw", "n", "as-found", "as-found err", "as-left", "as-left err", "repeat. s"])
        for (i, p) in r.points.enumerated() {
            t.add([
                "\(i + 1)", p.point.pass == .ascending ? "up" : "down", fmt(p.point.reference), String(format: "%.2f", p.point.meanRaw),
                fmt(p.point.stdRaw, 3), "\(p.point.count)", fmt(p.asFoundValue, 6), fmt(p.asFoundError, 3),
                fmt(p.asLeftValue, 6), fmt(p.asLeftError, 3), fmt(p.repeatability, 3),
            ])
        }
        return t.render()
    }

    public static func fit(_ r: CalibrationResult) -> String {
        var lines = ["Fit (raw counts → \(r.unit)): \(r.degreeReason)"]
        lines.append("  rule: " + (r.degreeChoice == .auto ? DegreeChoice.autoRule : "degree fixed by --degree \(r.degree)"))
        for (k, c) in r.polynomial.coefficients.enumerated() { lines.append("  c\(k) = \(c)") }
        var t = TextTable(["degree", "max |residual|", "RSS", "AICc"])
        for c in r.candidates {
            t.add(["\(c.degree)", fmt(c.maxAbsResidual, 3), fmt(c.residualSumOfSquares, 3), c.aicc.map { fmt($0, 4) } ?? "n/a"])
        }
        return (lines + [t.render()]).joined(separator: "\n")
    }

    public static func budget(_ b: UncertaintyBudget, unit: String) -> String {
        var t = TextTable(["source", "type", "distribution", "u (\(unit))", "basis"])
        for c in b.components { t.add([c.source, c.evaluation.rawValue, c.distribution, fmt(c.standardUncertainty, 3), c.note]) }
        t.add(["combined standard uncertainty u_c", "", "", fmt(b.combinedStandardUncertainty, 3), "root sum of squares"])
        t.add(["expanded uncertainty U (k=\(Int(b.coverageFactor)))", "", "", fmt(b.expandedUncertainty, 3), "≈95 % coverage"])
        return t.render()
    }

    public static func hysteresis(_ r: CalibrationResult) -> String {
        guard !r.hysteresis.isEmpty else { return "  (ascending pass only: no hysteresis measured)" }
        var t = TextTable(["reference", "ascending", "descending", "hysteresis (down − up)"])
        for h in r.hysteresis { t.add([fmt(h.reference), fmt(h.ascending, 6), fmt(h.descending, 6), fmt(h.difference, 3)]) }
        return t.render()
    }

    public static func summary(_ r: CalibrationResult) -> String {
        var t = TextTable(["", "as-found (stored)", "as-left (new)"])
        t.add(["max |error| (\(r.unit))", fmt(r.maxAsFoundError, 3), fmt(r.maxAsLeftError, 3)])
        t.add(["max |error| (% FS)", fmt(r.maxAsFoundErrorPercentFS, 3), fmt(r.maxAsLeftErrorPercentFS, 3)])
        t.add(["within tolerance ±\(fmt(r.toleranceLimit, 3))", r.asFoundWithinTolerance ? "yes" : "NO", r.asLeftWithinTolerance ? "yes" : "NO"])
        return t.render() + "\n  full scale \(fmt(r.fullScale)) \(r.unit) (span of the reference points); tolerance \(r.tolerance); U (k=2) = \(fmt(r.expandedUncertainty, 3)) \(r.unit)"
    }

    public static func full(_ r: CalibrationResult) -> String {
        [
            "Points (reference \(r.reference.id), U=\(fmt(r.reference.expandedUncertainty)) \(r.unit), k=2)", points(r), "",
            fit(r), "", "Uncertainty budget (GUM)", budget(r.budget, unit: r.unit), "", "Hysteresis", hysteresis(r), "",
            "As-found vs as-left", summary(r),
        ].joined(separator: "\n")
    }

    public static func verification(_ v: VerificationResult) -> String {
        var t = TextTable(["#", "reference", "mean raw", "s raw", "n", "indicated", "error", "error % FS", "result"])
        for (i, row) in v.rows.enumerated() {
            t.add([
                "\(i + 1)", fmt(row.point.reference), String(format: "%.2f", row.point.meanRaw), fmt(row.point.stdRaw, 3),
                "\(row.point.count)", fmt(row.indicated, 6), fmt(row.error, 3),
                v.fullScale > 0 ? fmt(100 * row.error / v.fullScale, 3) : "n/a", row.passed ? "pass" : "FAIL",
            ])
        }
        return [
            "As-found check of channel \(v.channel) with the stored calibration (degree \(v.stored.degree), \(v.stored.technician), \(v.stored.calibratedAt))",
            t.render(), "", "Uncertainty budget (GUM)", budget(v.budget, unit: v.unit), "",
            "Decision rule: \(v.decisionRule.statement)",
            "Tolerance \(v.tolerance) = ±\(fmt(v.toleranceLimit, 3)) \(v.unit); acceptance limit ±\(fmt(v.acceptanceLimit, 3)) \(v.unit)",
            "Result: \(v.passed ? "PASS" : "FAIL") (max |error| \(fmt(v.maxError, 3)) \(v.unit) = \(fmt(v.maxErrorPercentFS, 3)) % FS)",
        ].joined(separator: "\n")
    }
}
