import Archive
import Foundation
import MQTT
import Publish
import Synchronization
import Testing
import TestSupport

/// One edge slow to answer its back-fill holds up only its own device: the archive goes on receiving and writing
/// every other device meanwhile, and the slow edge's rows still arrive in its file once it answers.
@Suite(.serialized) struct ArchiveDeviceIsolationTests {
    /// EDGE-A's messages lose the indices 10…19 (a message the broker dropped), so the archive asks A's rows API,
    /// which accepts the request and holds it. Meanwhile EDGE-B's whole run (open, 20 samples, offline) is
    /// archived. Released, A's answer fills its gap: 30 rows, none a network gap.
    @Test func aHeldBackFillHoldsUpOnlyItsOwnDevice() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let site = "lab14"
        let meta = try Self.meta(serial: "EDGE-A", site: site)
        let edgeA = try CannedHTTPServer(bytes: Self.rowsReply(Self.frames(10..<20, metaID: meta.id)), held: true)
        let directory = scratchPath("isolation-archive")

        let heard = Heard()
        var settings = Archiver.Settings(broker: BrokerURL(scheme: .mqtt, host: "127.0.0.1", port: broker.port, site: site), directory: directory)
        settings.site = site
        settings.edgeToken = "archive-secret"
        let archiver = try Archiver(settings: settings, options: Self.options("isolation-archive"), hooks: heard.hooks)
        try archiver.start()
        #expect(waitFor { archiver.counters.subscriptionsAcknowledged > 0 }, "\(archiver.counters)")

        let edges = try MQTTClient(options: Self.options("isolation-edges"))
        try edges.start(host: "127.0.0.1", port: broker.port)
        defer { edges.stop() }
        #expect(waitFor { edges.counters.connected }, "\(edges.counters)")

        // A: its recording is on the held server; sequence 1 (indices 10…19) never arrives.
        let a = DeviceTopics(site: site, serial: "EDGE-A")
        edges.publish(topic: a.status, bytes: Array(#"{"state":"recording","api":"http://127.0.0.1:\#(edgeA.port)","recording":"edge-A.h5"}"#.utf8), qos: .atLeastOnce)
        edges.publish(topic: a.meta, bytes: meta.json, qos: .atLeastOnce)
        edges.publish(topic: a.data, bytes: Self.frames(0..<10, metaID: meta.id, sequence: 0), qos: .atLeastOnce)
        edges.publish(topic: a.data, bytes: Self.frames(20..<30, metaID: meta.id, sequence: 2), qos: .atLeastOnce)
        #expect(edgeA.waitForRequest(seconds: 60), "the archive never asked EDGE-A for its rows: \(heard.lines)")
        #expect(edgeA.received.contains("from=10&count=10"), "\(edgeA.received)")

        // B, while A's request is held: its whole run, through to its file closed.
        let metaB = try Self.meta(serial: "EDGE-B", site: site)
        let b = DeviceTopics(site: site, serial: "EDGE-B")
        edges.publish(topic: b.status, bytes: Array(#"{"state":"recording"}"#.utf8), qos: .atLeastOnce)
        edges.publish(topic: b.meta, bytes: metaB.json, qos: .atLeastOnce)
        edges.publish(topic: b.data, bytes: Self.frames(0..<10, metaID: metaB.id, sequence: 0), qos: .atLeastOnce)
        edges.publish(topic: b.data, bytes: Self.frames(10..<20, metaID: metaB.id, sequence: 1), qos: .atLeastOnce)
        edges.publish(topic: b.status, bytes: Array(#"{"state":"offline"}"#.utf8), qos: .atLeastOnce)
        #expect(waitFor { heard.closed("EDGE-B") != nil }, "EDGE-B's run never closed: \(heard.lines)")
        // …before A's back-fill got an answer or gave up (the old archive handled B only after A's request failed).
        #expect(!heard.lines.contains { $0.hasPrefix("EDGE-A: back-fill") || $0.hasPrefix("EDGE-A: back-filled") }, "\(heard.lines)")
        let closedB = try #require(heard.closed("EDGE-B"))
        #expect(closedB.samples == 20 && closedB.gaps == 0, "\(closedB)")

        edgeA.release()
        // Stopping waits for A's worker: its back-fill answered, its last message written, its file closed.
        archiver.stop()
        let closedA = try #require(heard.closed("EDGE-A"), "\(heard.lines)")
        #expect(closedA.samples == 30 && closedA.backfilled == 10 && closedA.gaps == 0, "\(closedA) \(heard.lines)")
        let rows = try Processes.Running(TestEnvironment.python, ["-c", Self.indicesAndGaps, closedA.path]).finish()
        #expect(rows.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(Array(0..<30)) 0", "\(rows.stderr)")
        // The back-filled rows are the edge's: their raw counts as the server sent them.
        let raw = try Processes.Running(TestEnvironment.python, ["-c", Self.rawOfIndex, closedA.path, "15"]).finish()
        #expect(raw.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[15, -15]", "\(raw.stderr)")
    }

    /// What the archive's hooks said, from whichever thread said it.
    final class Heard: Sendable {
        private let said = Mutex((lines: [String](), closed: [Archiver.Closed]()))

        var lines: [String] { said.withLock { $0.lines } }
        func closed(_ serial: String) -> Archiver.Closed? { said.withLock { $0.closed.first { $0.serial == serial } } }

        var hooks: Archiver.Hooks {
            Archiver.Hooks(
                report: { line in self.said.withLock { $0.lines.append(line) } },
                closed: { c in self.said.withLock { $0.closed.append(c) } })
        }
    }

    static func options(_ clientID: String) -> MQTTOptions {
        var o = MQTTOptions(clientID: clientID + "-\(getpid())")
        o.username = TestBroker.user
        o.password = TestBroker.password
        return o
    }

    /// A two-channel meta of `serial`, sealed: its JSON and its id.
    static func meta(serial: String, site: String) throws -> (json: [UInt8], id: [UInt8]) {
        var meta = try DeviceMetaTests.meta()
        meta.serial = serial
        meta.site = site
        return meta.sealed()
    }

    /// One data message holding `indices`, each frame's raw counts (i, -i).
    static func frames(_ indices: Range<UInt64>, metaID: [UInt8], sequence: UInt64 = 0) -> [UInt8] {
        var encoder = DataMessageEncoder(channelCount: 2, metaID: metaID)
        encoder.begin(sequence: sequence)
        for i in indices {
            [Int32(i), -Int32(i)].withUnsafeBufferPointer {
                encoder.append(index: i, deviceTimeNs: i * 1_000_000, hostTimeNs: 1_700_000_000_000_000_000 + Int64(i) * 1_000_000, raw: $0)
            }
        }
        return encoder.bytes
    }

    /// The rows API's answer for a finished recording (docs/mqtt.md "Back-fill").
    static func rowsReply(_ body: [UInt8]) -> [UInt8] {
        Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nX-Mosquito-Closed: true\r\nX-Mosquito-Last-Index: 29\r\n\r\n".utf8) + body
    }

    /// The file's first device: its indices and how many gaps it lists.
    static let indicesAndGaps = """
        import h5py, sys
        with h5py.File(sys.argv[1], "r") as f:
            d = next(iter(f["devices"].values()))
            print([int(i) for i in d["index"][()]], len(d["gaps/first_missing_index"][()]) if "gaps/first_missing_index" in d else 0)
        """

    /// The raw counts of the row holding index argv[2].
    static let rawOfIndex = """
        import h5py, sys
        with h5py.File(sys.argv[1], "r") as f:
            d = next(iter(f["devices"].values()))
            row = list(d["index"][()]).index(int(sys.argv[2]))
            print([int(r) for r in d["raw"][row]])
        """
}
