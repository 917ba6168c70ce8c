import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// An owned open HDF5 file.
struct HDF5File: ~Copyable {
    let id: hid_t

    /// Creates a new file in the latest format (required for SWMR). Fails if `path` exists unless `overwrite`.
    /// With a `journal`, the file is written through `RollbackDriver` and can be returned to its last commit.
    init(creating path: String, overwrite: Bool, journal: RollbackJournal? = nil) throws(HDF5Error) {
        HDF5FreeLists.bounded
        let access = try HDF5PropertyList(.fileAccess)
        try access.requireLatestFormat()
        if let journal { try RollbackDriver.use(on: access, journal: journal) }
        id = try HDF5.call("H5Fcreate") {
            H5Fcreate(path, overwrite ? chdf5_acc_trunc() : chdf5_acc_excl(), chdf5_default(), access.id)
        }
        closeOnExec()
    }

    enum OpenMode { case readOnly, swmrRead, readWrite }

    init(opening path: String, mode: OpenMode, fileLocking: Bool = true, journal: RollbackJournal? = nil) throws(HDF5Error) {
        let access = try HDF5PropertyList(.fileAccess)
        if mode == .readWrite { try access.requireLatestFormat() }
        if !fileLocking { try access.disableFileLocking() }
        if let journal { try RollbackDriver.use(on: access, journal: journal) }
        id = try HDF5.call("H5Fopen") {
            let flags: UInt32
            switch mode {
            case .readOnly: flags = chdf5_acc_rdonly()
            case .swmrRead: flags = chdf5_acc_rdonly() | chdf5_acc_swmr_read()
            case .readWrite: flags = chdf5_acc_rdwr()
            }
            return H5Fopen(path, flags, access.id)
        }
        closeOnExec()
    }

    /// HDF5 opens files without O_CLOEXEC. A child process started meanwhile would inherit the
    /// descriptor and with it HDF5's lock on the file, which would then outlive our close.
    private func closeOnExec() {
        var handle: UnsafeMutableRawPointer?
        guard (try? HDF5.call("H5Fget_vfd_handle") { H5Fget_vfd_handle(id, chdf5_default(), &handle) }) != nil,
              let descriptor = handle?.assumingMemoryBound(to: Int32.self).pointee else { return }
        _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
    }

    deinit { HDF5.release { H5Fclose(id) } }

    /// Switches to single-writer/multiple-reader mode. Every group and dataset must exist by now:
    /// a SWMR writer may append to datasets but not create objects or attributes.
    func startSWMRWrite() throws(HDF5Error) {
        try HDF5.call("H5Fstart_swmr_write") { H5Fstart_swmr_write(id) }
    }

    func flush() throws(HDF5Error) {
        try HDF5.call("H5Fflush") { H5Fflush(id, H5F_SCOPE_GLOBAL) }
    }

    /// Closes now and reports failure (the deinit can only ignore it).
    consuming func close() throws(HDF5Error) {
        let id = self.id
        discard self
        try HDF5.call("H5Fclose") { H5Fclose(id) }
    }
}
