/// Merges two or more streams (one per device) into one sequence ordered by host time, for recording
/// several devices at once. Each stream must push in nondecreasing host time (true once its samples
/// are mapped through a ``ClockMapping``). An element is released only when every unfinished stream has
/// pushed something at or after its time, so the output order never has to be revised. Ties go to the
/// lower stream number.
public struct StreamMerger<Element> {
    public struct Item {
        public var stream: Int
        public var hostNanos: Double
        public var element: Element
    }

    private var queues: [[Item]]
    private var heads: [Int]
    private var finished: [Bool]
    private var lastPushed: [Double]

    public init(streamCount: Int) {
        precondition(streamCount >= 1, "merge at least one stream")
        queues = Array(repeating: [], count: streamCount)
        heads = Array(repeating: 0, count: streamCount)
        finished = Array(repeating: false, count: streamCount)
        lastPushed = Array(repeating: -.infinity, count: streamCount)
    }

    public var streamCount: Int { queues.count }

    public mutating func push(stream: Int, hostNanos: Double, element: Element) {
        precondition(!finished[stream], "stream \(stream) already finished")
        precondition(hostNanos >= lastPushed[stream], "stream \(stream) went back in host time")
        lastPushed[stream] = hostNanos
        queues[stream].append(Item(stream: stream, hostNanos: hostNanos, element: element))
    }

    /// No more elements will come from `stream`; it no longer holds the others back.
    public mutating func finish(stream: Int) {
        finished[stream] = true
    }

    /// The next element in host-time order, or nil until it is certain which one that is.
    public mutating func next() -> Item? {
        var chosen: Int?
        for s in 0..<queues.count where heads[s] < queues[s].count {
            if let c = chosen, queues[c][heads[c]].hostNanos <= queues[s][heads[s]].hostNanos { continue }
            chosen = s
        }
        guard let c = chosen else { return nil }
        let t = queues[c][heads[c]].hostNanos
        // An empty, unfinished stream only pushes at or after what it last pushed: it holds the
        // candidate back unless that is already later (or equal, with the tie going to the candidate).
        for s in 0..<queues.count where heads[s] == queues[s].count && !finished[s] {
            if lastPushed[s] < t || (lastPushed[s] == t && s < c) { return nil }
        }
        let item = queues[c][heads[c]]
        heads[c] += 1
        if heads[c] == queues[c].count {
            queues[c].removeAll(keepingCapacity: true)
            heads[c] = 0
        }
        return item
    }
}
