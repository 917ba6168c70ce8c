import Foundation
import MWP

/// A calibration certificate as one self-contained HTML file (no external CSS, fonts, scripts or images), with the
/// elements ISO/IEC 17025:2017 §7.8.2 and §7.8.4 ask for. Printing from a browser repeats the fixed header and
/// footer, so the certificate ID is on every page.
public enum Certificate {
    public static func html(_ e: HistoryEntry, issuedAt: UInt64 = nowUnixSeconds()) throws(CalibrationError) -> String {
        guard e.kind == .calibration, let r = e.calibration, let written = e.written else {
            throw .badInput("\(e.id) is a verification, not a calibration; certificates are issued for calibrations")
        }
        let id = htmlEscape(e.id)
        let ch = Int(e.channel) < e.identity.channels.count ? e.identity.channels[Int(e.channel)] : nil
        let u = htmlEscape(r.unit)
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Calibration certificate \(id)</title>
        <style>
        body { font-family: sans-serif; font-size: 10.5pt; margin: 0 1.5cm; color: #111; }
        .page-header, .page-footer { position: fixed; left: 0; right: 0; font-size: 9pt; color: #333; background: #fff; }
        .page-header { top: 0; border-bottom: 1px solid #999; padding: 4px 1.5cm; }
        .page-footer { bottom: 0; border-top: 1px solid #999; padding: 4px 1.5cm; }
        /* The frame's header and footer rows repeat on every printed page and reserve room for the fixed bars. */
        table.print-frame, table.print-frame > * > tr > td { border: none; padding: 0; text-align: left; }
        table.print-frame { width: 100%; } .header-space { height: 2.4em; } .footer-space { height: 2.8em; }
        h1 { font-size: 16pt; margin-bottom: 0.2em; } h2 { font-size: 12pt; margin: 1.2em 0 0.4em 0; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 0.3em 0; } th, td { border: 1px solid #bbb; padding: 2px 6px; text-align: right; }
        th { background: #eee; } td.l, th.l { text-align: left; } .fail { color: #b00; font-weight: bold; }
        section, table, svg { page-break-inside: avoid; }
        @page { size: A4; margin: 1.6cm 0 1.6cm 0; }
        </style></head><body>
        <div class="page-header">Calibration certificate <strong class="cert-id">\(id)</strong> · \(htmlEscape(e.serial)) channel \(e.channel)</div>
        <div class="page-footer">Certificate <span class="cert-id">\(id)</span> · issued \(utc(issuedAt)) · This certificate shall not be reproduced except in full.</div>
        <table class="print-frame"><thead><tr><td><div class="header-space"></div></td></tr></thead>
        <tfoot><tr><td><div class="footer-space"></div></td></tr></tfoot><tbody><tr><td><main>
        <h1>Calibration certificate</h1>
        <p>Certificate number <strong class="cert-id">\(id)</strong> · date of issue \(utc(issuedAt))</p>

        """
        h += section("Item calibrated", table([
            ["Serial number", e.identity.serial], ["Design", e.identity.design],
            ["Hardware revision", "\(e.identity.hardwareRevision)"], ["Firmware", e.identity.firmware.description],
            ["Channel", ch.map { "\(e.channel) “\($0.name)” (\($0.kind), \($0.adcBits)-bit ADC, raw \($0.rawMin)…\($0.rawMax), unit \($0.unit))" } ?? "\(e.channel)"],
            ["Condition as received", r.asFoundWithinTolerance
                ? "In tolerance with the calibration it carried (as-found max error \(fmt(r.maxAsFoundErrorPercentFS, 3)) % FS)."
                : "OUT OF TOLERANCE as received (as-found max error \(fmt(r.maxAsFoundErrorPercentFS, 3)) % FS); the item was adjusted."],
        ], keyed: true))
        h += section("Calibration", table([
            ["Method", e.method], ["Date of calibration", "\(utc(e.startedAt)) to \(utc(e.finishedAt))"],
            ["Performed by", e.technician], ["Authorized by", e.authorizedBy],
            ["Environmental conditions", e.conditions ?? "not recorded (stated by the laboratory where they influence the result)"],
        ], keyed: true))
        h += section("Reference standard (metrological traceability)", table([
            ["Reference standard", r.reference.id],
            ["Its expanded uncertainty", "\(fmt(r.reference.expandedUncertainty)) \(r.unit) (k=2)"],
            ["Traceability", "Through the reference standard's own calibration certificate, to SI units."],
        ], keyed: true))
        h += section("Result: transfer function stored on the unit", """
            <p>value [\(u)] = c0 + c1·r + c2·r² + c3·r³, r = raw ADC counts. Chosen \(htmlEscape(r.degreeReason)).</p>
            """ + table([["c0", "c1", "c2", "c3"], written.coefficients.map { "\($0)" }], keyed: false, header: true)
            + "<p>Stored on the unit with SET_CALIBRATION (calibration date \(utc(written.calibratedAt)), technician “\(htmlEscape(written.technician))”) and confirmed identical by read-back.</p>")
        var rows = [["pass", "reference (\(r.unit))", "mean raw", "n", "as-found (\(r.unit))", "as-found error", "as-left (\(r.unit))", "as-left error", "U (k=2)"]]
        for p in r.points {
            rows.append([
                p.point.pass.rawValue, fmt(p.point.reference), String(format: "%.2f", p.point.meanRaw), "\(p.point.count)",
                fmt(p.asFoundValue, 6), fmt(p.asFoundError, 3), fmt(p.asLeftValue, 6), fmt(p.asLeftError, 3), fmt(r.expandedUncertainty, 2),
            ])
        }
        h += section("Results: as-found and as-left", table(rows, keyed: false, header: true) + """
            <p>Maximum error as found: \(fmt(r.maxAsFoundError, 3)) \(u) (\(fmt(r.maxAsFoundErrorPercentFS, 3)) % of full scale);
            as left: \(fmt(r.maxAsLeftError, 3)) \(u) (\(fmt(r.maxAsLeftErrorPercentFS, 3)) % of full scale). Full scale \(fmt(r.fullScale)) \(u).</p>
            <p class="uncertainty">Expanded measurement uncertainty U = \(fmt(r.expandedUncertainty, 3)) \(u) (k = 2, coverage probability ≈95 %).</p>
            """)
        var budget = [["source", "type", "distribution", "u (\(r.unit))", "basis"]]
        for c in r.budget.components { budget.append([c.source, c.evaluation.rawValue, c.distribution, fmt(c.standardUncertainty, 3), c.note]) }
        budget.append(["combined standard uncertainty u_c", "", "", fmt(r.budget.combinedStandardUncertainty, 3), "root sum of squares"])
        budget.append(["expanded uncertainty U (k=2)", "", "", fmt(r.expandedUncertainty, 3), "≈95 %"])
        h += section("Uncertainty budget (GUM)", table(budget, keyed: false, header: true))
        if !r.hysteresis.isEmpty {
            var hy = [["reference", "ascending", "descending", "hysteresis"]]
            for row in r.hysteresis { hy.append([fmt(row.reference), fmt(row.ascending, 6), fmt(row.descending, 6), fmt(row.difference, 3)]) }
            h += section("Hysteresis (as left)", table(hy, keyed: false, header: true))
        }
        h += section("Fit plot", CalibrationCharts.fitPlot(r))
        let conform = r.asLeftWithinTolerance
        h += section("Decision rule and statement of conformity", """
            <p class="decision-rule">\(htmlEscape(e.decisionRule.statement))</p>
            <p>Tolerance: \(htmlEscape(r.tolerance.description)) = ±\(fmt(r.toleranceLimit, 3)) \(u).
            As left the item <strong\(conform ? "" : " class=\"fail\"")>\(conform ? "conforms" : "does not conform")</strong> to this tolerance.</p>
            """)
        h += section("Authorization", "<p>Authorized by \(htmlEscape(e.authorizedBy)) · certificate \(id)</p>")
        return h + "</main></td></tr></tbody></table></body></html>\n"
    }

    static func section(_ title: String, _ body: String) -> String {
        "<section><h2>\(htmlEscape(title))</h2>\n\(body)\n</section>\n"
    }

    static func table(_ rows: [[String]], keyed: Bool, header: Bool = false) -> String {
        var s = "<table>"
        for (i, row) in rows.enumerated() {
            s += "<tr>"
            for (j, cell) in row.enumerated() {
                let tag = (header && i == 0) || (keyed && j == 0) ? "th" : "td"
                let cls = keyed || j == 0 ? " class=\"l\"" : ""
                s += "<\(tag)\(cls)>\(htmlEscape(cell))</\(tag)>"
            }
            s += "</tr>"
        }
        return s + "</table>"
    }

    static func utc(_ t: UInt64) -> String { utcText(t, format: "yyyy-MM-dd HH:mm:ss 'UTC'") }
}

/// The history view: a table of every entry for one serial, newest last.
public enum HistoryReport {
    public static func table(_ entries: [HistoryEntry]) -> String {
        var t = TextTable(["date (UTC)", "ID", "kind", "ch", "technician", "as-found % FS", "as-left % FS", "U", "result"])
        for e in entries {
            if let c = e.calibration {
                t.add([Certificate.utc(e.finishedAt), e.id, "calibration", "\(e.channel)", e.technician,
                       fmt(c.maxAsFoundErrorPercentFS, 3), fmt(c.maxAsLeftErrorPercentFS, 3),
                       fmt(c.expandedUncertainty, 3) + " " + c.unit, c.asFoundWithinTolerance ? "found in tol." : "found OUT"])
            } else if let v = e.verification {
                t.add([Certificate.utc(e.finishedAt), e.id, "verification", "\(e.channel)", e.technician,
                       fmt(v.maxErrorPercentFS, 3), "", fmt(v.budget.expandedUncertainty, 3) + " " + v.unit, v.passed ? "pass" : "FAIL"])
            }
        }
        return t.render()
    }
}
