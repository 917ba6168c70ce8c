import Acquisition
import Device
import Foundation
import MQTT
import MosquitoModel
import Signal
import Synchronization

/// One device's stream on a broker: a newest-wins subscriber of its ``StreamOutlets`` that sends `data` about
/// every 100 ms, `summary` every second, `status`, `meta` and `events` when they change (docs/mqtt.md).
///
/// It runs on its own thread and its own connection (one Last Will per device). Nothing here can hold back
/// acquisition: the subscription's ring drops its own oldest frames if this thread falls behind, the client's
/// queue refuses messages when the broker is slow or gone, and both losses are counted and said in `events`.
public final class DevicePublisher: @unchecked Sendable {
    public struct Report: Sendable, Equatable {
        public var serial: String
        public var framesSent: UInt64
        public var framesDropped: UInt64
        public var client: MQTTClient.Counters
    }

    public let broker: BrokerURL
    public let serial: String
    /// Named in every `status` message.
    public let softwareVersion: String
    let topics: DeviceTopics
    let client: MQTTClient
    let subscription: StreamSubscription
    let outlets: StreamOutlets
    let dataQoS: QoS
    private var source: PublishedSource?
    private let stopFlag = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)
    private var thread: Thread?
    private let reportBox = Mutex<Report?>(nil)
    /// UTC minus monotonic at start: a mapped device time becomes a UTC host time, as in the recording.
    private let utcMinusMonotonicNs = UTCClock.nowNs() - Int64(MonotonicClock.nowNs())

    // Publisher thread only.
    private var encoder: DataMessageEncoder?
    private var sequence: UInt64 = 0
    /// Every stream the edge starts counts from index 0; a hub changing mode starts a new one (its indices go
    /// back), which is no gap.
    private var nextIndex: UInt64 = 0
    private var framesSent: UInt64 = 0
    private var framesDropped: UInt64 = 0
    var summary: SummaryAccumulator
    private var lastSummary = MonotonicClock.nowNs()
    /// The first and last sample index the summary being gathered covers.
    var summaryIndices: (first: UInt64, last: UInt64)?
    private var calibrations: [CalibrationPolynomial] = []
    var names: [String] = [], units: [String] = []
    private var shownMode = ""
    private var shownFile: String?
    private var shownAPI: String?
    private var seenConnections: UInt64 = 0

    /// Subscribes to `outlets` at once (so no frame after this is missed) and configures the connection;
    /// nothing is sent before ``start(_:)``. `options` carries credentials, TLS and protocol; its client ID and
    /// Will are set here.
    public init(
        broker: BrokerURL, serial: String, outlets: StreamOutlets, options: MQTTOptions, softwareVersion: String,
        dataQoS: QoS = .atLeastOnce
    ) throws(MQTTError) {
        self.broker = broker
        self.softwareVersion = softwareVersion
        self.serial = serial
        self.outlets = outlets
        self.dataQoS = dataQoS
        topics = DeviceTopics(site: broker.site, serial: serial)
        var o = options
        o.clientID = "mosquito-\(broker.site)-\(DeviceTopics.level(serial))-\(getpid())"
        o.will = MQTTOptions.Will(topic: topics.status, payload: Self.statusJSON(state: "offline", serial: serial, softwareVersion: softwareVersion, clean: false))
        client = try MQTTClient(options: o)
        summary = SummaryAccumulator(channels: outlets.channelCount)
        subscription = outlets.subscribe(capacity: 1 << 16)
    }

    /// Connects (in the background) and starts sending what the subscription receives.
    public func start(_ source: PublishedSource) throws(MQTTError) {
        self.source = source
        describe(source)
        try client.start(host: broker.host, port: broker.port)
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "mosquito-publish"
        thread.start()
        self.thread = thread
    }

    /// Sends what is left, marks the device offline (cleanly), waits up to `drainSeconds` for the broker to
    /// acknowledge, and disconnects. Idempotent.
    @discardableResult
    public func stop(drainSeconds: Double = 10) -> Report {
        if let r = reportBox.withLock({ $0 }) { return r }
        outlets.unsubscribe(subscription)
        if thread != nil {
            stopFlag.store(true, ordering: .releasing)
            wake.signal()
            done.wait()
        }
        client.publish(topic: topics.status, bytes: Self.statusJSON(state: "offline", serial: serial, softwareVersion: softwareVersion, clean: true), qos: .atLeastOnce, retain: true, control: true)
        client.stop(drainingFor: drainSeconds)
        let report = Report(serial: serial, framesSent: framesSent, framesDropped: framesDropped, client: client.counters)
        reportBox.withLock { $0 = report }
        return report
    }

    public var counters: MQTTClient.Counters { client.counters }

    private func run() {
        while true {
            let stopping = stopFlag.load(ordering: .acquiring)
            tick()
            if stopping {
                if let end = source?.endIndex(), end > nextIndex { upstreamGap(nextIndex..<end, besides: []) }
                sendSummary()
                return
            }
            _ = wake.wait(timeout: .now() + .milliseconds(100))
        }
    }

    /// One round: status and meta again after a (re)connection or a mode change, the data read since the last
    /// round, the events that explain it, the summary when a second has passed.
    private func tick() {
        guard let source else { return }
        let c = client.counters
        if c.connections != seenConnections {
            // Retained status and meta again on every (re)connection: a broker restarted without persistence
            // has forgotten them.
            announce(source)
            if seenConnections > 0 {
                event(["event": "reconnected", "connections": c.connections, "disconnections": c.disconnections])
            }
            seenConnections = c.connections
        }
        let mode = source.mode(), file = source.recordingFile(), api = source.api()
        if mode != shownMode || file != shownFile || api != shownAPI {
            if file != shownFile {
                if let old = shownFile { event(["event": "recording_stopped", "file": old]) }
                if let new = file { event(["event": "recording_started", "file": new]) }
            }
            shownMode = mode
            shownFile = file
            shownAPI = api
            // The frames of the stream before the change are still to be sent under the meta they were taken
            // with: the new meta (a new meta_id) starts with the new stream's first frame (``sendData``).
            metaIsStale = true
            announce(source)
        }
        sendData()
        let now = MonotonicClock.nowNs()
        if now - lastSummary >= 1_000_000_000 {
            lastSummary = now
            sendSummary()
        }
    }

    private func describe(_ source: PublishedSource) {
        let meta = source.describe(broker.site)
        let sealed = meta.sealed()
        metaJSON = sealed.json
        encoder = DataMessageEncoder(channelCount: outlets.channelCount, metaID: sealed.id)
        names = meta.channels.map(\.name)
        units = meta.channels.map(\.unit)
        calibrations = meta.polynomials
    }

    private var metaJSON: [UInt8] = []
    /// The owner changed mode or recording: describe the device afresh where the next stream begins.
    private var metaIsStale = false

    private func announce(_ source: PublishedSource) {
        let status = Self.statusJSON(
            state: source.mode(), serial: serial, softwareVersion: softwareVersion, clean: true, recording: source.recordingFile(),
            api: source.api())
        client.publish(topic: topics.status, bytes: status, qos: .atLeastOnce, retain: true, control: true)
        client.publish(topic: topics.meta, bytes: metaJSON, qos: .atLeastOnce, retain: true, control: true)
    }

    /// At most this many frames per message (about 1 MB at 32 channels), so one message never outgrows a
    /// broker's default limits even after a stall.
    private var framesPerMessage: Int { max(1, (1 << 20) / DataMessageEncoder.frameLength(channels: outlets.channelCount)) }

    private func sendData() {
        guard var encoder else { return }
        var batches: [(first: UInt64, count: UInt64)] = []
        var jumps: [Range<UInt64>] = []
        subscription.ring.read { spans in
            let times = spans.lastDeviceTimeNs.map { source?.clock.hostTimes(throughDeviceNs: $0) ?? .unknown } ?? .unknown
            spans.forEach { span in
                for k in 0..<span.count {
                    let index = span.indices[k]
                    // A new stream (indices back to 0) never shares a message with the one before it: consumers
                    // tell streams apart by a message's first index.
                    if index < nextIndex && encoder.frameCount > 0 { batches.append(flush(&encoder)) }
                    // A new stream (or the first) under a changed owner: its meta, then its frames.
                    if metaIsStale && (index < nextIndex || nextIndex == 0), let source {
                        describe(source)
                        client.publish(topic: topics.meta, bytes: metaJSON, qos: .atLeastOnce, retain: true, control: true)
                        metaIsStale = false
                        if let fresh = self.encoder { encoder = fresh }
                    }
                    if encoder.frameCount == 0 { encoder.begin(sequence: sequence) }
                    if index > nextIndex { jumps.append(nextIndex..<index) }
                    nextIndex = index &+ 1
                    let deviceNs = span.deviceTimesNs[k]
                    let host = times.hostTimeNs(deviceNs: deviceNs, utcMinusMonotonicNs: utcMinusMonotonicNs)
                    let raw = span.values(ofFrame: k)
                    encoder.append(index: index, deviceTimeNs: deviceNs, hostTimeNs: host, raw: raw)
                    summaryIndices = (summaryIndices?.first ?? index, index)
                    for c in 0..<raw.count { summary.add(channel: c, calibrations[c].value(raw: raw[c])) }
                    if encoder.frameCount >= framesPerMessage {
                        batches.append(flush(&encoder))
                    }
                }
            }
            return spans.count
        }
        if encoder.frameCount > 0 { batches.append(flush(&encoder)) }
        self.encoder = encoder
        var overruns: [Gap] = []
        while let gap = subscription.ring.popGap() {
            framesDropped += gap.count
            overruns.append(gap)
            event(["event": "gap", "cause": "publisher_overrun", "first_index": gap.firstMissingIndex, "count": gap.count])
        }
        for jump in jumps { upstreamGap(jump, besides: overruns) }
        for b in batches where b.count > 0 {
            event(["event": "gap", "cause": "publish_queue_full", "first_index": b.first, "count": b.count])
        }
    }

    /// Publishes the message in `encoder`; what the client refused comes back as a dropped range.
    private func flush(_ encoder: inout DataMessageEncoder) -> (first: UInt64, count: UInt64) {
        let n = UInt64(encoder.frameCount)
        let first = encoder.firstIndex
        let sent = encoder.bytes.withUnsafeBytes { client.publish(topic: topics.data, payload: $0, qos: dataQoS) }
        sequence += 1
        encoder.begin(sequence: sequence)
        if sent {
            framesSent += n
            return (first, 0)
        }
        framesDropped += n
        return (first, n)
    }
}
