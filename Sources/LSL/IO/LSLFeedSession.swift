import NIOCore

/// One inlet receiving samples: its queue and its socket. Lives on the outlet's event loop; it writes only while
/// the socket takes data (NIO's writability, i.e. below the write-buffer high-water mark), so an inlet that stops
/// reading costs a bounded queue and never blocks the outlet or the other inlets.
final class LSLFeedSession {
    let id: Int
    let channel: Channel
    private var queue: LSLInletQueue
    /// Bytes encoded per write: large enough to amortise the syscall, small enough to keep latency per write low.
    private static let writeBytes = 64 * 1024

    init(id: Int, channel: Channel, capacity: Int) {
        self.id = id
        self.channel = channel
        queue = LSLInletQueue(capacity: capacity)
    }

    func enqueue(_ chunk: LSLEncodedChunk) { queue.append(chunk) }
    func lost(_ samples: UInt64) { queue.lost(samples) }

    /// Writes what the socket will take now; called after each push and whenever the socket drains.
    func flush() {
        guard channel.isActive else { return }
        var wrote = false
        while channel.isWritable, queue.count > 0 {
            var buffer = channel.allocator.buffer(capacity: Self.writeBytes)
            queue.write(maxBytes: Self.writeBytes, into: &buffer)
            channel.write(buffer, promise: nil)
            wrote = true
        }
        if wrote { channel.flush() }
    }

    var sent: UInt64 { queue.sent }
    var dropped: UInt64 { queue.dropped }
    var queued: Int { queue.count }
}
