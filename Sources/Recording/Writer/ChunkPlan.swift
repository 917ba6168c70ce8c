/// How many rows go in one HDF5 chunk: about one second of data, so a flush per second writes
/// about one chunk, but never more than `maxChunkBytes` for the widest row, so one chunk fits
/// the bounded chunk cache (HDF5 rewrites a partial chunk that does not fit through a read-modify-write).
struct ChunkPlan: Equatable {
    static let maxChunkBytes = 1 << 20
    static let tableChunkRows: UInt64 = 256

    let sampleChunkRows: UInt64

    init(rateHz: Double, channelCount: Int) {
        let widestRowBytes = max(1, channelCount) * MemoryLayout<Double>.size
        let capRows = max(1, Self.maxChunkBytes / widestRowBytes)
        let oneSecond = rateHz.isFinite && rateHz >= 1 ? Int(rateHz.rounded(.up)) : 1
        sampleChunkRows = UInt64(min(oneSecond, capRows))
    }
}
