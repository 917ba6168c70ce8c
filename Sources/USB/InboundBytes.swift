/// Bytes completed IN transfers delivered and the session's reader has not taken yet, in arrival order.
/// Not thread-safe: the transport guards it.
struct InboundBytes {
    private var storage: [UInt8] = []
    private var head = 0

    init(capacity: Int) { storage.reserveCapacity(capacity) }

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        // Compact before growing: steady state then reuses one allocation.
        if head > 0 && head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > storage.capacity / 2 {
            storage.removeFirst(head)
            head = 0
        }
        storage.append(contentsOf: bytes)
    }

    mutating func take(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, count)
        storage.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[head..<head + n])) }
        head += n
        return n
    }
}
