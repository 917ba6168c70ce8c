import CHDF5

/// A chunked dataset that grows along its first dimension: the unit the writer appends to.
struct AppendableColumn: ~Copyable {
    let dataset: HDF5Dataset
    let memoryType: HDF5Datatype
    /// Second dimension for 2-D datasets (samples × channels), `nil` for 1-D columns.
    let rowWidth: UInt64?
    /// Elements of the Swift buffer per row: channels for 2-D, bytes for fixed-width strings, else 1.
    let elementsPerRow: Int
    private(set) var rows: UInt64 = 0

    struct Spec {
        var name: String
        var rowWidth: UInt64? = nil
        var elementsPerRow = 1
        var chunkRows: UInt64
        /// Deflate level 1…9 (after shuffle), or nil for no compression.
        var deflateLevel: UInt32?
        /// nil: exactly one chunk of this dataset. Appends are sequential, so starting chunk k+1 may evict
        /// chunk k (complete, written once); a partial chunk flushed each second stays cached and is completed
        /// in memory, never read back. Sized per dataset because HDF5 keeps written chunks until it needs the
        /// room: one size for every dataset let the narrow ones (index, times) hold chunks never read again.
        var cacheBytes: Int? = nil
    }

    init(_ spec: Spec, in parent: hid_t, type: consuming HDF5Datatype) throws(HDF5Error) {
        let width = spec.rowWidth.map { [$0] } ?? []
        let space = try HDF5Dataspace.simple([0] + width, maximum: [UInt64.max] + width)
        let creation = try HDF5PropertyList(.datasetCreate)
        try creation.setChunk([spec.chunkRows] + width)
        if let level = spec.deflateLevel { try creation.setShuffleAndDeflate(level: level) }
        let access = try HDF5PropertyList(.datasetAccess)
        let chunkBytes = Int(spec.chunkRows) * Int(spec.rowWidth ?? 1) * type.size
        try access.setChunkCache(slots: 521, bytes: spec.cacheBytes ?? chunkBytes)
        dataset = try HDF5Dataset(creating: spec.name, in: parent, type: type, space: space,
                                  creation: creation, access: access)
        memoryType = type
        rowWidth = spec.rowWidth
        elementsPerRow = spec.elementsPerRow
    }

    mutating func append<Element>(_ elements: [Element]) throws(HDF5Error) {
        let newRows = UInt64(elements.count / elementsPerRow)
        guard newRows > 0 else { return }
        let outcome: Result<Void, HDF5Error> = elements.withUnsafeBytes { buffer in
            do throws(HDF5Error) {
                return .success(try dataset.appendRows(buffer.baseAddress!, rows: newRows, existingRows: rows,
                                                       rowWidth: rowWidth, memoryType: memoryType))
            } catch { return .failure(error) }
        }
        try outcome.get()
        rows += newRows
    }
}
