import Foundation
import Publish
import Recording
import Synchronization

/// One device's share of the archive: its messages, in the order the broker delivered them, worked through on
/// its own serial queue. A device whose back-fill waits on its edge (seconds, up to the request's deadline) holds
/// up only itself: not the other devices, and not libmosquitto's network thread, which must go on answering the
/// broker (keepalive, acknowledgements) and delivering everyone else's messages.
///
/// What waits in the queue is bounded (`Settings.deviceQueueBytes`, and every device's together by
/// `Settings.queueBytes`, the archive's memory): a device that falls that far behind loses data
/// messages, counted and reported, never meta, status or events (small, rare, and what follows needs them).
/// A dropped message's samples are an index jump for the next one, which back-fill fetches from the edge.
final class DeviceArchive: @unchecked Sendable {
    // @unchecked Sendable: `device` is read and written only by blocks running on `queue` (serial); `intake` is a
    // Mutex; everything else is immutable.

    /// The topics of a device the archive reads.
    enum Kind: String {
        case meta, data, status, events
    }

    let serial: String
    private let settings: Archiver.Settings
    private let hooks: Archiver.Hooks
    private let queue: DispatchQueue
    private let budget: QueueBudget
    private let intake = Mutex(Intake())
    private var device = DeviceState()

    /// What the network thread and the queue share: how much is waiting, and what was refused.
    private struct Intake {
        var bytes = 0
        /// Data messages refused since the last one let in.
        var droppedInARow: UInt64 = 0
        var dropped: UInt64 = 0
        /// A `closeIfFinished` is waiting in the queue: the CLI asks every 50 ms, a busy device answers once.
        var finishCheckQueued = false
        /// The archive is stopping: no more back-fill.
        var stopping = false
    }

    init(serial: String, settings: Archiver.Settings, hooks: Archiver.Hooks, budget: QueueBudget) {
        self.serial = serial
        self.settings = settings
        self.hooks = hooks
        self.budget = budget
        // A serial queue of its own (libdispatch runs it on an overcommitting pool: a blocked device gets a thread
        // without starving the others).
        queue = DispatchQueue(label: "mosquito.archive.\(serial)")
    }

    private func report(_ line: String) { hooks.report(line) }

    /// Whether a message got into the queue, and the run of refused data messages that says something about.
    private enum Admission {
        /// Refused: this message is the `streak`-th data message refused in a row.
        case refused(streak: UInt64)
        /// Let in, ending a run of `endedStreak` refused ones (0: none); `total` refused since the start.
        case admitted(endedStreak: UInt64, total: UInt64)
    }

    /// Takes one message on the network thread: copies it into the queue and returns at once.
    func receive(_ kind: Kind, site: String, payload: UnsafeRawBufferPointer) {
        let size = payload.count
        let admission = intake.withLock { i -> Admission in
            // One message is always let in however large, as is every meta, status and event: the bounds hold
            // back data that piles up, not what is big or what the data after it needs.
            if kind != .data || i.bytes == 0 {
                budget.charge(size)
            } else if i.bytes + size > settings.deviceQueueBytes || !budget.take(size) {
                i.droppedInARow += 1
                i.dropped += 1
                return .refused(streak: i.droppedInARow)
            }
            i.bytes += size
            guard kind == .data else { return .admitted(endedStreak: 0, total: i.dropped) }
            defer { i.droppedInARow = 0 }
            return .admitted(endedStreak: i.droppedInARow, total: i.dropped)
        }
        switch admission {
        case .refused(let streak):
            if streak == 1 {
                report("\(serial): the archive has fallen behind (\(settings.deviceQueueBytes) bytes waiting on this device at most, \(budget.limit) on all): its data messages are dropped until it catches up; the samples they hold are back-filled from the edge or stay network gaps")
            }
            return
        case .admitted(let endedStreak, let total):
            if endedStreak > 0 { reportDropped(endedStreak, of: total) }
        }
        let bytes = [UInt8](payload)
        queue.async { [self] in
            // A data message parked until its meta arrives stays counted: it is still in memory.
            let parked = process(kind, site: site, payload: bytes)
            release(size - parked)
        }
    }

    /// Bytes no longer waiting: out of this device's count and the archive's.
    private func release(_ size: Int) {
        guard size > 0 else { return }
        intake.withLock { $0.bytes -= size }
        budget.give(size)
    }

    /// Closes the run if its edge said its recording is over and its data has been quiet for `seconds`, after
    /// whatever this device has waiting. Returns at once.
    func closeIfFinished(quietFor seconds: Double) {
        let alreadyQueued = intake.withLock { i in
            defer { i.finishCheckQueued = true }
            return i.finishCheckQueued
        }
        guard !alreadyQueued else { return }
        queue.async { [self] in
            intake.withLock { $0.finishCheckQueued = false }
            guard let run = device.run, run.edgeFinished, Date().timeIntervalSince(run.lastData) >= seconds else { return }
            device.run = nil
            close(run)
        }
    }

    /// The archive stops: once everything already received is written, the open run is closed (complete and
    /// readable). `group` is left when that is done.
    func finish(in group: DispatchGroup) {
        let (unsaid, dropped) = intake.withLock { i in
            // From here on no gap is fetched from the edge: a stop waits for what this device has received, not for
            // a request per gap to an edge that may be slow or gone. Gaps found now stay `network` gaps in this
            // file (the edge's own recording still holds those samples).
            i.stopping = true
            defer { i.droppedInARow = 0 }
            return (i.droppedInARow, i.dropped)
        }
        if unsaid > 0 { reportDropped(unsaid, of: dropped) }
        queue.async(group: group) { [self] in
            if !device.pending.isEmpty {
                let samples = device.pending.reduce(0) { $0 + $1.message.indices.count }
                report("\(serial): \(device.pending.count) data messages (\(samples) samples) discarded at stop: their meta never came")
                release(device.pending.reduce(0) { $0 + $1.size })
                device.pending.removeAll()
            }
            guard let run = device.run else { return }
            device.run = nil
            // Its run goes on at the edge: the marker stays, and the next archive continues the file.
            close(run, finished: false)
        }
    }

    private func reportDropped(_ count: UInt64, of total: UInt64) {
        report("\(serial): \(count) data message\(count == 1 ? "" : "s") dropped while the archive was behind (\(total) in all)")
    }

    // MARK: On the queue

    /// Works one message through; returns the bytes of it still held (a data message parked until its meta).
    private func process(_ kind: Kind, site: String, payload: [UInt8]) -> Int {
        switch kind {
        case .meta:
            guard let meta = DeviceMeta.decode(Data(payload)), let id = meta.metaId else {
                report("\(serial): unreadable meta ignored")
                return 0
            }
            device.meta = (meta, Archiver.bytes(hex: id))
            let waiting = device.pending
            device.pending.removeAll()
            // Data that came before its meta (a persistent session's queue is delivered before the retained meta).
            // What is still not this meta's is parked again, still counted; the rest is released as written.
            var released = 0
            for parked in waiting where !data(parked.message, size: parked.size, site: site) { released += parked.size }
            release(released)
            return 0
        case .data:
            let decoded = payload.withUnsafeBytes { p in Result { () throws(DataMessage.DecodeError) in try DataMessage(decoding: p) } }
            switch decoded {
            case .success(let message): return data(message, size: payload.count, site: site) ? payload.count : 0
            case .failure(let error):
                report("\(serial): data message refused: \(error)")
                return 0
            }
        case .status:
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { return 0 }
            status(object)
            return 0
        case .events:
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { return 0 }
            let kind = object["event"] as? String ?? "event"
            let detail = String(decoding: payload, as: UTF8.self)
            try? device.run?.record(event: kind, detail: detail, hostTimeNs: (object["time_ns"] as? NSNumber)?.int64Value ?? 0)
            return 0
        }
    }

    private func status(_ object: [String: Any]) {
        let source = (object["api"] as? String).flatMap { api in
            (object["recording"] as? String).map { EdgeSource(api: api, recording: $0, serial: serial) }
        }
        device.source = source
        device.sawStatus = true
        if let run = device.run {
            // The edge no longer writes the recording this run is: the run is over once its last frames are in.
            if let mine = run.source, source != mine { run.edgeFinished = true }
            // A run opened by data that overtook its edge's "recording" status (they are separate topics) has no
            // source yet: the first status naming a recording gives it one, or the run could neither back-fill
            // nor ever learn that its recording ended.
            if run.awaitingStatus || (run.source == nil && source != nil) {
                run.awaitingStatus = false
                run.source = source
                run.sourceConfirmed = false
                run.marker.source = source
                run.marker.write(folder: (run.path as NSString).deletingLastPathComponent, serial: serial)
            }
        }
        guard object["state"] as? String == "offline", let run = device.run else { return }
        device.run = nil
        close(run)
    }

    /// Writes a data message of the current meta; parks one of a meta not seen yet (whether it did: it is then
    /// still in memory, `size` bytes of it).
    private func data(_ message: DataMessage, size: Int, site: String) -> Bool {
        guard let (meta, id) = device.meta, id == message.metaID else {
            guard device.pending.count < Archiver.maxPending else {
                report("\(serial): data for an unknown meta_id ignored (\(message.indices.count) samples)")
                return false
            }
            device.pending.append((message, size))
            return true
        }
        // The old run is closed (its end back-filled, its marker removed) before the new one opens and marks.
        if let run = device.run, run.metaID != id || run.isNewStream(message) {
            device.run = nil
            close(run)
        }
        if device.run == nil { device.run = open(meta: meta, id: id, site: site, first: message) }
        guard let run = device.run else { return false }
        do throws(RecordingError) {
            try run.append(message, fill: filler(for: run))
            try run.flushIfDue()
        } catch {
            report("\(serial): \(run.path): \(error)")
        }
        return false
    }

    /// The run's file: a continuation of the run an earlier archive left unfinished, else a new file; nil (and
    /// said) when it cannot be created.
    private func open(meta: DeviceMeta, id: [UInt8], site: String, first message: DataMessage) -> ArchivedRun? {
        let directory = settings.directory, broker = settings.broker
        let folder = (directory as NSString).appendingPathComponent(site)
        let hex = Archiver.hex(id)
        let resumed = RunMarker.read(folder: folder, serial: serial)
        let continuation = resumed?.continuation(metaID: hex, firstIncoming: message.indices.first ?? 0)
        // Named and dated by its first sample, not by when this archive got to it (a device's queue may wait on a
        // back-fill, a persistent session delivers late); by now when no host time is known yet (0: the edge's
        // clock mapping is still being made).
        let host = message.hostTimesNs.first { $0 > 0 }
        let start = host.map { Date(timeIntervalSince1970: Double($0) / 1e9) } ?? Date()
        let path = continuation?.path ?? Archiver.runPath(directory: directory, site: site, serial: serial, start: start)
        let run: ArchivedRun
        do throws(RecordingError) {
            run = try ArchivedRun(
                path: path, meta: meta, metaID: id, uri: "\(broker.scheme.rawValue)://\(broker.host):\(broker.port)/\(site)/\(serial)",
                commandLine: settings.commandLine, softwareVersion: settings.softwareVersion, startIndex: continuation?.startIndex ?? 0,
                startTime: start)
        } catch {
            report("\(serial): cannot create \(path): \(error)")
            return nil
        }
        run.source = (continuation != nil ? resumed?.source : nil) ?? device.source
        // A status received before the run's first data describes the run's own stream (an edge publishes it before
        // the stream's meta and data).
        run.sourceConfirmed = run.source != nil
        // Before any status (a persistent session's queue comes before the retained messages), the first status
        // to arrive says where this run's recording is.
        run.awaitingStatus = !device.sawStatus && run.source == nil
        run.marker = RunMarker(
            firstPath: continuation != nil ? resumed?.firstPath ?? path : path, path: path, part: continuation?.part ?? 1,
            metaID: hex, source: run.source)
        run.marker.write(folder: folder, serial: serial)
        hooks.opened(Archiver.Opened(serial: serial, path: path, startIndex: continuation?.startIndex ?? 0))
        return run
    }

    /// Back-fill for `run`'s gaps from its edge's file, when the edge said where and this archive has a token.
    /// A recording a status named only after the run began (``status(_:)``) may be the next stream's (that status
    /// arrives before the next stream's meta): its rows fill a gap only once it is seen to hold the frame that
    /// revealed the gap.
    private func filler(for run: ArchivedRun) -> ((Range<UInt64>, StreamAnchor) -> [DataMessage])? {
        guard let source = run.source, let token = settings.edgeToken, !intake.withLock(\.stopping) else { return nil }
        let report = hooks.report, serial = serial, timeout = settings.backfillRequestSeconds
        return { missing, revealing in
            do throws(EdgeRows.Failure) {
                if !run.sourceConfirmed {
                    try confirmSameStream(revealing, in: source, token: token, timeout: timeout)
                    run.sourceConfirmed = true
                }
                let rows = try backfill(missing, from: source, token: token, timeout: timeout)
                let n = rows.reduce(0) { $0 + $1.indices.count }
                report("\(serial): back-filled \(n) of \(missing.count) missing samples (\(missing.lowerBound)…\(missing.upperBound - 1)) from \(source.api)")
                return rows
            } catch {
                report("\(serial): back-fill of \(missing.lowerBound)…\(missing.upperBound - 1) from \(source.api) failed (\(error)); they stay network gaps")
                // That recording is not this run's: it is neither asked again nor its end awaited.
                if error.otherStream { Self.forget(source, of: run, serial: serial) }
                return []
            }
        }
    }

    /// The run's recording turned out to be another stream's: the run has none.
    private static func forget(_ source: EdgeSource, of run: ArchivedRun, serial: String) {
        guard run.source == source else { return }
        run.source = nil
        run.edgeFinished = false
        run.marker.source = nil
        run.marker.write(folder: (run.marker.path as NSString).deletingLastPathComponent, serial: serial)
    }

    /// `finished`: the run ended (its edge went offline or started a new stream), not the archive stopping: what
    /// the broker lost at its end comes from the edge, and its marker goes, so a later archive starts afresh
    /// rather than continuing it.
    private func close(_ run: ArchivedRun, finished: Bool = true) {
        if finished, let source = run.source, let token = settings.edgeToken, let last = run.lastRow {
            do throws(EdgeRows.Failure) {
                // Only the run's own stream may extend it: the recording a late status named may be the next one.
                if !run.sourceConfirmed { try confirmSameStream(last, in: source, token: token, timeout: settings.backfillRequestSeconds) }
                let before = run.samples
                for rows in try backfillTail(
                    from: run.nextIndex, of: source, token: token, timeout: settings.backfillRequestSeconds) { try? run.append(rows, backfilled: true) }
                if run.samples > before { report("\(serial): back-filled \(run.samples - before) samples at the end of the run from \(source.api)") }
            } catch {
                report("\(serial): back-fill of the run's end from \(source.api) failed (\(error))")
            }
        }
        do throws(RecordingError) { try run.close() } catch { report("\(serial): closing \(run.path): \(error)") }
        if finished { RunMarker.remove(folder: (run.marker.path as NSString).deletingLastPathComponent, serial: serial) }
        hooks.closed(
            Archiver.Closed(serial: serial, path: run.path, samples: run.samples, gaps: run.gapCount, backfilled: run.backfilled))
    }
}

/// What the archive knows of one device between its messages.
struct DeviceState {
    var meta: (DeviceMeta, [UInt8])?
    var run: ArchivedRun?
    /// Where the edge's current recording can be read back, from its latest `status`.
    var source: EdgeSource?
    var sawStatus = false
    /// Data messages whose meta has not come yet, with their payload sizes (still counted against the bounds).
    var pending: [(message: DataMessage, size: Int)] = []
}
