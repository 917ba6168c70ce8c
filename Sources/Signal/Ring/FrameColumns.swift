/// The three zeroed columns that hold whole sample frames (index, device time, interleaved values), as the
/// ring and the frame buffer both lay them out. Allocated and touched up front, so no page faults later.
struct FrameColumns {
    let indices: UnsafeMutablePointer<UInt64>
    let times: UnsafeMutablePointer<UInt64>
    let values: UnsafeMutablePointer<Int32>

    init(capacity: Int, channelCount: Int) {
        indices = .allocate(capacity: capacity)
        times = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity * channelCount)
        indices.initialize(repeating: 0, count: capacity)
        times.initialize(repeating: 0, count: capacity)
        values.initialize(repeating: 0, count: capacity * channelCount)
    }

    /// The owner calls this once, in its deinit.
    func deallocate() {
        indices.deallocate()
        times.deallocate()
        values.deallocate()
    }
}
