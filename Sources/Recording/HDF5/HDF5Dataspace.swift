import CHDF5

/// An owned HDF5 dataspace: the shape of a dataset, attribute or memory buffer, plus a selection.
struct HDF5Dataspace: ~Copyable {
    let id: hid_t

    /// A scalar dataspace (one element), for single-valued attributes.
    static func scalar() throws(HDF5Error) -> HDF5Dataspace {
        HDF5Dataspace(id: try HDF5.call("H5Screate") { H5Screate(H5S_SCALAR) })
    }

    /// A simple dataspace; `maximum` of `nil` means fixed size, `UInt64.max` in it means unlimited.
    static func simple(_ current: [UInt64], maximum: [UInt64]? = nil) throws(HDF5Error) -> HDF5Dataspace {
        let maximum = maximum?.map { $0 == UInt64.max ? chdf5_unlimited() : $0 }
        let id = try HDF5.call("H5Screate_simple") {
            current.withUnsafeBufferPointer { current in
                if let maximum {
                    return maximum.withUnsafeBufferPointer {
                        H5Screate_simple(Int32(current.count), current.baseAddress, $0.baseAddress)
                    }
                }
                return H5Screate_simple(Int32(current.count), current.baseAddress, nil)
            }
        }
        return HDF5Dataspace(id: id)
    }

    init(id: hid_t) { self.id = id }

    deinit { HDF5.release { H5Sclose(id) } }

    var dimensions: [UInt64] {
        get throws(HDF5Error) {
            let rank = try HDF5.call("H5Sget_simple_extent_ndims") { H5Sget_simple_extent_ndims(id) }
            var dimensions = [hsize_t](repeating: 0, count: Int(rank))
            try HDF5.call("H5Sget_simple_extent_dims") { H5Sget_simple_extent_dims(id, &dimensions, nil) }
            return dimensions
        }
    }

    func selectHyperslab(start: [UInt64], count: [UInt64]) throws(HDF5Error) {
        try HDF5.call("H5Sselect_hyperslab") {
            H5Sselect_hyperslab(id, H5S_SELECT_SET, start, nil, count, nil)
        }
    }
}
