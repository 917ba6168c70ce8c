import Foundation

/// Escapes text for HTML and SVG content and attribute values.
public func htmlEscape(_ s: String) -> String {
    var out = ""
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}

/// A linear map from data to pixels with a little headroom, and "nice" tick values.
struct Axis {
    var lo: Double
    var hi: Double
    var pixelLo: Double
    var pixelHi: Double

    init(values: [Double], pixelLo: Double, pixelHi: Double, include: [Double] = []) {
        let all = values + include
        var lo = all.min() ?? 0
        var hi = all.max() ?? 1
        if hi == lo { lo -= 1; hi += 1 }
        let pad = (hi - lo) * 0.05
        self.lo = lo - pad
        self.hi = hi + pad
        self.pixelLo = pixelLo
        self.pixelHi = pixelHi
    }

    func px(_ v: Double) -> Double { pixelLo + (v - lo) / (hi - lo) * (pixelHi - pixelLo) }

    var ticks: [Double] {
        let raw = (hi - lo) / 5
        let p = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? raw
        var t = (lo / step).rounded(.up) * step
        var out: [Double] = []
        while t <= hi && out.count < 12 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }
}

func n1(_ x: Double) -> String { String(format: "%.1f", x) }

/// Frame, grid and tick labels for one panel.
func panel(x: Axis, y: Axis, xLabel: String, yLabel: String, xTick: (Double) -> String = { formatNumber($0, digits: 3) }) -> String {
    var s = "<rect x='\(n1(x.pixelLo))' y='\(n1(y.pixelHi))' width='\(n1(x.pixelHi - x.pixelLo))' height='\(n1(y.pixelLo - y.pixelHi))' fill='none' stroke='#444'/>"
    for t in x.ticks {
        s += "<line x1='\(n1(x.px(t)))' x2='\(n1(x.px(t)))' y1='\(n1(y.pixelHi))' y2='\(n1(y.pixelLo))' stroke='#ddd'/>"
        s += "<text x='\(n1(x.px(t)))' y='\(n1(y.pixelLo + 14))' font-size='10' text-anchor='middle'>\(htmlEscape(xTick(t)))</text>"
    }
    for t in y.ticks {
        s += "<line x1='\(n1(x.pixelLo))' x2='\(n1(x.pixelHi))' y1='\(n1(y.px(t)))' y2='\(n1(y.px(t)))' stroke='#ddd'/>"
        s += "<text x='\(n1(x.pixelLo - 4))' y='\(n1(y.px(t) + 3))' font-size='10' text-anchor='end'>\(htmlEscape(formatNumber(t, digits: 3)))</text>"
    }
    s += "<text x='\(n1((x.pixelLo + x.pixelHi) / 2))' y='\(n1(y.pixelLo + 28))' font-size='11' text-anchor='middle'>\(htmlEscape(xLabel))</text>"
    s += "<text transform='translate(\(n1(x.pixelLo - 52)),\(n1((y.pixelLo + y.pixelHi) / 2))) rotate(-90)' font-size='11' text-anchor='middle'>\(htmlEscape(yLabel))</text>"
    return s
}

public enum CalibrationCharts {
    /// The fit plot: captured points and the fitted curve (raw → physical) above, residuals with the ±U band below.
    public static func fitPlot(_ r: CalibrationResult) -> String {
        let raws = r.points.map(\.point.meanRaw)
        let refs = r.points.map(\.point.reference)
        let x = Axis(values: raws, pixelLo: 70, pixelHi: 620)
        let y = Axis(values: refs, pixelLo: 270, pixelHi: 20)
        let residuals = r.points.map(\.asLeftError)
        let u = r.expandedUncertainty
        let ry = Axis(values: residuals, pixelLo: 420, pixelHi: 320, include: [u, -u])
        var s = "<svg xmlns='http://www.w3.org/2000/svg' class='fit-plot' viewBox='0 0 640 460' width='640' height='460' font-family='sans-serif'>"
        s += "<title>Calibration fit: points, fitted curve, residuals</title>"
        s += panel(x: x, y: y, xLabel: "raw counts", yLabel: "reference (\(r.unit))")
        let lo = raws.min() ?? 0
        let hi = raws.max() ?? 1
        let curve = (0...100).map { i -> String in
            let rv = lo + (hi - lo) * Double(i) / 100
            return "\(n1(x.px(rv))),\(n1(y.px(r.polynomial.value(at: rv))))"
        }
        s += "<polyline class='fitted-curve' fill='none' stroke='#1f5fbf' stroke-width='1.5' points='\(curve.joined(separator: " "))'/>"
        for p in r.points {
            let shape = p.point.pass == .ascending ? "circle" : "rect"
            if shape == "circle" {
                s += "<circle class='point' cx='\(n1(x.px(p.point.meanRaw)))' cy='\(n1(y.px(p.point.reference)))' r='3.5' fill='#d04010'/>"
            } else {
                s += "<rect class='point' x='\(n1(x.px(p.point.meanRaw) - 3))' y='\(n1(y.px(p.point.reference) - 3))' width='6' height='6' fill='none' stroke='#d04010'/>"
            }
        }
        s += panel(x: x, y: ry, xLabel: "raw counts", yLabel: "residual (\(r.unit))")
        s += "<rect class='u-band' x='70' y='\(n1(ry.px(u)))' width='550' height='\(n1(ry.px(-u) - ry.px(u)))' fill='#1f5fbf' opacity='0.12'/>"
        s += "<line x1='70' x2='620' y1='\(n1(ry.px(0)))' y2='\(n1(ry.px(0)))' stroke='#1f5fbf'/>"
        for p in r.points {
            s += "<circle class='residual' cx='\(n1(x.px(p.point.meanRaw)))' cy='\(n1(ry.px(p.asLeftError)))' r='3' fill='#d04010'/>"
        }
        s += "<text x='330' y='312' font-size='10' text-anchor='middle'>residuals (as-left error); shaded band ±U (k=2); ● ascending, □ descending</text>"
        return s + "</svg>"
    }

    /// Drift trend per channel: as-found max error in % of full scale for every calibration and verification.
    public static func driftChart(_ entries: [HistoryEntry], serial: String) -> String {
        let points = entries.compactMap { e -> (t: Double, ch: UInt8, err: Double, kind: HistoryEntry.Kind, tol: Double?)? in
            if let c = e.calibration {
                let tol: Double? = { if case .percentOfFullScale(let p) = c.tolerance { p } else { nil } }()
                return (Double(e.finishedAt), e.channel, c.maxAsFoundErrorPercentFS, .calibration, tol)
            }
            if let v = e.verification {
                let tol: Double? = { if case .percentOfFullScale(let p) = v.tolerance { p } else { nil } }()
                return (Double(e.finishedAt), e.channel, v.maxErrorPercentFS, .verification, tol)
            }
            return nil
        }
        let tolerances = points.compactMap(\.tol)
        let x = Axis(values: points.map(\.t), pixelLo: 70, pixelHi: 600)
        let y = Axis(values: points.map(\.err), pixelLo: 300, pixelHi: 30, include: [0] + tolerances)
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        // Checks on one day need the time to tell them apart.
        f.dateFormat = (x.hi - x.lo) < 3 * 86_400 ? "MM-dd HH:mm" : "yyyy-MM-dd"
        var s = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 720 340' width='720' height='340' font-family='sans-serif'>"
        s += "<title>As-found drift of \(htmlEscape(serial))</title>"
        s += "<text x='335' y='18' font-size='13' text-anchor='middle'>\(htmlEscape(serial)): as-found max |error| per check (% of full scale)</text>"
        s += panel(x: x, y: y, xLabel: "date (UTC)", yLabel: "max |error| (% FS)") { f.string(from: Date(timeIntervalSince1970: $0)) }
        if let tol = tolerances.max() {
            s += "<line class='tolerance' x1='70' x2='600' y1='\(n1(y.px(tol)))' y2='\(n1(y.px(tol)))' stroke='#c00' stroke-dasharray='6 4'/>"
            s += "<text x='604' y='\(n1(y.px(tol) + 3))' font-size='10' fill='#c00'>tolerance</text>"
        }
        let colors = ["#1f5fbf", "#d04010", "#2a9d3a", "#8a3ab9", "#b08000", "#333333"]
        for (i, ch) in Set(points.map(\.ch)).sorted().enumerated() {
            let series = points.filter { $0.ch == ch }.sorted { $0.t < $1.t }
            let color = colors[i % colors.count]
            s += "<polyline class='series' fill='none' stroke='\(color)' points='\(series.map { "\(n1(x.px($0.t))),\(n1(y.px($0.err)))" }.joined(separator: " "))'/>"
            for p in series {
                s += p.kind == .calibration
                    ? "<rect x='\(n1(x.px(p.t) - 3.5))' y='\(n1(y.px(p.err) - 3.5))' width='7' height='7' fill='\(color)'/>"
                    : "<circle cx='\(n1(x.px(p.t)))' cy='\(n1(y.px(p.err)))' r='3.5' fill='\(color)'/>"
            }
            s += "<text x='612' y='\(50 + 14 * i)' font-size='10' fill='\(color)'>channel \(ch)</text>"
        }
        s += "<text x='612' y='\(n1(260))' font-size='9'>■ calibration</text><text x='612' y='274' font-size='9'>● verification</text>"
        return s + "</svg>"
    }
}
