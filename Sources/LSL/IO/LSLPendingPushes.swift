import NIOCore

/// Pushes on their way from the pushing thread to the outlet's event loop.
struct LSLPendingPushes {
    private var chunks = CircularBuffer<LSLEncodedChunk>()
    private var samples = 0
    private var dropped: UInt64 = 0
    private var drainScheduled = false

    /// Adds a push, dropping the oldest whole pushes beyond `limit` samples (the newest always stays); returns
    /// whether a drain must be scheduled (none is pending).
    mutating func add(_ chunk: LSLEncodedChunk, limit: Int) -> Bool {
        chunks.append(chunk)
        samples += chunk.count
        while samples > limit, chunks.count > 1 {
            let oldest = chunks.removeFirst()
            samples -= oldest.count
            dropped &+= UInt64(oldest.count)
        }
        defer { drainScheduled = true }
        return !drainScheduled
    }

    /// Everything pending and the count dropped since the last drain; the next push schedules a new drain.
    mutating func take() -> (chunks: [LSLEncodedChunk], dropped: UInt64) {
        defer {
            chunks.removeAll()
            samples = 0
            dropped = 0
            drainScheduled = false
        }
        return (Array(chunks), dropped)
    }
}
