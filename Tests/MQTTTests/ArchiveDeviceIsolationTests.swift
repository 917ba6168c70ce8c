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
        let site = "lab14"
        let meta = try Self.meta(serial: "EDGE-A", site: site)
        let edgeA = try CannedHTTPServer(replies: [Self.rowsReply(Self.frames(10..<20, metaID: meta.id))], holdingFirst: true)
        let rig = try Rig(site: site)
        defer { rig.stop() }
        let heard = rig.heard

        // A: its recording is on the held server; sequence 1 (indices 10…19) never arrives.
        rig.publish(Self.opening(DeviceTopics(site: site, serial: "EDGE-A"), meta: meta, edge: edgeA))
        #expect(edgeA.waitForRequest(seconds: 60), "the archive never asked EDGE-A for its rows: \(heard.lines)")
        #expect(edgeA.received.contains("from=10&count=10"), "\(edgeA.received)")

        // B, while A's request is held: its whole run, through to its file closed.
        let metaB = try Self.meta(serial: "EDGE-B", site: site)
        let b = DeviceTopics(site: site, serial: "EDGE-B")
        rig.publish([
            (b.status, Array(#"{"state":"recording"}"#.utf8)), (b.meta, metaB.json),
            (b.data, Self.frames(0..<10, metaID: metaB.id, sequence: 0)), (b.data, Self.frames(10..<20, metaID: metaB.id, sequence: 1)),
            (b.status, Self.offline),
        ])
        #expect(waitFor { heard.closed("EDGE-B") != nil }, "EDGE-B's run never closed: \(heard.lines)")
        // …before A's back-fill got an answer or gave up (the old archive handled B only after A's request failed).
        #expect(!heard.lines.contains { $0.hasPrefix("EDGE-A: back-fill") || $0.hasPrefix("EDGE-A: back-filled") }, "\(heard.lines)")
        let closedB = try #require(heard.closed("EDGE-B"))
        #expect(closedB.samples == 20 && closedB.gaps == 0, "\(closedB)")

        edgeA.release()
        // Stopping waits for A's worker: its back-fill answered, its last message written, its file closed.
        rig.archiver.stop()
        let closedA = try #require(heard.closed("EDGE-A"), "\(heard.lines)")
        #expect(closedA.samples == 30 && closedA.backfilled == 10 && closedA.gaps == 0, "\(closedA) \(heard.lines)")
        #expect(try Self.indicesAndGaps(closedA.path) == "\(Array(0..<30)) 0")
        // The back-filled rows are the edge's: their raw counts as the server sent them.
        let raw = try Processes.Running(TestEnvironment.python, ["-c", Self.rawOfIndex, closedA.path, "15"]).finish()
        #expect(raw.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[15, -15]", "\(raw.stderr)")
    }

    /// Either bound holds: the device's own, or (with a device bound too large to matter) all devices' together.
    enum Bound: CaseIterable { case device, all }

    /// EDGE-A's back-fill is held while its messages keep coming, past its bound: its next large data message is
    /// dropped, and said to be, and its `offline` status (never dropped) still comes through. Released, the run
    /// closes with its end fetched from the edge, the dropped samples included: 140 rows, none lost.
    @Test(arguments: Bound.allCases) func aDeviceTooFarBehindDropsDataMessagesAndSaysSo(bound which: Bound) throws {
        let site = which == .device ? "lab15" : "lab16"
        let meta = try Self.meta(serial: "EDGE-A", site: site)
        let edgeA = try CannedHTTPServer(
            replies: [Self.rowsReply(Self.frames(10..<20, metaID: meta.id)), Self.rowsReply(Self.frames(40..<140, metaID: meta.id))],
            holdingFirst: true)
        let a = DeviceTopics(site: site, serial: "EDGE-A")
        let opening = Self.opening(a, meta: meta, edge: edgeA)
        // The bound: the opening fits whatever the archive has worked through yet. Once it waits on the back-fill,
        // only the message that revealed the gap is waiting: a next small one fits beside it, a large one not.
        let bound = opening.reduce(0) { $0 + $1.1.count }
        let small = Self.frames(30..<40, metaID: meta.id, sequence: 3), large = Self.frames(40..<140, metaID: meta.id, sequence: 4)
        try #require(2 * small.count <= bound && 2 * small.count + large.count > bound, "\(bound)")
        let rig = try Rig(site: site, deviceQueueBytes: which == .device ? bound : 1 << 30, queueBytes: which == .all ? bound : nil)
        defer { rig.stop() }
        let heard = rig.heard

        rig.publish(opening)
        #expect(edgeA.waitForRequest(seconds: 60), "the archive never asked EDGE-A for its rows: \(heard.lines)")
        rig.publish([(a.data, small), (a.data, large)])
        #expect(waitFor { heard.lines.contains { $0.hasPrefix("EDGE-A: the archive has fallen behind") } }, "\(heard.lines)")
        rig.publish([(a.status, Self.offline)])
        edgeA.release()

        #expect(waitFor { heard.closed("EDGE-A") != nil }, "EDGE-A's run never closed: \(heard.lines)")
        rig.archiver.stop()
        // Once when dropping begins; how many, when the next one gets in or (here) when the archive stops.
        #expect(heard.lines.filter { $0.contains("fallen") }.count == 1, "\(heard.lines)")
        #expect(heard.lines.contains("EDGE-A: 1 data message dropped while the archive was behind (1 in all)"), "\(heard.lines)")
        let closedA = try #require(heard.closed("EDGE-A"))
        #expect(closedA.samples == 140 && closedA.backfilled == 110 && closedA.gaps == 0, "\(closedA) \(heard.lines)")
        #expect(try Self.indicesAndGaps(closedA.path) == "\(Array(0..<140)) 0")
    }

    /// A stop waits for what each device has received, not for a request per gap: once the archive is stopping,
    /// a gap found in a message still waiting stays a `network` gap, and the edge is not asked for it. EDGE-A is
    /// held on its first back-fill with a message waiting behind it that reveals a second gap (a probe refused
    /// past the device's bound proves the message is in); the archive is stopped, and only then released.
    @Test func aStoppingArchiveFetchesNoMoreGaps() throws {
        let site = "lab17"
        let meta = try Self.meta(serial: "EDGE-A", site: site)
        // A second reply, so that a second request (the bug) would be answered and counted, not left hanging.
        let edgeA = try CannedHTTPServer(
            replies: [Self.rowsReply(Self.frames(10..<20, metaID: meta.id)), Self.rowsReply(Self.frames(30..<40, metaID: meta.id))],
            holdingFirst: true)
        let a = DeviceTopics(site: site, serial: "EDGE-A")
        let opening = Self.opening(a, meta: meta, edge: edgeA)
        let waiting = Self.frames(40..<140, metaID: meta.id, sequence: 4)
        // Held on its back-fill, the device holds the message that revealed the gap (the opening's last) and the
        // one waiting behind it, exactly its bound: a probe of one frame is refused. The opening fits whatever the
        // worker has taken.
        let bound = opening[opening.count - 1].1.count + waiting.count
        try #require(opening.reduce(0) { $0 + $1.1.count } <= bound, "\(bound)")
        let rig = try Rig(site: site, deviceQueueBytes: bound)
        defer { rig.stop() }
        let heard = rig.heard

        rig.publish(opening)
        #expect(edgeA.waitForRequest(seconds: 60), "the archive never asked EDGE-A for its rows: \(heard.lines)")
        rig.publish([(a.data, waiting), (a.data, Self.frames(140..<141, metaID: meta.id, sequence: 5))])
        #expect(waitFor { heard.lines.contains { $0.hasPrefix("EDGE-A: the archive has fallen behind") } }, "\(heard.lines)")

        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            rig.archiver.stop()
            stopped.signal()
        }
        // Said as the device is told to finish, after it is marked stopping: only now may the edge answer.
        #expect(waitFor { heard.lines.contains("EDGE-A: 1 data message dropped while the archive was behind (1 in all)") }, "\(heard.lines)")
        edgeA.release()
        #expect(stopped.wait(timeout: .now() + 120) == .success, "stop never returned: \(heard.lines)")

        #expect(edgeA.requestCount == 1, "\(edgeA.received) \(heard.lines)")
        let closedA = try #require(heard.closed("EDGE-A"), "\(heard.lines)")
        #expect(closedA.samples == 130 && closedA.backfilled == 10 && closedA.gaps == 1, "\(closedA) \(heard.lines)")
        #expect(try Self.indicesAndGaps(closedA.path) == "\(Array(0..<30) + Array(40..<140)) 1")
    }

    /// Data parked until its meta arrives is still in memory, so it still counts against the bound: two parked
    /// messages fill it and a third is refused. Stopped before any meta came, the archive says what it threw away.
    @Test func dataWaitingForItsMetaCountsAndIsAccountedForAtStop() throws {
        let site = "lab18"
        let meta = try Self.meta(serial: "EDGE-C", site: site)
        let c = DeviceTopics(site: site, serial: "EDGE-C")
        let parked = [Self.frames(0..<10, metaID: meta.id, sequence: 0), Self.frames(10..<20, metaID: meta.id, sequence: 1)]
        let rig = try Rig(site: site, deviceQueueBytes: parked[0].count + parked[1].count)
        defer { rig.stop() }
        let heard = rig.heard

        rig.publish(parked.map { (c.data, $0) } + [(c.data, Self.frames(20..<30, metaID: meta.id, sequence: 2))])
        #expect(waitFor { heard.lines.contains { $0.hasPrefix("EDGE-C: the archive has fallen behind") } }, "\(heard.lines)")
        rig.archiver.stop()
        #expect(heard.lines.contains("EDGE-C: 2 data messages (20 samples) discarded at stop: their meta never came"), "\(heard.lines)")
        #expect(heard.closed("EDGE-C") == nil, "no run opens without a meta: \(heard.lines)")
    }

    /// A broker, an archive of its `site` with an edge token (subscribed, what it says in `heard`), and the edges'
    /// one connection (connected: the test publishes their messages itself).
    final class Rig: Sendable {
        let broker: TestBroker
        let heard = Heard()
        let archiver: Archiver
        let edges: MQTTClient

        init(site: String, deviceQueueBytes: Int? = nil, queueBytes: Int? = nil) throws {
            broker = try TestBroker()
            var settings = Archiver.Settings(
                broker: BrokerURL(scheme: .mqtt, host: "127.0.0.1", port: broker.port, site: site), directory: scratchPath("\(site)-archive"))
            settings.site = site
            settings.edgeToken = "archive-secret"
            if let deviceQueueBytes { settings.deviceQueueBytes = deviceQueueBytes }
            if let queueBytes { settings.queueBytes = queueBytes }
            // The test releases the held request itself: no deadline may end it first, however loaded the machine.
            settings.backfillRequestSeconds = 600
            archiver = try Archiver(settings: settings, options: ArchiveDeviceIsolationTests.options("archive-\(site)"), hooks: heard.hooks)
            try archiver.start()
            edges = try MQTTClient(options: ArchiveDeviceIsolationTests.options("edges"))
            try edges.start(host: "127.0.0.1", port: broker.port)
            let (archiver, edges) = (archiver, edges)
            #expect(waitFor { archiver.counters.subscriptionsAcknowledged > 0 }, "\(archiver.counters)")
            #expect(waitFor { edges.counters.connected }, "\(edges.counters)")
        }

        /// Each message on its topic, in order, QoS 1.
        func publish(_ messages: [(topic: String, bytes: [UInt8])]) {
            for m in messages { edges.publish(topic: m.topic, bytes: m.bytes, qos: .atLeastOnce) }
        }

        func stop() {
            edges.stop()
            broker.stop()
        }
    }

    /// An edge recording on `edge` (the server its rows API is): its status, its meta, indices 0…9, then 20…29
    /// (sequence 2: the message with 10…19 never came).
    static func opening(
        _ topics: DeviceTopics, meta: (json: [UInt8], id: [UInt8]), edge: CannedHTTPServer
    ) -> [(topic: String, bytes: [UInt8])] {
        [
            (topics.status, Array(#"{"state":"recording","api":"http://127.0.0.1:\#(edge.port)","recording":"edge-A.h5"}"#.utf8)),
            (topics.meta, meta.json), (topics.data, frames(0..<10, metaID: meta.id, sequence: 0)),
            (topics.data, frames(20..<30, metaID: meta.id, sequence: 2)),
        ]
    }

    static let offline = Array(#"{"state":"offline"}"#.utf8)

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
        let last = (try? body.withUnsafeBytes { try DataMessage(decoding: $0) })?.indices.last ?? 0
        return Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nX-Mosquito-Closed: true\r\nX-Mosquito-Last-Index: \(last)\r\n\r\n".utf8) + body
    }

    /// The file's first device as h5py reads it: its indices and how many gaps it lists.
    static func indicesAndGaps(_ path: String) throws -> String {
        let read = try Processes.Running(TestEnvironment.python, ["-c", indicesAndGapsScript, path]).finish()
        return read.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + read.stderr
    }

    static let indicesAndGapsScript = """
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
