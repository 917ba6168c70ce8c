import Synchronization

/// A small bounded single-producer single-consumer queue of values, used to carry ``Gap`` records from
/// the producer to a ring's consumer alongside the frames. Same protocol as ``FrameRing``
/// (release on publish, acquire on observe), without the frame layout.
/// Unchecked: one producer and one consumer thread; a slot is written before `tail` is released, read after it is acquired.
final class SPSCQueue<Element>: @unchecked Sendable {
    let capacity: Int
    private let mask: Int
    private let slots: UnsafeMutablePointer<Element>

    private let _pad0 = CacheLinePadding()
    private let head = Atomic<Int>(0)
    @exclusivity(unchecked) private var cachedTail = 0
    private let _pad1 = CacheLinePadding()
    private let tail = Atomic<Int>(0)
    @exclusivity(unchecked) private var cachedHead = 0
    private let _pad2 = CacheLinePadding()

    init(capacity: Int) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "capacity must be a power of two")
        self.capacity = capacity
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
    }

    deinit {
        let h = head.load(ordering: .relaxed)
        var t = tail.load(ordering: .relaxed)
        while t != h {
            (slots + (t & mask)).deinitialize(count: 1)
            t += 1
        }
        slots.deallocate()
    }

    /// Producer side. Returns false (and stores nothing) when full.
    func push(_ element: Element) -> Bool {
        let h = head.load(ordering: .relaxed)
        if h - cachedTail == capacity {
            cachedTail = tail.load(ordering: .acquiring)
            if h - cachedTail == capacity { return false }
        }
        (slots + (h & mask)).initialize(to: element)
        head.store(h + 1, ordering: .releasing)
        return true
    }

    /// Consumer side. Returns nil when empty.
    func pop() -> Element? {
        let t = tail.load(ordering: .relaxed)
        if t == cachedHead {
            cachedHead = head.load(ordering: .acquiring)
            if t == cachedHead { return nil }
        }
        let element = (slots + (t & mask)).move()
        tail.store(t + 1, ordering: .releasing)
        return element
    }
}
