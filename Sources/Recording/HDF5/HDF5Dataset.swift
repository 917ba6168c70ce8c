import CHDF5

/// An owned HDF5 dataset, with the row-oriented operations recordings need: append rows at the end
/// of dimension 0, read a range of rows.
struct HDF5Dataset: ~Copyable {
    let id: hid_t

    init(creating path: String, in parent: hid_t, type: borrowing HDF5Datatype,
         space: borrowing HDF5Dataspace, creation: borrowing HDF5PropertyList,
         access: borrowing HDF5PropertyList) throws(HDF5Error) {
        id = try HDF5.call("H5Dcreate2") {
            H5Dcreate2(parent, path, type.id, space.id, chdf5_default(), creation.id, access.id)
        }
    }

    init(opening path: String, in parent: hid_t) throws(HDF5Error) {
        id = try HDF5.call("H5Dopen2") { H5Dopen2(parent, path, chdf5_default()) }
    }

    deinit { HDF5.release { H5Dclose(id) } }

    func space() throws(HDF5Error) -> HDF5Dataspace {
        HDF5Dataspace(id: try HDF5.call("H5Dget_space") { H5Dget_space(id) })
    }

    /// Current shape; a SWMR reader calls `refresh()` first to see rows appended since it opened.
    func dimensions() throws(HDF5Error) -> [UInt64] { try space().dimensions }

    func refresh() throws(HDF5Error) {
        try HDF5.call("H5Drefresh") { H5Drefresh(id) }
    }

    /// Chunk shape, or `nil` for contiguous storage.
    func chunkDimensions() throws(HDF5Error) -> [UInt64]? {
        let plist = HDF5PropertyListHandle(id: try HDF5.call("H5Dget_create_plist") { H5Dget_create_plist(id) })
        let layout = try HDF5.call("H5Pget_layout") { H5Pget_layout(plist.id).rawValue }
        guard layout == H5D_CHUNKED.rawValue else { return nil }
        var dims = [hsize_t](repeating: 0, count: 8)
        let rank = try HDF5.call("H5Pget_chunk") { H5Pget_chunk(plist.id, Int32(dims.count), &dims) }
        return Array(dims.prefix(Int(rank)))
    }

    /// Appends `rows` rows whose elements (row-major, `rowWidth` per row) are at `buffer`.
    /// `existingRows` is the dataset's length before the append, tracked by the caller to avoid a query per append.
    func appendRows(_ buffer: UnsafeRawPointer, rows: UInt64, existingRows: UInt64, rowWidth: UInt64?,
                    memoryType: borrowing HDF5Datatype) throws(HDF5Error) {
        guard rows > 0 else { return }
        let newExtent: [UInt64] = rowWidth.map { [existingRows + rows, $0] } ?? [existingRows + rows]
        try HDF5.call("H5Dset_extent") { H5Dset_extent(id, newExtent) }
        let fileSpace = try space()
        let start: [UInt64] = rowWidth == nil ? [existingRows] : [existingRows, 0]
        let count: [UInt64] = rowWidth.map { [rows, $0] } ?? [rows]
        try fileSpace.selectHyperslab(start: start, count: count)
        let memorySpace = try HDF5Dataspace.simple(count)
        try HDF5.call("H5Dwrite") {
            H5Dwrite(id, memoryType.id, memorySpace.id, fileSpace.id, chdf5_default(), buffer)
        }
    }

    /// Reads rows `start..<start+rows` (all columns) into `buffer`, which must hold them.
    func readRows(into buffer: UnsafeMutableRawPointer, start: UInt64, rows: UInt64, rowWidth: UInt64?,
                  memoryType: borrowing HDF5Datatype) throws(HDF5Error) {
        guard rows > 0 else { return }
        let fileSpace = try space()
        let startAt: [UInt64] = rowWidth == nil ? [start] : [start, 0]
        let count: [UInt64] = rowWidth.map { [rows, $0] } ?? [rows]
        try fileSpace.selectHyperslab(start: startAt, count: count)
        let memorySpace = try HDF5Dataspace.simple(count)
        try HDF5.call("H5Dread") {
            H5Dread(id, memoryType.id, memorySpace.id, fileSpace.id, chdf5_default(), buffer)
        }
    }

    /// Reads the whole dataset (for the small tables) into `buffer`.
    func readAll(into buffer: UnsafeMutableRawPointer, memoryType: borrowing HDF5Datatype) throws(HDF5Error) {
        try HDF5.call("H5Dread") {
            H5Dread(id, memoryType.id, chdf5_default(), chdf5_default(), chdf5_default(), buffer)
        }
    }

    func writeAll(_ buffer: UnsafeRawPointer, memoryType: borrowing HDF5Datatype) throws(HDF5Error) {
        try HDF5.call("H5Dwrite") {
            H5Dwrite(id, memoryType.id, chdf5_default(), chdf5_default(), chdf5_default(), buffer)
        }
    }
}

/// A property list handed out by the library (e.g. a dataset's creation list), closed on release.
struct HDF5PropertyListHandle: ~Copyable {
    let id: hid_t
    deinit { HDF5.release { H5Pclose(id) } }
}
