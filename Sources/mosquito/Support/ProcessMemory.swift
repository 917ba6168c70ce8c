#if canImport(Glibc)
import CMalloc
#endif

/// Malloc policy for a process that runs for hours moving large, short-lived buffers.
///
/// glibc raises its mmap threshold to the size of the largest mmapped block ever freed, so after the first
/// chunk-sized buffer (HDF5 chunks, pipeline batches) is released, later ones come from the heap arenas,
/// where freed memory is kept rather than returned: resident memory then wanders with allocation order.
/// A fixed threshold keeps every buffer over 128 KiB in its own mapping, returned on free, and makes a long
/// recording's memory flat (measured: 67 MB → 62 MB at 16 channels × 100 kS/s). The cost is one mmap and
/// munmap per large buffer, a few per second.
enum ProcessMemory {
    static func applyPolicy() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 128 * 1024)
        #endif
    }
}
