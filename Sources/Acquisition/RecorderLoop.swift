import Foundation
import Recording
import Signal

/// The consumer side: drains each device's ring through its pipeline into the recording, with the gaps,
/// events and clock exchanges that explain it. Runs on its own thread until the streams are done.
/// Unchecked: the reusable batch arrays are touched by the recorder thread only; everything shared is a Mutex.
final class RecorderLoop: @unchecked Sendable {
    let streams: [DeviceStream]
    let sink: any RecordingSink
    /// UTC minus monotonic, fixed at start: host times in the file are UTC, intervals stay monotonic.
    let utcMinusMonotonicNs: Int64
    private let stopRequested = Mutex(false)
    /// Per device, read live by the status line: sample rows written (once a write failed, the rows the file
    /// went back to), samples lost to host overrun, and input frames that never made it into the file because a
    /// write failed.
    private let progress: Mutex<(written: [UInt64], hostOverrun: [UInt64], writeFailed: [UInt64])>
    /// Why the loop stopped writing, once it did: set by the recorder thread, read by the supervisor and the shells.
    private let failureBox = Mutex<RecordingError?>(nil)
    var failure: RecordingError? { failureBox.withLock { $0 } }
    private let done = DispatchSemaphore(value: 0)

    // Reused per batch so steady state allocates nothing new.
    private var index: [UInt64] = []
    private var deviceTimeUs: [UInt64] = []
    private var hostTimeNs: [Int64] = []
    private var raw: [Int32] = []
    private var values: [Double] = []

    // Recorder thread only (and `settle()`, once the thread is done). Per device: rows handed to the sink, input
    // frames taken from the ring, and how many of those frames the file held the last time it held every row
    // handed to it. A sink commits whole appends, so that is exact at each commit.
    private var appended: [UInt64]
    private var taken: [UInt64]
    private var takenWhenDurable: [UInt64]
    /// After a failed write the file takes nothing more: frames taken from then on are never durable, even when
    /// the failure came before any row was handed over since the last commit.
    private var stoppedWriting = false

    init(streams: [DeviceStream], sink: any RecordingSink, utcMinusMonotonicNs: Int64) {
        self.streams = streams
        self.sink = sink
        self.utcMinusMonotonicNs = utcMinusMonotonicNs
        let zeros = [UInt64](repeating: 0, count: streams.count)
        progress = Mutex((zeros, zeros, zeros))
        appended = zeros
        taken = zeros
        takenWhenDurable = zeros
    }

    var written: [UInt64] { progress.withLock { $0.written } }
    var hostOverrun: [UInt64] { progress.withLock { $0.hostOverrun } }
    var writeFailed: [UInt64] { progress.withLock { $0.writeFailed } }

    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "mosquito-recorder"
        thread.start()
    }

    /// Asks the loop to write what is left and return.
    func stop() { stopRequested.withLock { $0 = true } }

    func wait() { done.wait() }

    private func run() {
        do throws(RecordingError) {
            while true {
                let stopping = stopRequested.withLock { $0 }
                var moved = 0
                for (d, stream) in streams.enumerated() { moved += try drain(stream, device: d) }
                try sink.flushIfDue(now: .now)
                noteDurable()
                if moved == 0 {
                    if stopping { return }
                    usleep(2000)
                }
            }
        } catch {
            failureBox.withLock { $0 = error }
        }
        // Not a moment of durability: the frames of the span whose write failed are taken, its rows not handed over.
        stoppedWriting = true
        settle()
        discardUntilStopped()
    }

    /// Once the file took its last write, the devices still send until the run stops them: their frames are
    /// taken and counted as lost to the failed write, so none waits in a ring or overflows it as host overrun.
    private func discardUntilStopped() {
        while true {
            let stopping = stopRequested.withLock { $0 }
            var moved = 0
            for (d, s) in streams.enumerated() {
                _ = s.ingest.takeReports()
                _ = s.clock.takeExchanges()
                while let gap = s.ring.popGap() { progress.withLock { $0.hostOverrun[d] += gap.count } }
                let consumed = s.ring.read { spans in
                    var count = 0
                    spans.forEach { count += $0.count }
                    return count
                }
                taken[d] += UInt64(consumed)
                moved += consumed
            }
            if moved > 0 { settle() }
            if moved == 0 {
                if stopping { return }
                usleep(2000)
            }
        }
    }

    /// While every row handed to the sink is in the file, so are the frames taken so far.
    private func noteDurable() {
        guard !stoppedWriting else { return }
        for d in streams.indices where sink.durableSampleCount(device: d) == appended[d] { takenWhenDurable[d] = taken[d] }
    }

    /// Makes `written` the rows in the file and `writeFailed` the frames taken that are not. Called by the recorder
    /// thread after a failure, and by the run once the thread is done and the sink closed (a close writes too).
    func settle() {
        noteDurable()
        let durable = streams.indices.map { sink.durableSampleCount(device: $0) }
        let lost = streams.indices.map { taken[$0] - takenWhenDurable[$0] }
        progress.withLock {
            $0.written = durable
            $0.writeFailed = lost
        }
    }

    /// Writes everything published so far for one device; returns how many input frames it took.
    private func drain(_ s: DeviceStream, device d: Int) throws(RecordingError) -> Int {
        let reports = s.ingest.takeReports()
        for gap in reports.gaps { try sink.record(gap, device: d) }
        while let gap = s.ring.popGap() {
            progress.withLock { $0.hostOverrun[d] += gap.count }
            try sink.record(gap, device: d)
        }
        let nowNs = Int64(MonotonicClock.nowNs()) + utcMinusMonotonicNs
        for e in reports.events {
            let shifted = e.hostMonotonicNs.map { Int64(clamping: $0).addingReportingOverflow(utcMinusMonotonicNs) }
            let at = shifted.flatMap { $0.overflow ? nil : $0.partialValue } ?? nowNs
            try sink.record(RecordingEvent(sampleIndex: e.afterIndex, hostTimeNs: at, kind: e.kind, detail: e.detail), device: d)
        }
        for p in s.clock.takeExchanges() {
            try sink.record(p.shifted(byNs: utcMinusMonotonicNs), device: d)
        }
        var failure: RecordingError?
        let consumed = s.ring.read { spans in
            let times = spans.lastDeviceTimeNs.map { s.clock.hostTimes(throughDeviceNs: $0) } ?? .unknown
            var taken = 0
            spans.forEach { span in
                guard failure == nil else { return }
                self.taken[d] += UInt64(span.count)
                do throws(RecordingError) { try write(span, of: s, device: d, times: times) } catch { failure = error }
                taken += span.count
            }
            return taken
        }
        if let failure { throw failure }
        return consumed
    }

    private func write(_ span: FrameSpan, of s: DeviceStream, device d: Int, times: HostTimes) throws(RecordingError) {
        index.removeAll(keepingCapacity: true)
        deviceTimeUs.removeAll(keepingCapacity: true)
        hostTimeNs.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        s.pipeline.process(span) { out in
            for k in 0..<out.frameCount {
                index.append(out.sourceIndex(ofFrame: k))
                let deviceNs = out.deviceTimeNs(ofFrame: k)
                deviceTimeUs.append(deviceNs / 1000)
                // Unknown (no exchange yet) is written as 0, never as a guess.
                hostTimeNs.append(times.hostTimeNs(deviceNs: deviceNs, utcMinusMonotonicNs: utcMinusMonotonicNs))
                raw.append(contentsOf: out.sourceRawValues(ofFrame: k))
            }
            values.append(contentsOf: out.values)
        }
        guard !index.isEmpty else { return }
        let block = try SampleBlock(
            channelCount: s.channels.count, index: index, deviceTimeUs: deviceTimeUs, hostTimeNs: hostTimeNs,
            raw: raw, values: values)
        try sink.append(block, device: d)
        let n = UInt64(index.count)
        appended[d] += n
        noteDurable()
        progress.withLock { $0.written[d] += n }
    }
}

import Device
import Synchronization
