import Acquisition
import Device
import MWP
import Signal

/// Sits between a session and its ingest: everything goes on to the ingest (the recorder's ring and the
/// loss accounting), and whole sample frames are also copied into every live view's keep-newest ring.
/// Runs on the session's reader thread; allocation-free per frame.
final class LiveTap: StreamConsumer, @unchecked Sendable {
    let ingest: StreamIngest
    private let subscribers: LiveSubscribers
    private let buffer: FrameBuffer
    private var scratch: [Int32]

    init(ingest: StreamIngest, subscribers: LiveSubscribers) {
        self.ingest = ingest
        self.subscribers = subscribers
        let maxFrames = SamplesHeader.maxCount(channels: ingest.channelCount)
        buffer = FrameBuffer(capacity: maxFrames, channelCount: ingest.channelCount)
        scratch = [Int32](repeating: 0, count: maxFrames * ingest.channelCount)
    }

    func samples(_ view: SamplesView) {
        ingest.samples(view)
        let rings = subscribers.current()
        let h = view.header
        guard !rings.isEmpty, h.channelMask == ingest.channelMask, h.count > 0 else { return }
        scratch.withUnsafeMutableBufferPointer { out in
            view.copyValues(into: UnsafeMutableBufferPointer(rebasing: out[0..<h.valueCount]))
        }
        buffer.removeAll()
        scratch.withUnsafeBufferPointer { raw in
            buffer.appendBlock(
                firstIndex: h.firstIndex, clock: ingest.clock, blockDeviceTimeMicros: h.deviceTimeUs,
                raw: UnsafeBufferPointer(rebasing: raw[0..<h.valueCount]))
        }
        buffer.withSpan { span in
            for ring in rings where ring.channelCount == span.channelCount { ring.writeDroppingOldest(span) }
        }
    }

    func status(_ status: DeviceStatus) { ingest.status(status) }
    func log(level: UInt8, text: String) { ingest.log(level: level, text: text) }
    func frameError(_ error: FrameError) { ingest.frameError(error) }
    func linkLost(_ error: TransportError) { ingest.linkLost(error) }
}
