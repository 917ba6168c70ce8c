import Foundation
import MQTT
import Publish
import Recording
import Synchronization

/// `mosquito archive`: subscribes to every device of a site (or those named) and writes each device's run to
/// its own HDF5 file in `record`'s layout, under `<output>/<site>/<serial>-<UTC start>.h5`. A run ends when
/// its edge goes offline, its `meta_id` changes or a new stream starts (indices back to 0 in a newer message);
/// what never arrived is a `network` gap.
///
/// Its session on the broker is persistent (a client ID fixed by its configuration: the caller's, else one per
/// site), so an archive restarted within the broker's queue limits receives what was published while it was away.
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
    var broker: BrokerURL { settings.broker }
    var devices: Set<String>? { settings.devices }
    var directory: String { settings.directory }
    var edgeToken: String? { settings.edgeToken }
    private let hooks: Hooks
    private let client: MQTTClient
    private let state = Mutex(ArchiveState())

    public init(settings: Settings, options: MQTTOptions, hooks: Hooks) throws(MQTTError) {
        self.settings = settings
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

    private func report(_ line: String) { hooks.report(line) }

    public func start() throws(MQTTError) { try client.start(host: broker.host, port: broker.port) }

    public var counters: MQTTClient.Counters { client.counters }

    /// Disconnects, then closes every open file (each is complete and readable).
    public func stop() {
        client.stop()
        let runs = state.withLock { s in
            defer { s.devices.removeAll() }
            return s.devices.compactMap { serial, d in d.run.map { (serial, $0) } }
        }
        // Their runs go on at the edges: the markers stay, and the next archive continues each file.
        for (serial, run) in runs { close(run, serial: serial, finished: false) }
    }

    func received(topic: String, payload: UnsafeRawBufferPointer) {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard levels.count == 5 else { return }
        let siteName = String(levels[2]), serial = String(levels[3]), kind = String(levels[4])
        if let devices, !devices.contains(serial) { return }
        switch kind {
        case "meta":
            guard let meta = DeviceMeta.decode(Data(payload)), let id = meta.metaId else {
                report("\(serial): unreadable meta ignored")
                return
            }
            let waiting = state.withLock { s in
                s.devices[serial, default: DeviceState()].meta = (meta, Self.bytes(hex: id))
                defer { s.devices[serial]?.pending.removeAll() }
                return s.devices[serial]?.pending ?? []
            }
            // Data that came before its meta (a persistent session's queue is delivered before the retained meta).
            for message in waiting { data(message, site: siteName, serial: serial) }
        case "data":
            let message: DataMessage
            do throws(DataMessage.DecodeError) { message = try DataMessage(decoding: payload) } catch {
                report("\(serial): data message refused: \(error)")
                return
            }
            data(message, site: siteName, serial: serial)
        case "status":
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { return }
            let source = (object["api"] as? String).flatMap { api in
                (object["recording"] as? String).map { EdgeSource(api: api, recording: $0, serial: serial) }
            }
            state.withLock { s in
                s.devices[serial, default: DeviceState()].source = source
                s.devices[serial]?.sawStatus = true
                // The edge no longer writes the recording this run is: the run is over once its last frames are in.
                if let run = s.devices[serial]?.run, let mine = run.source, source != mine { run.edgeFinished = true }
                // A run opened by data that overtook its edge's "recording" status (they are separate topics) has
                // no source yet: the first status naming a recording gives it one, or the run could neither
                // back-fill nor ever learn that its recording ended.
                guard let run = s.devices[serial]?.run, run.awaitingStatus || (run.source == nil && source != nil) else { return }
                run.awaitingStatus = false
                run.source = source
                run.marker.source = source
                run.marker.write(folder: (run.path as NSString).deletingLastPathComponent, serial: serial)
            }
            guard object["state"] as? String == "offline" else { return }
            let run = state.withLock { s in
                defer { s.devices[serial]?.run = nil }
                return s.devices[serial]?.run
            }
            if let run { close(run, serial: serial) }
        case "events":
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { return }
            let kind = object["event"] as? String ?? "event"
            let detail = String(decoding: payload, as: UTF8.self)
            state.withLock { s in
                try? s.devices[serial]?.run?.record(event: kind, detail: detail, hostTimeNs: (object["time_ns"] as? NSNumber)?.int64Value ?? 0)
            }
        default:
            return
        }
    }

    private func data(_ message: DataMessage, site siteName: String, serial: String) {
        var closedOld: ArchivedRun?
        let outcome: String? = state.withLock { s in
            var d = s.devices[serial, default: DeviceState()]
            defer { s.devices[serial] = d }
            guard let (meta, id) = d.meta, id == message.metaID else {
                guard d.pending.count < Self.maxPending else {
                    return "\(serial): data for an unknown meta_id ignored (\(message.indices.count) samples)"
                }
                d.pending.append(message)
                return nil
            }
            if let run = d.run, run.metaID != id || run.isNewStream(message) {
                closedOld = run
                d.run = nil
            }
            if d.run == nil {
                let folder = (directory as NSString).appendingPathComponent(siteName)
                let hex = Self.hex(id)
                let resumed = RunMarker.read(folder: folder, serial: serial)
                let continuation = resumed?.continuation(metaID: hex, firstIncoming: message.indices.first ?? 0)
                let path = continuation?.path ?? Self.runPath(directory: directory, site: siteName, serial: serial)
                do throws(RecordingError) {
                    d.run = try ArchivedRun(
                        path: path, meta: meta, metaID: id, uri: "\(broker.scheme.rawValue)://\(broker.host):\(broker.port)/\(siteName)/\(serial)",
                        commandLine: settings.commandLine, softwareVersion: settings.softwareVersion, startIndex: continuation?.startIndex ?? 0)
                } catch {
                    return "\(serial): cannot create \(path): \(error)"
                }
                d.run?.source = (continuation != nil ? resumed?.source : nil) ?? d.source
                // Before any status (a persistent session's queue comes before the retained messages), the first
                // status to arrive says where this run's recording is.
                d.run?.awaitingStatus = !d.sawStatus && d.run?.source == nil
                d.run?.marker = RunMarker(
                    firstPath: continuation != nil ? resumed?.firstPath ?? path : path, path: path, part: continuation?.part ?? 1,
                    metaID: hex, source: d.run?.source)
                d.run?.marker.write(folder: folder, serial: serial)
                hooks.opened(Opened(serial: serial, path: path, startIndex: continuation?.startIndex ?? 0))
            }
            do throws(RecordingError) {
                try d.run?.append(message, fill: d.run.flatMap { filler(for: $0, serial: serial) })
                try d.run?.flushIfDue()
            } catch {
                return "\(serial): \(d.run?.path ?? ""): \(error)"
            }
            return nil
        }
        if let closedOld { close(closedOld, serial: serial) }
        if let outcome { report(outcome) }
    }

    /// Closes the runs whose edge said their recording is over and whose data has been quiet for `seconds`: an
    /// edge left idle after its recording sends nothing more that would end the run (and after an outage the
    /// last frames may only be in the edge's file). Call it now and then.
    public func closeFinishedRuns(quietFor seconds: Double = 2) {
        let now = Date()
        let done = state.withLock { s -> [(String, ArchivedRun)] in
            let finished = s.devices.compactMap { serial, d in
                d.run.flatMap { $0.edgeFinished && now.timeIntervalSince($0.lastData) >= seconds ? (serial, $0) : nil }
            }
            for (serial, _) in finished { s.devices[serial]?.run = nil }
            return finished
        }
        for (serial, run) in done { close(run, serial: serial) }
    }

    /// Back-fill for `run`'s gaps from its edge's file, when the edge said where and this archive has a token.
    private func filler(for run: ArchivedRun, serial: String) -> ((Range<UInt64>) -> [DataMessage])? {
        guard let source = run.source, let token = edgeToken else { return nil }
        let report = hooks.report
        return { missing in
            do throws(EdgeRows.Failure) {
                let rows = try backfill(missing, from: source, token: token)
                let n = rows.reduce(0) { $0 + $1.indices.count }
                report("\(serial): back-filled \(n) of \(missing.count) missing samples (\(missing.lowerBound)…\(missing.upperBound - 1)) from \(source.api)")
                return rows
            } catch {
                report("\(serial): back-fill of \(missing.lowerBound)…\(missing.upperBound - 1) from \(source.api) failed (\(error)); they stay network gaps")
                return []
            }
        }
    }

    /// `finished`: the run ended (its edge went offline or started a new stream), not the archive stopping: what
    /// the broker lost at its end comes from the edge, and its marker goes, so a later archive starts afresh
    /// rather than continuing it.
    private func close(_ run: ArchivedRun, serial: String, finished: Bool = true) {
        if finished, let source = run.source, let token = edgeToken {
            do throws(EdgeRows.Failure) {
                let before = run.samples
                for rows in try backfillTail(from: run.nextIndex, of: source, token: token) { try? run.append(rows, backfilled: true) }
                if run.samples > before { report("\(serial): back-filled \(run.samples - before) samples at the end of the run from \(source.api)") }
            } catch {
                report("\(serial): back-fill of the run's end from \(source.api) failed (\(error))")
            }
        }
        do throws(RecordingError) { try run.close() } catch { report("\(serial): closing \(run.path): \(error)") }
        if finished { RunMarker.remove(folder: (run.marker.path as NSString).deletingLastPathComponent, serial: serial) }
        hooks.closed(Closed(serial: serial, path: run.path, samples: run.samples, gaps: run.gapCount, backfilled: run.backfilled))
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Data messages held per device until their meta arrives (about 25 s of one device's messages).
    static let maxPending = 256

    /// `<dir>/<site>/<serial>-<UTC start>.h5`, never an existing file.
    static func runPath(directory: String, site: String, serial: String) -> String {
        let folder = (directory as NSString).appendingPathComponent(site)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stem = "\(serial)-\(f.string(from: Date()))"
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

struct ArchiveState: @unchecked Sendable {
    var devices: [String: DeviceState] = [:]
}

struct DeviceState {
    var meta: (DeviceMeta, [UInt8])?
    var run: ArchivedRun?
    /// Where the edge's current recording can be read back, from its latest `status`.
    var source: EdgeSource?
    var sawStatus = false
    var pending: [DataMessage] = []
}

/// Lets the client's callbacks reach the archiver and the client itself, both made after the callbacks.
final class ArchiverBox: @unchecked Sendable {
    weak var archiver: Archiver?
    weak var client: MQTTClient?
}
