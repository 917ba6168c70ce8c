import CHDF5

/// An owned HDF5 group (or the root group of a file).
struct HDF5Group: ~Copyable {
    let id: hid_t

    /// Creates `path` (relative to `parent`, a file or group id), with any missing intermediate groups.
    init(creating path: String, in parent: hid_t) throws(HDF5Error) {
        let links = try HDF5PropertyList(.linkCreate)
        try links.createIntermediateGroups()
        id = try HDF5.call("H5Gcreate2") {
            H5Gcreate2(parent, path, links.id, chdf5_default(), chdf5_default())
        }
    }

    init(opening path: String, in parent: hid_t) throws(HDF5Error) {
        id = try HDF5.call("H5Gopen2") { H5Gopen2(parent, path, chdf5_default()) }
    }

    deinit { HDF5.release { H5Gclose(id) } }

    /// Names of the direct members, in creation-independent (name) order.
    func memberNames() throws(HDF5Error) -> [String] {
        var info = H5G_info_t()
        try HDF5.call("H5Gget_info") { H5Gget_info(id, &info) }
        var names: [String] = []
        for position in 0..<info.nlinks {
            let length = try HDF5.call("H5Lget_name_by_idx") {
                H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, position, nil, 0, chdf5_default())
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            try HDF5.call("H5Lget_name_by_idx") {
                H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, position, &buffer, buffer.count, chdf5_default())
            }
            names.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    func hasMember(_ name: String) throws(HDF5Error) -> Bool {
        try HDF5.call("H5Lexists") { H5Lexists(id, name, chdf5_default()) } > 0
    }
}
