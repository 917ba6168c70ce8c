import CHDF5

/// HDF5 keeps freed blocks on per-size free lists instead of returning them, up to 16 MB of block lists by
/// default. A writer appends chunks of varying sizes, so over a long run those lists fill to their limits
/// and resident memory creeps. Bounded lists keep a recorder's memory flat; the cost is an occasional
/// malloc for a chunk buffer, a few per second.
enum HDF5FreeLists {
    /// Process-wide and idempotent; the first writer sets it.
    static let bounded: Void = {
        _ = H5set_free_list_limits(
            1 << 20, 1 << 16,  // regular objects: all lists, each list
            1 << 20, 1 << 18,  // arrays
            1 << 20, 1 << 19)  // blocks (chunk buffers: a freed 1 MiB chunk goes back to the system)
    }()
}
