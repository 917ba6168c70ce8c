import Calibration
import Foundation
import MWP
import MosquitoModel
import Simulator
import Testing

@Suite struct CertificateAndReportTests {
    /// A real accepted calibration of a mildly non-linear simulated sensor, filed in a fresh history.
    func acceptedEntry() throws -> HistoryEntry {
        let bench = try Bench(sensor: Bench.sensor(quadratic: 0.8), serial: "MQ-CERT-7")
        defer { bench.close() }
        let (result, plan) = try bench.calibrate()
        let work = WorkContext(technician: "a.tech", authorizedBy: "q.manager", conditions: "23.0 °C, 40 %RH", startedAt: 1_800_000_000)
        return try acceptCalibration(
            result, plan: plan, identity: bench.identity, work: work, session: bench.session, history: temporaryHistory(),
            decisionRule: .guarded, now: 1_800_000_600)
    }

    @Test func certificateCarriesTheISO17025Elements() throws {
        let e = try acceptedEntry()
        let html = try Certificate.html(e, issuedAt: 1_800_001_000)
        // Unique ID in the repeating page header and footer (every printed page) and in the body.
        #expect(html.components(separatedBy: e.id).count - 1 >= 4)
        #expect(html.contains("class=\"page-header\"") && html.contains("class=\"page-footer\"") && html.contains("position: fixed"))
        // Identity of the item.
        for s in ["MQ-CERT-7", "MQ-FORCE", "Hardware revision", "<td class=\"l\">2</td>", "1.0.0", "force"] { #expect(html.contains(s), "\(s)") }
        // Method, dates, people, conditions.
        #expect(html.contains("Householder QR"))
        #expect(html.contains("2027-01-15 08:00:00 UTC to 2027-01-15 08:10:00 UTC"))
        #expect(html.contains("a.tech") && html.contains("q.manager") && html.contains("23.0 °C, 40 %RH"))
        // Reference standard and its uncertainty; results with units and U; as-found and as-left.
        #expect(html.contains("DWT-0042") && html.contains("0.01000 N (k=2)"))
        #expect(html.contains("Expanded measurement uncertainty U = "))
        #expect(html.contains("as-found (N)") && html.contains("as-left (N)"))
        #expect(html.contains("Uncertainty budget (GUM)") && html.contains("Fit residuals"))
        // The decision rule and the conformity statement.
        #expect(html.contains(DecisionRule.guarded.statement))
        #expect(html.contains("conforms"))
        // Fit plot: inline SVG with points, fitted curve and residuals; nothing external.
        #expect(html.contains("<svg") && html.contains("class='fitted-curve'"))
        #expect(html.components(separatedBy: "class='point'").count - 1 == e.calibration!.points.count)
        #expect(html.components(separatedBy: "class='residual'").count - 1 == e.calibration!.points.count)
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("<script"))
        // The stored coefficients, exactly as written.
        for c in e.written!.coefficients { #expect(html.contains("\(c)")) }
    }

    @Test func verificationsGetNoCertificate() throws {
        var e = try acceptedEntry()
        e.kind = .verification
        e.calibration = nil
        #expect(throws: CalibrationError.self) { try Certificate.html(e) }
    }

    @Test func escapesWhatTheTechnicianTyped() throws {
        var e = try acceptedEntry()
        e.conditions = "<script>alert(1)</script> & more"
        let html = try Certificate.html(e)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"))
    }

    @Test func driftChartAndHistoryTableShowEveryEntry() throws {
        let e = try acceptedEntry()
        var later = e
        later.id = "MQV-20270301-00000001"
        later.kind = .verification
        later.finishedAt += 86_400 * 45
        // A drifted unit: the stored transfer reads 0.5 % high at 100 N.
        let stored = e.written!
        let raw100 = (100.5 - stored.coefficients[0]) / stored.coefficients[1]
        later.verification = try VerificationResult.analyze(
            points: [CapturedPoint(reference: 100, pass: .ascending, meanRaw: raw100, stdRaw: 4, count: 100),
                     CapturedPoint(reference: 0, pass: .ascending, meanRaw: -stored.coefficients[0] / stored.coefficients[1], stdRaw: 4, count: 100)],
            channel: 0, descriptor: ChannelDescriptor(kind: .force, adcBits: 24, unit: "N", name: "force", rawMin: -8_388_608, rawMax: 8_388_607),
            stored: CalibrationRecord(channel: 0, degree: 1, coefficients: Array(stored.coefficients.prefix(2)), calibratedAt: 0, technician: "x"),
            reference: e.calibration!.reference, tolerance: .percentOfFullScale(0.1), rule: .simple)
        #expect(!later.verification!.passed)
        later.calibration = nil
        let svg = CalibrationCharts.driftChart([e, later], serial: "MQ-CERT-7")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("class='tolerance'") && svg.contains("class='series'"))
        #expect(svg.contains("2027-01-15") || svg.contains("2027-02"))
        let table = HistoryReport.table([e, later])
        #expect(table.contains(e.id) && table.contains("MQV-20270301-00000001") && table.contains("FAIL"))
    }

    @Test func stabilityNeedsASettledWindow() {
        var d = StabilityDetector(windowBlocks: 3, spreadFactor: 4)
        d.add(blockMean: 100, blockStd: 4, count: 100)
        d.add(blockMean: 100.2, blockStd: 4, count: 100)
        #expect(!d.isStable)  // window not full yet
        d.add(blockMean: 100.1, blockStd: 4, count: 100)
        #expect(d.isStable)  // spread 0.2 ≤ max(1, 4·0.4)
        d.add(blockMean: 140, blockStd: 4, count: 100)  // the load is still moving
        #expect(!d.isStable)
        d.reset()
        #expect(d.spread == nil && !d.isStable)
    }

    @Test func runningStatsMatchTheTextbook() {
        var s = RunningStats()
        for x in [4_000_000.0, 4_000_002, 4_000_004, 4_000_006] { s.add(x) }
        #expect(s.mean == 4_000_003)
        #expect(abs(s.standardDeviation - (20.0 / 3).squareRoot()) < 1e-9)
    }

    @Test func scriptStepsDeriveTheirPassAndMustMatchThePoints() throws {
        let json = #"{"format":"mosquito-calibration-script/1","steps":[{"reference":0},{"reference":50,"physical":50.01},{"reference":100},{"reference":50},{"reference":0,"pass":"descending"}]}"#
        let script = try CalibrationScript(parsing: Data(json.utf8), name: "s.json")
        let (points, steps) = try script.plannedSteps(points: [0, 50, 100], descending: true)
        #expect(points == [0, 50, 100])
        #expect(steps!.map(\.pass) == [.ascending, .ascending, .ascending, .descending, .descending])
        #expect(steps![1].physical == 50.01)
        #expect(throws: CalibrationError.self) { try script.plannedSteps(points: [0, 100], descending: true) }
        #expect(throws: CalibrationError.self) {
            try CalibrationScript(parsing: Data(#"{"format":"other/2"}"#.utf8), name: "x.json")
        }
        #expect(throws: CalibrationError.self) { try CalibrationScript(parsing: Data("{".utf8), name: "x.json") }
    }
}
