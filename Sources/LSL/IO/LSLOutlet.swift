import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A Lab Streaming Layer outlet: announces one stream on the network (discovery, service and data ports) and sends
/// what is pushed to every inlet that connects, each through its own bounded queue.
///
/// `push` never blocks: it encodes the samples once (when someone listens) and hands them to the outlet's event
/// loop. Call it from one thread at a time (the stream's subscriber), so pushes keep their order.
public final class LSLOutlet: Sendable {
    /// The stream as announced: the given description plus uid, creation time, session, host and ports.
    public let info: LSLStreamInfo
    private let core: LSLOutletCore
    private let channels: [Channel]
    private let published: LSLPublishedInfo
    private let discovery: LSLDiscoveryKey
    /// 1/rate exactly as an inlet computes it from the XML text (0 for irregular streams).
    private let interval: Double
    private let tolerance: Double
    private let state = Mutex<(sequence: UInt64, closed: Bool)>((0, false))

    private init(info: LSLStreamInfo, core: LSLOutletCore, channels: [Channel], published: LSLPublishedInfo, discovery: LSLDiscoveryKey, tolerance: Double) {
        self.info = info
        self.core = core
        self.channels = channels
        self.published = published
        self.discovery = discovery
        self.tolerance = tolerance
        interval = info.nominalRate > 0 ? 1.0 / LSLNumberText.rateAsInletReadsIt(info.nominalRate) : 0
    }

    /// Opens the stream's ports and starts answering. `config` is normally `LSLConfig.load()`: the file a user
    /// set up for liblsl applies here too. Throws when the description is invalid or no port in the range is free.
    public static func open(
        _ description: LSLStreamInfo, config: LSLConfig, options: LSLOutletOptions = .init(),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, log: LSLLog = .standardError
    ) async throws(LSLError) -> LSLOutlet {
        try description.desc.validateNames()
        guard options.stampTolerance.isFinite, options.stampTolerance >= 0 else {
            throw .invalidStreamInfo("stamp tolerance \(options.stampTolerance) (needs a finite value ≥ 0)")
        }
        let loop = group.next()
        let core = LSLOutletCore(loop: loop, log: log, maxQueuedSamples: options.queueCapacity(nominalRate: description.nominalRate))
        let binder = LSLPortBinder(
            config: config, loop: loop, log: log,
            tcpHandler: { try $0.pipeline.syncOperations.addHandler(LSLDataPortHandler(core: core)) },
            udpHandler: { try $0.pipeline.syncOperations.addHandler(LSLServiceHandler(core: core)) })
        let bound = try await binder.bind()

        var info = description
        info.createdAt = LSLClock.now()
        info.uid = UUID().uuidString.lowercased()
        info.sessionID = config.sessionID
        info.hostname = hostName()
        (info.v4DataPort, info.v4ServicePort) = (bound.v4Port, bound.v4Port)
        (info.v6DataPort, info.v6ServicePort) = (bound.v6Port, bound.v6Port)
        let published = LSLPublishedInfo(info)
        loop.execute { core.publish(published) }
        let key = await LSLDiscoveryRegistry.shared.join(published, config: config, group: group, log: log)
        return LSLOutlet(info: info, core: core, channels: bound.channels, published: published, discovery: key, tolerance: options.stampTolerance)
    }

    /// Sends samples to every connected inlet. `values` holds `timestamps.count` samples, sample-major, in the
    /// stream's format; `timestamps` are each sample's time in seconds on `LSLClock` (CLOCK_MONOTONIC), from the
    /// device→host clock mapping, not the time of the push. `indices`, if given, are the samples' source indices:
    /// a jump marks a gap, and the sample after it carries its stamp. The first sample of every push carries its
    /// stamp too; within a run, a stamp is left for the inlet to deduce only when it would deduce it within
    /// `stampTolerance`.
    public func push(_ values: LSLSamples, timestamps: [Double], indices: [UInt64]? = nil) throws(LSLError) {
        guard values.format == info.channelFormat else {
            throw .invalidPush("\(values.format.rawValue) values for a \(info.channelFormat.rawValue) stream")
        }
        guard values.valueCount == timestamps.count * info.channelCount else {
            throw .invalidPush("\(values.valueCount) values for \(timestamps.count) timestamps of \(info.channelCount) channels")
        }
        if let indices, indices.count != timestamps.count {
            throw .invalidPush("\(indices.count) indices for \(timestamps.count) timestamps")
        }
        guard timestamps.allSatisfy(\.isFinite) else { throw .invalidPush("a timestamp is not finite") }
        let count = UInt64(timestamps.count)
        let first = try state.withLock { s throws(LSLError) -> UInt64 in
            guard !s.closed else { throw .closed }
            defer { s.sequence &+= count }
            return s.sequence
        }
        guard count > 0, core.streaming.load(ordering: .relaxed) > 0 else { return }
        let plan = LSLStampPlan(timestamps: timestamps, indices: indices, interval: interval, tolerance: tolerance)
        let chunk = LSLEncodedChunk(firstSequence: first, samples: values, channels: info.channelCount, plan: plan)
        core.submit(chunk)
    }

    /// Returns once every earlier push has been queued for every inlet (and its drops, if any, counted).
    public func waitForPushesQueued() async {
        try? await core.loop.submit {}.get()
    }

    /// Returns when at least one inlet is streaming (liblsl's wait_for_consumers); throws `.closed` if the outlet
    /// closes first.
    public func waitForConsumers() async throws(LSLError) {
        do {
            try await core.loop.flatSubmit { [core] in core.waitForConsumer() }.get()
        } catch {
            throw .closed
        }
    }

    /// Every inlet that asked for samples since the outlet opened (the 256 most recent closed ones at most).
    public var inlets: [LSLInletStatus] { core.inletStatuses }
    /// Whether at least one inlet is streaming now.
    public var hasConsumers: Bool { core.streaming.load(ordering: .relaxed) > 0 }

    /// Stops announcing, closes every port and feed, and returns when they are closed. Later pushes throw `.closed`.
    public func close() async {
        let wasOpen = state.withLock { s in
            defer { s.closed = true }
            return !s.closed
        }
        guard wasOpen else { return }
        await LSLDiscoveryRegistry.shared.leave(published, key: discovery)
        let feeds = (try? await core.loop.submit { [core] in core.shutDown() }.get()) ?? []
        for c in channels + feeds { try? await c.close() }
    }

    deinit {
        // An outlet dropped without close(): release its ports anyway, without waiting.
        guard state.withLock({ !$0.closed }) else { return }
        for c in channels { c.close(promise: nil) }
        let (published, key) = (published, discovery)
        Task { await LSLDiscoveryRegistry.shared.leave(published, key: key) }
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
