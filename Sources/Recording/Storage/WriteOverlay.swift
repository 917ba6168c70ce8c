/// The writes HDF5 makes after a failure, kept in memory instead of on disk: HDF5 goes on flushing and then closes
/// the file, and must read back what it believes it wrote (or its close fails half-way and leaves a dangling
/// handle), while the disk takes nothing more.
///
/// Small: after a failure HDF5 writes out at most its caches (about a chunk per dataset, plus metadata).
struct WriteOverlay {
    private var writes: [(offset: UInt64, bytes: [UInt8])] = []

    mutating func add(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) {
        writes.append((offset, Array(bytes)))
    }

    /// Lays every overlapping write over `buffer` (which holds the disk's bytes at `offset`), later writes last.
    func apply(to buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) {
        let end = offset + UInt64(buffer.count)
        for write in writes {
            let writeEnd = write.offset + UInt64(write.bytes.count)
            let from = max(offset, write.offset), to = min(end, writeEnd)
            guard from < to else { continue }
            write.bytes.withUnsafeBytes { source in
                let slice = UnsafeRawBufferPointer(rebasing: source[Int(from - write.offset) ..< Int(to - write.offset)])
                UnsafeMutableRawBufferPointer(rebasing: buffer[Int(from - offset) ..< Int(to - offset)]).copyMemory(from: slice)
            }
        }
    }
}
