import NIOCore

/// One inlet's backlog: bounded, newest wins. When the inlet reads slower than the outlet pushes, the oldest
/// samples are dropped and counted; the next sample it does get carries its stamp, so its timestamps stay right.
struct LSLInletQueue {
    let capacity: Int
    private var segments = CircularBuffer<(chunk: LSLEncodedChunk, start: Int)>()
    private(set) var count = 0
    private(set) var dropped: UInt64 = 0
    private(set) var sent: UInt64 = 0
    private var lastSent: UInt64?

    init(capacity: Int) { self.capacity = max(1, capacity) }

    mutating func append(_ chunk: LSLEncodedChunk) {
        guard chunk.count > 0 else { return }
        segments.append((chunk, 0))
        count += chunk.count
        while count > capacity, var oldest = segments.first {
            let drop = min(count - capacity, oldest.chunk.count - oldest.start)
            oldest.start += drop
            count -= drop
            dropped &+= UInt64(drop)
            if oldest.start == oldest.chunk.count { segments.removeFirst() } else { segments[segments.startIndex] = oldest }
        }
    }

    /// Counts samples this inlet never got because they were dropped before reaching its queue. Its next sample
    /// carries its stamp anyway: its sequence number does not follow the last one sent.
    mutating func lost(_ samples: UInt64) { dropped &+= samples }

    /// Encodes queued samples into `out` until `maxBytes` would be exceeded (at least one sample); returns how
    /// many were written.
    @discardableResult
    mutating func write(maxBytes: Int, into out: inout ByteBuffer) -> Int {
        var written = 0
        let start = out.writerIndex
        while var head = segments.first {
            let budget = maxBytes - (out.writerIndex - start)
            if written > 0, head.chunk.maxEncodedSize(of: head.start) > budget { break }
            let n = head.chunk.write(samples: head.start..<head.chunk.count, previousSent: lastSent, maxBytes: budget, into: &out)
            head.start += n
            written += n
            lastSent = head.chunk.sequence(of: head.start - 1)
            if head.start == head.chunk.count {
                segments.removeFirst()
            } else {
                segments[segments.startIndex] = head
                break
            }
        }
        count -= written
        sent &+= UInt64(written)
        return written
    }
}
