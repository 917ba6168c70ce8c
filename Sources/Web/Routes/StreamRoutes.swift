import Acquisition
import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Signal

extension WebServer {
    /// `GET /ws/devices/{id}?every=N`: binary `SampleFrameLayout` messages with every Nth sample, no filtering (N = 1,
    /// the default, is full rate). Each client is a newest-wins subscriber of the device's hub: it gets the
    /// indices the recording holds (each once, in order, across reconnects), and a slow client loses its own
    /// oldest samples (reported in the next message) and never grows the server's memory.
    func addStreamRoutes(to router: Routes) {
        router.ws("/ws/devices/:id", .stream) { request, context in
            _ = try self.device(context.parameters.require("id"))
            _ = try Self.every(request)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let id = context.requestContext.parameters.get("id"), let device = try? self.device(id),
                let every = try? Self.every(context.request)
            else { return }
            let subscription = device.outlets.subscribe(capacity: 1 << 15)
            defer { device.outlets.unsubscribe(subscription) }
            let ring = subscription.ring
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var sender = SampleSender(ring: ring, every: every)
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(10))
                        for message in sender.drain() {
                            try await outbound.write(.binary(ByteBuffer(bytes: message)))
                        }
                    }
                }
                // The client says nothing we need; reading still notices when it leaves.
                for try await _ in inbound {}
                group.cancelAll()
            }
        }
    }

    /// `every`, not `decimate`: it keeps every Nth sample without the anti-aliasing filter `--decimate` applies.
    static func every(_ request: Request) throws(WebError) -> Int {
        guard let text = request.uri.queryParameters.get("every") else { return 1 }
        guard let n = Int(text), n >= 1, n <= 100_000 else {
            throw .badRequest("every must be a whole number from 1 to 100000")
        }
        return n
    }
}

/// Turns what a client's ring holds into WebSocket messages of at most ~12 KB each.
struct SampleSender {
    static let maxMessageBytes = 12 * 1024
    let ring: FrameRing
    let every: Int
    private var dropped: UInt64 = 0
    private var droppedBefore: UInt64 = 0

    init(ring: FrameRing, every: Int) {
        self.ring = ring
        self.every = every
    }

    mutating func drain() -> [[UInt8]] {
        // The ring's count of overwritten frames is exact; its gap records are not (it keeps at most 256, and a
        // stalled client overflows them within half a second), so they are discarded, not summed.
        while ring.popGap() != nil {}
        let overwritten = ring.hostOverrunSampleCount
        dropped += overwritten - droppedBefore
        droppedBefore = overwritten
        let channels = ring.channelCount
        let perMessage = max(1, (Self.maxMessageBytes - SampleFrameLayout.headerSize) / SampleFrameLayout.frameSize(channels: channels))
        var messages: [[UInt8]] = []
        var indices: [UInt64] = []
        var times: [UInt64] = []
        var values: [Int32] = []
        ring.read { spans in
            spans.forEach { span in
                for f in 0..<span.count where every == 1 || span.indices[f] % UInt64(every) == 0 {
                    indices.append(span.indices[f])
                    times.append(span.deviceTimesNs[f])
                    values.append(contentsOf: span.values(ofFrame: f))
                }
            }
            return spans.count
        }
        var start = 0
        while start < indices.count {
            let end = min(indices.count, start + perMessage)
            var out: [UInt8] = []
            out.reserveCapacity(SampleFrameLayout.headerSize + (end - start) * SampleFrameLayout.frameSize(channels: channels))
            SampleFrameLayout.appendHeader(to: &out, channels: channels, frames: end - start, missed: start == 0 ? dropped : 0)
            values.withUnsafeBufferPointer { v in
                for f in start..<end {
                    SampleFrameLayout.appendFrame(
                        to: &out, index: indices[f], deviceTimeNs: times[f],
                        values: UnsafeBufferPointer(rebasing: v[(f * channels)..<((f + 1) * channels)]))
                }
            }
            messages.append(out)
            start = end
        }
        if !indices.isEmpty { dropped = 0 }
        return messages
    }
}
