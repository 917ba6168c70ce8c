import CHDF5

/// An HDF5 datatype: either one of the library's predefined native types (not owned, never closed)
/// or a derived string type this process created and must close.
struct HDF5Datatype: ~Copyable {
    let id: hid_t
    private let owned: Bool

    private init(id: hid_t, owned: Bool) {
        self.id = id
        self.owned = owned
    }

    deinit { if owned { HDF5.release { H5Tclose(id) } } }

    /// Bytes per element (a fixed string's length; a pointer's size for variable-length strings).
    var size: Int { H5Tget_size(id) }

    static func nativeInt32() throws(HDF5Error) -> HDF5Datatype { try predefined("H5T_NATIVE_INT32", chdf5_native_int32) }
    static func nativeInt64() throws(HDF5Error) -> HDF5Datatype { try predefined("H5T_NATIVE_INT64", chdf5_native_int64) }
    static func nativeUInt64() throws(HDF5Error) -> HDF5Datatype { try predefined("H5T_NATIVE_UINT64", chdf5_native_uint64) }
    static func nativeDouble() throws(HDF5Error) -> HDF5Datatype { try predefined("H5T_NATIVE_DOUBLE", chdf5_native_double) }

    private static func predefined(_ name: String, _ get: () -> hid_t) throws(HDF5Error) -> HDF5Datatype {
        HDF5Datatype(id: try HDF5.call(name, get), owned: false)
    }

    /// Variable-length UTF-8 string: h5py reads it as `str`. Used only for data written before
    /// SWMR starts (attributes, calibration), because SWMR does not support variable-length data.
    static func variableString() throws(HDF5Error) -> HDF5Datatype {
        let type = HDF5Datatype(id: try HDF5.call("H5Tcopy") { H5Tcopy(chdf5_c_s1()) }, owned: true)
        try HDF5.call("H5Tset_size") { H5Tset_size(type.id, chdf5_variable()) }
        try HDF5.call("H5Tset_cset") { H5Tset_cset(type.id, H5T_CSET_UTF8) }
        return type
    }

    /// Fixed-length, NUL-padded UTF-8 string of `bytes` bytes (h5py dtype `S<bytes>`), for appended tables.
    static func fixedString(bytes: Int) throws(HDF5Error) -> HDF5Datatype {
        let type = HDF5Datatype(id: try HDF5.call("H5Tcopy") { H5Tcopy(chdf5_c_s1()) }, owned: true)
        try HDF5.call("H5Tset_size") { H5Tset_size(type.id, bytes) }
        try HDF5.call("H5Tset_strpad") { H5Tset_strpad(type.id, H5T_STR_NULLPAD) }
        try HDF5.call("H5Tset_cset") { H5Tset_cset(type.id, H5T_CSET_UTF8) }
        return type
    }
}
