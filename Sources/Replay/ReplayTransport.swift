import Device
import Foundation
import MWP
import MosquitoModel
import Recording

/// A recording played back as an instrument (`--device replay:run.h5[:speed]`): the same MWP/1 bytes a
/// device would send, so the recording runs through the whole acquisition path again.
///
/// The reader thread drives playback: each `receive` sends every frame due by now, where frame times are
/// the recorded device times divided by `speed` (0: no pacing, as fast as the host reads). After the last
/// row the link ends with `TransportError.endOfStream`, which a recorder treats as a clean end.
/// Unchecked: every mutable field is touched only inside `link`'s calls, under its lock.
public final class ReplayTransport: Transport, @unchecked Sendable {
    public let description: String
    public let speed: Double

    private let link = InProcessLink()
    private let reader: HDF5RecordingReader
    private let group: Int
    private let rowCount: UInt64
    private var firmware: ReplayFirmware
    private let cutter: FrameCutter
    private var ended = false
    private var startsSeen = 0
    private var nextRow: UInt64 = 0
    private var block: SampleBlock?
    private var blockPosition = 0
    private var firstDeviceTimeUs: UInt64 = 0
    /// The recorded gaps, oldest first: before the frame after each, the cause is re-enacted.
    private let gaps: [Gap]
    private var gapCursor = 0
    private var expectedIndex: UInt64 = 0
    private var droppedTotal: UInt32 = 0
    private var streamStartNs: UInt64 = 0
    private let openedNs = MonotonicClock.nowNs()

    /// Rows read from the file at a time: bounded memory whatever the recording's length.
    static let rowsPerRead = 8192

    /// `path` may end in `#SERIAL` to pick one device of a multi-device recording; otherwise the first.
    public init(path: String, speed: Double) throws(ReplayError) {
        let (file, serial) = Self.split(path)
        guard FileManager.default.fileExists(atPath: file) else {
            throw .recording(.cannotOpen(path: file, reason: "no such file"))
        }
        do throws(RecordingError) { reader = try HDF5RecordingReader(path: file) } catch { throw .recording(error) }
        let serials = reader.devices.map(\.device.identity.serial)
        if let serial {
            guard let i = serials.firstIndex(of: serial) else {
                throw .noSuchDevice(path: file, serial: serial, available: serials)
            }
            group = i
        } else {
            guard !serials.isEmpty else { throw .unsupported("\(file) holds no device") }
            group = 0
        }
        let device = try ReplayDevice(reader.devices[group].device)
        do throws(RecordingError) {
            rowCount = try reader.sampleCount(device: group)
            gaps = try reader.gaps(device: group).sorted { $0.firstMissingIndex < $1.firstMissingIndex }
        } catch {
            throw .recording(error)
        }
        guard rowCount > 0 else { throw .unsupported("\(file) holds no samples for \(serials[group])") }
        firmware = ReplayFirmware(device: device)
        cutter = FrameCutter(rateHz: device.rateHz, channels: device.identity.channels.count)
        self.speed = speed
        description = "replay:\(file)#\(serials[group])"
        do throws(RecordingError) {
            firstDeviceTimeUs = try reader.readSamples(device: group, rows: 0 ..< 1).deviceTimeUs[0]
        } catch {
            throw .recording(error)
        }
    }

    /// `run.h5#MQ-0042` names a device; a `#` that is part of an existing file name is kept.
    private static func split(_ path: String) -> (file: String, serial: String?) {
        guard let hash = path.lastIndex(of: "#"), !FileManager.default.fileExists(atPath: path) else { return (path, nil) }
        let serial = String(path[path.index(after: hash)...])
        return serial.isEmpty ? (path, nil) : (String(path[..<hash]), serial)
    }

    /// The device clock runs from the first recorded sample at `speed` (real time when unpaced).
    private func deviceNowUs(_ nowNs: UInt64) -> UInt64 {
        // A device clock wraps as a u64 counter would; a recorded time near 2^64 must not trap the host.
        firstDeviceTimeUs &+ Self.clamped(Double(nowNs - openedNs) / 1000 * (speed > 0 ? speed : 1))
    }

    /// A non-negative Double as a UInt64, saturating: times in a file can be anything.
    private static func clamped(_ x: Double) -> UInt64 {
        x >= 18_446_744_073_709_551_615.0 ? .max : x > 0 ? UInt64(x) : 0
    }

    public func send(_ bytes: UnsafeRawBufferPointer) throws(TransportError) {
        try link.send { () throws(TransportError) in
            guard !ended else { throw .endOfStream(description) }
            firmware.receive(bytes, deviceNowUs: deviceNowUs(MonotonicClock.nowNs()))
            if firmware.starts != startsSeen {
                startsSeen = firmware.starts
                rewind()
            }
        }
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws(TransportError) -> Int {
        try link.receive(timeoutMs: timeoutMs) { (now) throws(TransportError) -> InProcessLink.Poll in
            var dueNs: UInt64?
            if firmware.output.isEmpty, firmware.isStreaming {
                switch try nextFrame(now: now) {
                case .sent: break
                case .due(let at): dueNs = at
                case .finished:
                    firmware.endOfRecording()
                    ended = true
                }
            }
            if !firmware.output.isEmpty {
                let n = min(buffer.count, firmware.output.count)
                firmware.output.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                firmware.output.removeFirst(n)
                return .bytes(n)
            }
            if ended { throw .endOfStream(description) }
            return .wait(dueNs: dueNs)
        }
    }

    public func close() { link.close() }

    // MARK: Playback (called inside `link`'s calls, under its lock)

    private enum Next { case sent, due(UInt64), finished }

    private func rewind() {
        nextRow = 0
        block = nil
        gapCursor = 0
        expectedIndex = 0
        droppedTotal = 0
        streamStartNs = MonotonicClock.nowNs()
    }

    /// Encodes the next frame if it is due; otherwise says when it will be.
    private func nextFrame(now: UInt64) throws(TransportError) -> Next {
        guard nextRow < rowCount else { return .finished }
        let rows = try currentBlock()
        let time = rows.deviceTimeUs[blockPosition]
        if speed > 0 {
            // A time centuries after the first row is due (saturating) never, not at once (wrapping).
            let (sum, pastMax) = streamStartNs.addingReportingOverflow(Self.clamped(Double(time &- firstDeviceTimeUs) * 1000 / speed))
            let due = pastMax ? UInt64.max : sum
            if due > now { return .due(due) }
        }
        let count = cutter.frameLength(in: rows, from: blockPosition)
        let first = rows.index[blockPosition]
        if first > expectedIndex { reenactGaps(before: first) }
        // A crafted file may hold index 2^64 - 1: send it as recorded (the host refuses what overflows) and
        // expect nothing after it rather than trap.
        let (end, pastMax) = first.addingReportingOverflow(UInt64(count))
        expectedIndex = pastMax ? .max : end
        let width = rows.channelCount
        firmware.sendSamples(
            firstIndex: first, deviceTimeUs: time,
            raw: rows.raw[blockPosition * width ..< (blockPosition + count) * width], rows: count)
        blockPosition += count
        nextRow += UInt64(count)
        return .sent
    }

    /// Makes the host see the recorded causes of the samples missing before `index`: a device overrun is
    /// announced by STATUS, a CRC error by a damaged frame; a transport gap (and a host overrun, which the
    /// replaying host does not suffer) needs nothing but the index jump itself.
    private func reenactGaps(before index: UInt64) {
        var overrun: UInt64 = 0
        var damaged = false
        while gapCursor < gaps.count, gaps[gapCursor].firstMissingIndex < index {
            let gap = gaps[gapCursor]
            if gap.firstMissingIndex >= expectedIndex {
                switch gap.cause {
                case .deviceOverrun:
                    // Gaps in a file are outside input: they may overlap and add up past 2^64 - 1.
                    let (sum, pastMax) = overrun.addingReportingOverflow(gap.count)
                    overrun = pastMax ? .max : sum
                case .crcError: damaged = true
                case .transportGap, .hostOverrun, .network, .writeFailed: break
                }
            }
            gapCursor += 1
        }
        if overrun > 0 {
            droppedTotal &+= UInt32(truncatingIfNeeded: overrun)
            firmware.sendOverrun(droppedTotal: droppedTotal)
        }
        if damaged { firmware.sendDamagedFrame() }
    }

    private func currentBlock() throws(TransportError) -> SampleBlock {
        if let block, blockPosition < block.sampleCount { return block }
        do throws(RecordingError) {
            let rows = try reader.readSamples(device: group, rows: nextRow ..< min(rowCount, nextRow + UInt64(Self.rowsPerRead)))
            guard rows.sampleCount > 0 else { throw RecordingError.readFailed(path: reader.path, reason: "rows vanished") }
            block = rows
            blockPosition = 0
            return rows
        } catch {
            throw .other("replay: \(error)")
        }
    }
}

extension ReplayTransport {
    /// What `DeviceOpener.register(.replay)` needs: a `replay:` URI to a transport.
    public static func open(_ uri: DeviceURI) throws(DeviceError) -> any Transport {
        guard case .replay(let path, let speed) = uri else { throw .uri(.malformed(uri.description, "not a replay URI")) }
        do throws(ReplayError) { return try ReplayTransport(path: path, speed: speed) } catch {
            throw .transport(.other(error.description))
        }
    }
}
