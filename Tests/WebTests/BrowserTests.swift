import Foundation
import HummingbirdTesting
import Ledger
import Testing
@testable import Web

/// Debian's chromium, headless, against the live server. Without chromium this is skipped on a developer
/// machine and fails under CI (CI=… set): `apt-get install -y chromium`.
enum Browser {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// The DOM after the page's scripts ran for `milliseconds` of (virtual) time.
    static func dumpDOM(_ url: String, milliseconds: Int) async throws -> String {
        try await runOffPool(url, window: nil, milliseconds: milliseconds, ["--dump-dom"])
    }

    /// Runs headless chromium on `url` for `milliseconds` of virtual time (in a `window` of that size, or
    /// chromium's own), with `extra` arguments (`--dump-dom`, `--screenshot=…`); returns what it printed on stdout.
    /// Waited for on a Dispatch thread: the server it loads from answers on the cooperative pool, in this process,
    /// and a CI machine has two of its threads; with one blocked here and the other busy in a parallel suite, the
    /// page never loads.
    static func runOffPool(_ url: String, window: (width: Int, height: Int)?, milliseconds: Int, _ extra: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(url, window: window, milliseconds: milliseconds, extra) })
            }
        }
    }

    private static func runBlocking(_ url: String, window: (width: Int, height: Int)?, milliseconds: Int, _ extra: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(path, "chromium is not installed (apt-get install -y chromium)"))
        let profile = NSTemporaryDirectory() + "mosquito-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let windowed = window.map { ["--hide-scrollbars", "--window-size=\($0.width),\($0.height)"] } ?? []
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile)",
        ] + windowed + ["--virtual-time-budget=\(milliseconds)", "--run-all-compositor-stages-before-draw"] + extra + [url]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // A last guard only: a browser that never finishes is stopped, and the test then fails on what it lacks.
        let guardTimer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + ServeProcessTests.lastGuardSeconds, execute: guardTimer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guardTimer.cancel()
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite("real browser", .serialized, .enabled(if: Browser.path != nil || Browser.required))
struct BrowserTests {
    @Test("the live view shows the device serial and draws the plot; the unit page shows the demo totals")
    func liveViewAndUnitPage() async throws {
        _ = try #require(Browser.path, "chromium is missing and CI is set: apt-get install -y chromium")
        let f = try await WebFixture.make(streamRate: 1000, demoLedger: true)
        let ledger = try #require(f.server.ledger)
        let sale = try #require(try await ledger.store.sales(project: nil).first)
        let report = try await ledger.unitReport(sale.unit)
        try await f.server.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            // `localhost`, as the live test server binds it: on a stock Debian 12 (/etc/hosts names ::1 localhost
            // too) that may be ::1 alone, where 127.0.0.1 is refused.
            let live = try await Browser.dumpDOM("http://localhost:\(port)/", milliseconds: 4000)
            #expect(live.contains("MQ-WEB-1"), "serial shown")
            let columns = live.firstMatch(of: /data-drawn-columns="(\d+)"/).flatMap { Int($0.1) } ?? 0
            let frames = live.firstMatch(of: /data-frames="(\d+)"/).flatMap { Int($0.1) } ?? 0
            #expect(frames > 0, "samples reached the page")
            #expect(columns > 0, "the plot is not blank")

            let unit = try await Browser.dumpDOM("http://localhost:\(port)/ledger/unit/\(sale.unit)", milliseconds: 1000)
            #expect(unit.contains(sale.unit))
            // The demo sells each unit for 1250.00 CAD: shown in major units, not as 125000.
            #expect(unit.contains("<td class=\"price\">CAD 1,250.00</td>"), "price total shown")
            let distributed = try #require(report.sales.first?.distribution).lines.reduce(0) { $0 + $1.amount }
            #expect(unit.contains("<td class=\"distributed\">\(LedgerPages.money(distributed, sale.currency))</td>"))
        }
        await f.tearDown()
    }

    @Test("an edge trigger armed from the URL marks every rising crossing of a 50 Hz sine")
    func triggerMarksCrossings() async throws {
        _ = try #require(Browser.path, "chromium is missing and CI is set: apt-get install -y chromium")
        // ain3 is a 5 V sine at 50 Hz: at 1 kS/s it crosses 0 V upwards once every 20 samples.
        let f = try await WebFixture.make(
            devices: ["sim?channels=4&serial=MQ-WEB-T&seed=11&signal3=sine:5:50"], streamRate: 1000, demoLedger: false)
        try await f.server.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let page = try await Browser.dumpDOM("http://localhost:\(port)/?trigger=3:rising:0", milliseconds: 4000)
            let frames = page.firstMatch(of: /data-frames="(\d+)"/).flatMap { Int($0.1) } ?? 0
            let triggers = page.firstMatch(of: /data-triggers="(\d+)"/).flatMap { Int($0.1) } ?? -1
            // Under a loaded CI machine fewer frames arrive in the window; any 40 consecutive samples hold a full
            // period, so at least one rising crossing, and the count must track the frames whatever arrived.
            #expect(frames >= 40, "samples reached the page")
            #expect(triggers >= 1)
            #expect(abs(triggers - frames / 20) <= 2, "\(frames) frames should give about \(frames / 20) triggers, got \(triggers)")
        }
        await f.tearDown()
    }
}
