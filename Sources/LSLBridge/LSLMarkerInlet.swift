import Acquisition
import Foundation
import LSL
import Synchronization

/// `record --lsl-markers PREDICATE`: finds another program's LSL stream (any resolve predicate), reads its
/// samples and writes each into the recording's events, at its stamp moved onto this host's clock by time
/// correction, so a stimulus marker and the sensor response sit in one file on one clock. Keeps looking while no
/// stream matches (the recording goes on) and finds the stream again if its program restarts.
/// Unchecked: `thread…` fields belong to the inlet's thread; the rest is immutable, atomic or locked.
public final class LSLMarkerInlet: @unchecked Sendable {
    public let predicate: String
    private let config: LSLConfig
    /// Where each marker goes: (kind, detail, host monotonic ns).
    private let sink: @Sendable (String, String, UInt64) -> Void
    private let say: @Sendable (String) -> Void
    private let received = Atomic<Int>(0)
    private let worker = LSLWorkerThread()
    /// How long to look before saying that nothing matches (the search goes on).
    private let warnAfter: Double

    public init(
        predicate: String, config: LSLConfig, warnAfter: Double = 5,
        say: @escaping @Sendable (String) -> Void, sink: @escaping @Sendable (String, String, UInt64) -> Void
    ) {
        self.predicate = predicate
        self.config = config
        self.warnAfter = warnAfter
        self.say = say
        self.sink = sink
    }

    /// Markers written so far.
    public var count: Int { received.load(ordering: .relaxed) }

    public func start() { worker.start(name: "mosquito-lsl-markers") { self.run() } }

    /// Stops reading (what arrived is written) and returns when the thread has ended.
    public func stop() { worker.stop() }

    private var stopping: Bool { worker.stopping }

    private func run() {
        let query = "session_id='\(config.sessionID)' and (\(predicate))"
        let started = Date()
        var warned = false
        var said = 0
        while !stopping {
            guard let stream = LSLResolver.resolve(query: query, paths: LSLResolvePath.discovery(config), wait: 0.5, ttl: config.multicastTTL).first else {
                if !warned && Date().timeIntervalSince(started) >= warnAfter {
                    warned = true
                    say("no LSL stream matches \(predicate) yet; recording goes on and picks it up when it appears")
                }
                continue
            }
            let correction = LSLTimeCorrection.measure(host: stream.address, servicePort: stream.v4ServicePort)
            let offset = correction?.remoteMinusLocal ?? 0
            sink("lsl_markers_source", "name=\(stream.name) source_id=\(stream.sourceID) hostname=\(stream.hostname) uid=\(stream.uid) "
                + "time_correction_s=\(correction.map { String(format: "%.9f", $0.remoteMinusLocal) } ?? "unknown")", Self.nowNs())
            say("recording markers from \"\(stream.name)\" (source_id \(stream.sourceID), \(stream.hostname) \(stream.address))")
            do throws(LSLFeedError) {
                let inlet = try LSLInletConnection(stream)
                while !stopping {
                    guard let sample = try inlet.next(timeout: 0.2) else {
                        // A quiet moment: say how many arrived since the last time it was said.
                        let n = count
                        if n != said { said = n; say("\(n) markers recorded from \"\(stream.name)\"") }
                        continue
                    }
                    let local = sample.timestamp - offset
                    let now = LSLClock.now()
                    // A stamp that is not a time on this clock within a day is written at arrival instead.
                    let ns = local.isFinite && abs(local - now) < 86_400 ? UInt64(max(0, local) * 1e9) : Self.nowNs()
                    sink("lsl_marker", sample.values.count == 1 ? sample.values[0] : sample.values.joined(separator: "\t"), ns)
                    received.add(1, ordering: .relaxed)
                }
            } catch {
                say("markers: \(error.description); looking for the stream again")
            }
        }
    }

    private static func nowNs() -> UInt64 { UInt64(LSLClock.now() * 1e9) }
}
