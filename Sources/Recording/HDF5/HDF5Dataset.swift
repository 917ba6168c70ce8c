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

    /// Appends `rows` rows whose elements (row-major, `rowWidth` per row) are at `buffer`.
    /// `existingRows` is the dataset's length before the append, tracked by the caller to avoid a query per append.
    func appendRows(_ buffer: UnsafeRawPointer, rows: UInt64, existingRows: UInt64, rowWidth: UInt64?,
                    memoryType: borrowing HDF5Datatype) throws(HDF5Error) {
        guard rows > 0 else { return }
        let newExtent: [UInt64] = rowWidth.map { [existingRows + rows, $0] } ?? [existingRows + rows]
        try HDF5.call("H5Dset_extent") { H5Dset_extent(id, newExtent) }
        try withRows(start: existingRows, rows: rows, rowWidth: rowWidth) { (file, memory) throws(HDF5Error) in
            try HDF5.call("H5Dwrite") { H5Dwrite(id, memoryType.id, memory.id, file.id, chdf5_default(), buffer) }
        }
    }

    /// Reads rows `start..<start+rows` (all columns) into `buffer`, which must hold them.
    func readRows(into buffer: UnsafeMutableRawPointer, start: UInt64, rows: UInt64, rowWidth: UInt64?,
                  memoryType: borrowing HDF5Datatype) throws(HDF5Error) {
        guard rows > 0 else { return }
        try withRows(start: start, rows: rows, rowWidth: rowWidth) { (file, memory) throws(HDF5Error) in
            try HDF5.call("H5Dread") { H5Dread(id, memoryType.id, memory.id, file.id, chdf5_default(), buffer) }
        }
    }

    /// Rows `start..<start+rows` (all `rowWidth` columns) selected in the file, and a memory space of their
    /// shape: what one read or one append moves.
    private func withRows(start: UInt64, rows: UInt64, rowWidth: UInt64?,
                          _ body: (borrowing HDF5Dataspace, borrowing HDF5Dataspace) throws(HDF5Error) -> Void) throws(HDF5Error) {
        let fileSpace = try space()
        let first: [UInt64] = rowWidth == nil ? [start] : [start, 0]
        let count: [UInt64] = rowWidth.map { [rows, $0] } ?? [rows]
        try fileSpace.selectHyperslab(start: first, count: count)
        let memorySpace = try HDF5Dataspace.simple(count)
        try body(fileSpace, memorySpace)
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
