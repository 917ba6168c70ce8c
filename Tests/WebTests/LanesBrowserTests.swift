import Foundation
import HummingbirdTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing
@testable import Web

extension Browser {
    static func dom(_ url: String, width: Int = 1280, height: Int = 900, milliseconds: Int = 4000) async throws -> DumpedDOM {
        DumpedDOM(text: try await runOffPool(url, window: (width, height), milliseconds: milliseconds, ["--dump-dom"]))
    }

    /// A PNG of what `url` shows, kept under `.build/artifacts/web` for a reviewer; returns its path.
    @discardableResult
    static func screenshot(_ url: String, named name: String, width: Int = 1280, height: Int = 900, milliseconds: Int = 4000) async throws -> String {
        let file = Artifacts.folder + "/" + name
        try? FileManager.default.removeItem(atPath: file)
        _ = try await runOffPool(url, window: (width, height), milliseconds: milliseconds, ["--screenshot=\(file)"])
        #expect(FileManager.default.fileExists(atPath: file), "chromium wrote \(file)")
        print("screenshot: \(file)")
        return file
    }
}

/// What `--dump-dom` printed, with the few lookups these tests need.
struct DumpedDOM {
    let text: String

    /// The attributes of every element whose opening tag matches `tag` (e.g. `div class="lane"`), entities decoded.
    func elements(_ tag: String) -> [[String: String]] {
        var found: [[String: String]] = []
        var rest = text[...]
        while let start = rest.range(of: "<" + tag) {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            var attributes: [String: String] = [:]
            for m in rest[start.lowerBound..<end].matches(of: /([a-z0-9-]+)="([^"]*)"/) {
                attributes[String(m.1)] = Self.decode(String(m.2))
            }
            found.append(attributes)
            rest = rest[end...]
        }
        return found
    }

    /// The text inside every `<span class="…">` of that class.
    func spans(_ cls: String) -> [String] {
        text.matches(of: try! Regex("<span class=\"\(cls)\">([^<]*)</span>")).compactMap { $0.output[1].substring.map { Self.decode(String($0)) } }
    }

    static func decode(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Chromium drives the lanes: the recording view of a file with a known gap, its export link, and the live view.
@Suite("lanes in a real browser", .serialized, .enabled(if: Browser.path != nil || Browser.required))
struct LanesBrowserTests {
    struct Shaded: Decodable { var t0: Double; var t1: Double; var x0: Double; var x1: Double; var cause: String }

    static func shaded(_ root: [String: String]) throws -> [Shaded] {
        try JSONDecoder().decode([Shaded].self, from: Data((root["data-shaded"] ?? "[]").utf8))
    }

    @Test("a recording opens in lanes named and scaled in its channels' units, its gap shaded where it is")
    func recordingView() async throws {
        _ = try #require(Browser.path, "chromium is missing and CI is set: apt-get install -y chromium")
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        try KnownRecording.write(f.server.recordings.directory + "/known.h5")
        try await f.server.makeApplication().test(.live) { client in
            let url = "http://localhost:\(try #require(client.port))/recording/known.h5"
            let dom = try await Browser.dom(url)
            let lanes = dom.elements("div class=\"lane\"")
            #expect(lanes.map { $0["data-channel"] ?? "" } == ["force", "displacement", "temperature"])
            #expect(lanes.map { $0["data-unit"] ?? "" } == ["N", "um", "degC"])
            #expect(dom.spans("lane-name") == ["force", "displacement", "temperature"])
            #expect(dom.spans("lane-unit") == ["[N]", "[µm]", "[°C]"])
            for lane in lanes {
                // Each lane has its own value axis: tick labels within its own range.
                let ticks = (lane["data-ticks"] ?? "").split(separator: "|").compactMap { Double($0) }
                let lo = Double(lane["data-y-min"] ?? "") ?? .nan, hi = Double(lane["data-y-max"] ?? "") ?? .nan
                #expect(ticks.count >= 3, "\(lane)")
                #expect(ticks.allSatisfy { $0 >= lo && $0 <= hi }, "\(lane)")
            }
            let ranges = lanes.map { Double($0["data-y-max"] ?? "") ?? 0 }
            #expect(Set(ranges).count == 3, "every lane has its own range: \(ranges)")
            let root = try #require(dom.elements("div class=\"lanes").first)
            let timeTicks = (root["data-time-ticks"] ?? "").split(separator: "|").compactMap { Double($0) }
            #expect(timeTicks.first == 0 && timeTicks.count >= 3, "a time axis from the first sample: \(root)")
            #expect(Int(root["data-drawn-columns"] ?? "") ?? 0 > 100, "the traces are drawn")
            let shaded = try Self.shaded(root)
            let gap = try #require(shaded.first { $0.cause == "transport_gap" }, "\(shaded)")
            #expect(abs(gap.t0 - 1.0) < 1e-9 && abs(gap.t1 - 1.2) < 1e-9, "\(gap)")
            // On screen too: the gap at 1.0 s and the one ending the run at 3.0 s are as far apart as 2 s are wide.
            let crc = try #require(shaded.first { $0.cause == "crc_error" }, "\(shaded)")
            let pixelsPerSecond = (crc.x0 - gap.x0) / 2.0
            let t0 = Double(root["data-t0"] ?? "") ?? .nan
            #expect(abs((gap.x1 - gap.x0) - 0.2 * pixelsPerSecond) <= 2, "\(gap), \(pixelsPerSecond) px/s")
            #expect(abs(gap.x0 - (64 + (1.0 - t0) * pixelsPerSecond)) <= 2, "\(gap) starts at 1.0 s on the time axis")
            let listed = dom.elements("tr class=\"gap\"")
            #expect(listed.contains { $0["data-cause"] == "transport_gap" && $0["data-from"] == "1" && $0["data-to"] == "1.2" }, "\(listed)")
            // The side panel: identity, calibration and provenance from the file.
            #expect(dom.text.contains(">MQ-VIEW-1</a>"))
            #expect(dom.text.contains("by Ada"))
            #expect(dom.text.contains("MQC-TEST-1"))
            #expect(dom.text.contains("mosquito record --output known.h5"))
            try await Browser.screenshot(url, named: "recording.png")
            try await Browser.screenshot(url, named: "recording-phone.png", width: 390, height: 844)
        }
        await f.tearDown()
    }

    @Test("the page's 'export this range' link gives what `mosquito export --from --to` writes")
    func exportLink() async throws {
        _ = try #require(Browser.path, "chromium is missing and CI is set: apt-get install -y chromium")
        let f = try await WebFixture.make(streamRate: nil, demoLedger: false)
        let path = f.server.recordings.directory + "/known.h5"
        try KnownRecording.write(path)
        let command = try TokenRevocationProcessTests.mosquito(["export", path, "--from", "0.5", "--to", "1.5", "--output", f.folder + "/cli.csv"], in: f.folder)
        #expect(command.status == 0, "\(command.stderr)")
        try await f.server.makeApplication().test(.live) { client in
            let base = "http://localhost:\(try #require(client.port))"
            let dom = try await Browser.dom(base + "/recording/known.h5?from=0.5&to=1.5")
            let root = try #require(dom.elements("div class=\"lanes").first)
            #expect(root["data-t0"] == "0.500000" && root["data-t1"] == "1.500000", "\(root)")
            #expect(root["data-loaded"] == "0.5:1.5", "the window's points were loaded: \(root)")
            let link = try #require(dom.elements("a id=\"export-csv\"").first?["href"])
            #expect(link.contains("from=0.5") && link.contains("to=1.5"), "\(link)")
            let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: base + link)))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(data == (try Data(contentsOf: URL(fileURLWithPath: f.folder + "/cli.csv"))), "\(data.count) bytes")
        }
        await f.tearDown()
    }

    @Test("the live view: one lane per channel with its name, unit and axis; gaps shaded with their cause")
    func liveView() async throws {
        _ = try #require(Browser.path, "chromium is missing and CI is set: apt-get install -y chromium")
        // Every 25th frame dropped: transport gaps throughout the window.
        let f = try await WebFixture.make(devices: ["sim?channels=4&serial=MQ-WEB-L&seed=11&drop_every=25"], streamRate: 1000, demoLedger: false)
        try await f.server.makeApplication().test(.live) { client in
            let url = "http://localhost:\(try #require(client.port))/"
            let dom = try await Browser.dom(url)
            let lanes = dom.elements("div class=\"lane\"")
            #expect(lanes.map { $0["data-channel"] ?? "" } == ["force", "displacement", "temperature", "ain3"])
            #expect(dom.spans("lane-unit") == ["[N]", "[µm]", "[°C]", "[V]"])
            #expect(lanes.allSatisfy { ($0["data-ticks"] ?? "").split(separator: "|").count >= 3 }, "\(lanes)")
            let root = try #require(dom.elements("div class=\"lanes").first)
            #expect(Int(root["data-frames"] ?? "") ?? 0 > 0, "samples reached the page")
            #expect(Int(root["data-drawn-columns"] ?? "") ?? 0 > 0)
            #expect((root["data-time-ticks"] ?? "").split(separator: "|").count >= 3)
            var shaded = try Self.shaded(root)
            #expect(!shaded.isEmpty, "gaps are shaded: \(root)")
            // A gap is named by the first status poll after the page saw it. Chromium's polls run on its virtual
            // clock while samples come in real time, so one page load may end before that poll: load again (a
            // fresh page each time) until one did, a few loads being the last guard.
            var named = dom
            for _ in 0..<5 where !shaded.contains(where: { $0.cause == "transport_gap" }) {
                named = try await Browser.dom(url)
                shaded = try Self.shaded(try #require(named.elements("div class=\"lanes").first))
            }
            #expect(shaded.allSatisfy { ["transport_gap", "cause pending"].contains($0.cause) }, "\(shaded.map(\.cause))")
            #expect(shaded.contains { $0.cause == "transport_gap" }, "the server's counters named the cause: \(shaded.map(\.cause))")
            #expect(named.text.contains("transport_gap"), "the status line counts the loss by cause")
            // Chromium's virtual clock runs ahead of the samples, which come in real time: a short window fills.
            try await Browser.screenshot(url + "?window=0.2", named: "live.png")
        }
        await f.tearDown()
    }
}
