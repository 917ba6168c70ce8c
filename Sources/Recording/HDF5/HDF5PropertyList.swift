import CHDF5

/// An owned HDF5 property list (file access, dataset creation/access, link creation).
struct HDF5PropertyList: ~Copyable {
    let id: hid_t

    enum Class { case fileAccess, datasetCreate, datasetAccess, linkCreate }

    init(_ kind: Class) throws(HDF5Error) {
        id = try HDF5.call("H5Pcreate") {
            let cls: hid_t
            switch kind {
            case .fileAccess: cls = chdf5_plist_file_access()
            case .datasetCreate: cls = chdf5_plist_dataset_create()
            case .datasetAccess: cls = chdf5_plist_dataset_access()
            case .linkCreate: cls = chdf5_plist_link_create()
            }
            return H5Pcreate(cls)
        }
    }

    deinit { HDF5.release { H5Pclose(id) } }

    /// SWMR needs the newest on-disk format (superblock v3, v2 B-tree / extensible-array chunk indices).
    func requireLatestFormat() throws(HDF5Error) {
        try HDF5.call("H5Pset_libver_bounds") {
            H5Pset_libver_bounds(id, chdf5_libver_latest(), chdf5_libver_latest())
        }
    }

    func setChunk(_ dimensions: [UInt64]) throws(HDF5Error) {
        try HDF5.call("H5Pset_chunk") {
            dimensions.withUnsafeBufferPointer { H5Pset_chunk(id, Int32($0.count), $0.baseAddress) }
        }
    }

    /// Shuffle before deflate: grouping bytes of equal significance makes sample data compress far better.
    func setShuffleAndDeflate(level: UInt32) throws(HDF5Error) {
        try HDF5.call("H5Pset_shuffle") { H5Pset_shuffle(id) }
        try HDF5.call("H5Pset_deflate") { H5Pset_deflate(id, level) }
    }

    /// Bounds the per-dataset chunk cache, so memory stays flat however long the run.
    func setChunkCache(slots: Int, bytes: Int) throws(HDF5Error) {
        try HDF5.call("H5Pset_chunk_cache") { H5Pset_chunk_cache(id, slots, bytes, 0.75) }
    }

    func createIntermediateGroups() throws(HDF5Error) {
        try HDF5.call("H5Pset_create_intermediate_group") { H5Pset_create_intermediate_group(id, 1) }
    }
}
