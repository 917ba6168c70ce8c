import NIOCore
import Synchronization

/// What an outlet's sockets share. Every mutable field below is touched only on `loop`, the one event loop all of
/// the outlet's channels run on (that is the invariant that makes `@unchecked Sendable` sound); what other threads
/// read — whether anyone listens, the inlets' counts — sits behind its own atomic or mutex.
final class LSLOutletCore: @unchecked Sendable {
    let loop: EventLoop
    let log: LSLLog
    let maxQueuedSamples: Int
    /// Inlets currently streaming; a push with none encodes nothing.
    let streaming = Atomic<Int>(0)
    private let statuses = Mutex<[LSLInletStatus]>([])
    /// Pushes not yet handed to the inlets' queues, bounded like them (see `submit`).
    private let pending = Mutex(LSLPendingPushes())
    /// Closed inlets kept for reading back, at most this many (the oldest go first).
    private static let closedKept = 256

    private(set) var published: LSLPublishedInfo?
    private var sessions: [Int: LSLFeedSession] = [:]
    /// Every open data-port connection, feeding or not, so closing the outlet closes them all.
    private var connections: [ObjectIdentifier: Channel] = [:]
    private var nextSessionID = 1
    private(set) var closing = false
    /// Waiting for the next inlet to start streaming.
    private var consumerWaiters: [EventLoopPromise<Void>] = []

    init(loop: EventLoop, log: LSLLog, maxQueuedSamples: Int) {
        self.loop = loop
        self.log = log
        self.maxQueuedSamples = maxQueuedSamples
    }

    /// Starts answering requests: until the ports are known the info is incomplete, and requests are ignored.
    func publish(_ info: LSLPublishedInfo) {
        loop.preconditionInEventLoop()
        published = info
    }

    /// Tracks a new data-port connection; false once the outlet is closing (the caller closes it).
    func connected(_ channel: Channel) -> Bool {
        loop.preconditionInEventLoop()
        guard !closing else { return false }
        connections[ObjectIdentifier(channel)] = channel
        return true
    }

    func disconnected(_ channel: Channel) {
        loop.preconditionInEventLoop()
        connections[ObjectIdentifier(channel)] = nil
    }

    /// Registers an inlet that asked for samples; it gets every push from now on.
    func startFeed(channel: Channel, hostname: String, requestedBuffer: Int) -> LSLFeedSession? {
        loop.preconditionInEventLoop()
        guard !closing else { return nil }
        let id = nextSessionID
        nextSessionID += 1
        let capacity = max(1, min(requestedBuffer, maxQueuedSamples))
        let session = LSLFeedSession(id: id, channel: channel, capacity: capacity)
        sessions[id] = session
        streaming.add(1, ordering: .relaxed)
        let peer = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        statuses.withLock { $0.append(LSLInletStatus(id: id, peer: peer, hostname: hostname, capacity: capacity)) }
        for w in consumerWaiters { w.succeed() }
        consumerWaiters.removeAll()
        return session
    }

    func endFeed(_ session: LSLFeedSession) {
        loop.preconditionInEventLoop()
        guard sessions.removeValue(forKey: session.id) != nil else { return }
        streaming.subtract(1, ordering: .relaxed)
        record(session, connected: false)
        statuses.withLock { all in
            let closed = all.filter { !$0.connected }
            if closed.count > Self.closedKept, let oldest = closed.first { all.removeAll { $0.id == oldest.id } }
        }
    }

    /// Hands a push to the loop, from any thread, without waiting. Pushes accumulate here until the loop drains
    /// them (one drain scheduled at a time); if the loop falls behind by more than an inlet's queue could hold, the
    /// oldest pushes are dropped here and counted for every inlet, so memory stays bounded even then.
    func submit(_ chunk: LSLEncodedChunk) {
        let schedule = pending.withLock { $0.add(chunk, limit: maxQueuedSamples) }
        if schedule { loop.execute { self.drain() } }
    }

    /// Queues every pending push for every streaming inlet and writes what each socket will take.
    private func drain() {
        loop.preconditionInEventLoop()
        let (chunks, lost) = pending.withLock { $0.take() }
        for session in sessions.values {
            session.lost(lost)
            for chunk in chunks { session.enqueue(chunk) }
            session.flush()
            record(session, connected: true)
        }
    }

    func writable(_ session: LSLFeedSession) {
        session.flush()
        record(session, connected: sessions[session.id] != nil)
    }

    private func record(_ session: LSLFeedSession, connected: Bool) {
        let (sent, dropped, queued) = (session.sent, session.dropped, session.queued)
        statuses.withLock { all in
            guard let i = all.firstIndex(where: { $0.id == session.id }) else { return }
            all[i].samplesSent = sent
            all[i].samplesDropped = dropped
            all[i].samplesQueued = queued
            all[i].connected = connected
        }
    }

    var inletStatuses: [LSLInletStatus] { statuses.withLock { $0 } }

    /// Succeeds as soon as an inlet is streaming (at once if one is); fails when the outlet closes first.
    func waitForConsumer() -> EventLoopFuture<Void> {
        loop.preconditionInEventLoop()
        if !sessions.isEmpty { return loop.makeSucceededVoidFuture() }
        if closing { return loop.makeFailedFuture(LSLError.closed) }
        let p = loop.makePromise(of: Void.self)
        consumerWaiters.append(p)
        return p.futureResult
    }

    /// Stops taking connections and returns every open one, for the outlet to close.
    func shutDown() -> [Channel] {
        loop.preconditionInEventLoop()
        closing = true
        published = nil
        for w in consumerWaiters { w.fail(LSLError.closed) }
        consumerWaiters.removeAll()
        return Array(connections.values)
    }
}
