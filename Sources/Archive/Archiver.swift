import Foundation
import MQTT
import Publish
import Synchronization

/// `mosquito archive`: subscribes to every device of a site (or those named) and writes each device's run to
/// its own HDF5 file in `record`'s layout, under `<output>/<site>/<serial>-<UTC start>.h5`. A run ends when
/// its edge goes offline, its `meta_id` changes or a new stream starts (indices back to 0 in a newer message);
/// what never arrived is a `network` gap.
///
/// Its session on the broker is persistent (a client ID fixed by its configuration: the caller's, else one per
/// site), so an archive restarted within the broker's queue limits receives what was published while it was away.
///
/// Each device's messages are worked through on its own queue (``DeviceArchive``), in the order the broker
/// delivered them: one edge slow to answer a back-fill holds up only its own device, never the others or the
/// connection.
public final class Archiver: Sendable {
    public struct Closed: Sendable, Equatable {
        public var serial: String
        public var path: String
        public var samples: UInt64
        public var gaps: UInt64
        /// Samples of `samples` fetched from the edge's own file (back-fill), not received from the broker.
        public var backfilled: UInt64
    }

    /// A run's file opened: its path, and the index it starts from (a continuation after a restart starts late).
    public struct Opened: Sendable, Equatable {
        public var serial: String
        public var path: String
        public var startIndex: UInt64
    }

    /// What to collect and where to write it: the command line's choices, as one value (set what differs from
    /// the defaults, as with ``MQTTOptions``).
    public struct Settings: Sendable {
        public var broker: BrokerURL
        public var directory: String
        /// nil: every site (`+`).
        public var site: String?
        /// nil: every device of the site.
        public var devices: Set<String>?
        /// The secret edges accept on their rows API (`serve --archive-token-file`); nil: no back-fill.
        public var edgeToken: String?
        /// Recorded in each file's provenance.
        public var commandLine: [String] = []
        public var softwareVersion = ""
        /// Payload bytes of data messages one device may have waiting to be written (its back-fill or its disk
        /// slow); past it its data messages are dropped, said through `report`, and the indices they held are a
        /// jump that back-fill asks the edge for. Minutes of a fast device (10 kHz, 8 channels: 560 kB/s), far
        /// longer than a back-fill's deadlines.
        public var deviceQueueBytes = Settings.defaultDeviceQueueBytes
        /// Payload bytes of data messages all devices together may have waiting: the archive's memory bound (the
        /// broker no longer queues for it: each message is acknowledged once its device's worker has it). Past
        /// it, a device's data messages are dropped as past its own bound; a device with nothing waiting always
        /// gets its next message in.
        public var queueBytes = Settings.defaultQueueBytes
        /// How long one request to an edge's rows API may take before its back-fill gives up (the samples stay
        /// network gaps). A request only holds up its own device.
        public var backfillRequestSeconds = Settings.defaultBackfillRequestSeconds

        // The defaults by name, so `mosquito archive --help` states them from here rather than a copy.
        public static let defaultDeviceQueueBytes = 64 << 20
        public static let defaultQueueBytes = 256 << 20
        public static let defaultBackfillRequestSeconds: Double = 10

        public init(broker: BrokerURL, directory: String) {
            self.broker = broker
            self.directory = directory
        }
    }

    /// Who hears about what: `report` one line per notable thing (a refused message, a back-fill), `opened` each
    /// run's file as it opens, `closed` each finished run.
    public struct Hooks: Sendable {
        public var report: @Sendable (String) -> Void
        public var opened: @Sendable (Opened) -> Void = { _ in }
        public var closed: @Sendable (Closed) -> Void

        public init(
            report: @escaping @Sendable (String) -> Void, opened: @escaping @Sendable (Opened) -> Void = { _ in },
            closed: @escaping @Sendable (Closed) -> Void
        ) {
            self.report = report
            self.opened = opened
            self.closed = closed
        }
    }

    public let settings: Settings
    private let hooks: Hooks
    private let client: MQTTClient
    /// Each device's own worker, made on its first message. The lock is held only to find or add one, never
    /// while a device's work runs.
    private let workers = Mutex([String: DeviceArchive]())
    private let budget: QueueBudget

    public init(settings: Settings, options: MQTTOptions, hooks: Hooks) throws(MQTTError) {
        self.settings = settings
        budget = QueueBudget(limit: settings.queueBytes)
        self.hooks = hooks
        let box = ArchiverBox()
        var o = options
        if o.clientID.isEmpty { o.clientID = "mosquito-archive-\(settings.site ?? "all")" }
        o.persistentSession = true
        let pattern = "\(DeviceTopics.root)/\(settings.site ?? "+")/+/+"
        client = try MQTTClient(
            options: o,
            onConnect: { _ in try? box.client?.subscribe(pattern, qos: .atLeastOnce) },
            onMessage: { topic, payload, _ in box.archiver?.received(topic: topic, payload: payload) })
        box.client = client
        box.archiver = self
    }

    public func start() throws(MQTTError) { try client.start(host: settings.broker.host, port: settings.broker.port) }

    public var counters: MQTTClient.Counters { client.counters }

    /// Disconnects, lets every device write what it had received, then closes every open file (each is complete
    /// and readable).
    public func stop() {
        // Joins the network thread: nothing arrives after this.
        client.stop()
        let all = workers.withLock { w in
            defer { w.removeAll() }
            return Array(w.values)
        }
        let done = DispatchGroup()
        for worker in all { worker.finish(in: done) }
        done.wait()
    }

    /// On libmosquitto's network thread: names the message's device and hands it over, in arrival order.
    func received(topic: String, payload: UnsafeRawBufferPointer) {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard levels.count == 5, let kind = DeviceArchive.Kind(rawValue: String(levels[4])) else { return }
        let site = String(levels[2]), serial = String(levels[3])
        if let devices = settings.devices, !devices.contains(serial) { return }
        let worker = workers.withLock { w in
            if let known = w[serial] { return known }
            let made = DeviceArchive(serial: serial, settings: settings, hooks: hooks, budget: budget)
            w[serial] = made
            return made
        }
        worker.receive(kind, site: site, payload: payload)
    }

    /// Closes the runs whose edge said their recording is over and whose data has been quiet for `seconds`: an
    /// edge left idle after its recording sends nothing more that would end the run (and after an outage the
    /// last frames may only be in the edge's file). Call it now and then; each device closes its run after what
    /// it already has waiting (this returns at once).
    public func closeFinishedRuns(quietFor seconds: Double = 2) {
        for worker in workers.withLock({ Array($0.values) }) { worker.closeIfFinished(quietFor: seconds) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Data messages held per device until their meta arrives (about 25 s of one device's messages).
    static let maxPending = 256

    /// `<dir>/<site>/<serial>-<UTC start>.h5`, never an existing file (a second run starting within the same second
    /// is `…Z-2.h5`).
    static func runPath(directory: String, site: String, serial: String, start: Date = Date()) -> String {
        let folder = (directory as NSString).appendingPathComponent(site)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stem = "\(serial)-\(f.string(from: start))"
        var path = (folder as NSString).appendingPathComponent(stem + ".h5")
        var n = 2
        while FileManager.default.fileExists(atPath: path) {
            path = (folder as NSString).appendingPathComponent("\(stem)-\(n).h5")
            n += 1
        }
        return path
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex, let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex) {
            out.append(UInt8(hex[i..<j], radix: 16) ?? 0)
            i = j
        }
        return out
    }
}

/// Lets the client's callbacks reach the archiver and the client itself, both made after the callbacks.
final class ArchiverBox: @unchecked Sendable {
    // @unchecked Sendable: both are set once in `Archiver.init`, before the client starts and so before any
    // callback reads them; only read after that.
    weak var archiver: Archiver?
    weak var client: MQTTClient?
}
