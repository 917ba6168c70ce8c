import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// An HDF5 file driver (VFD) that writes like HDF5's default sec2 driver, through `RecordingDisk`, and keeps an
/// undo log (`RollbackFile`) so a writer can return its file to the last successful flush after any failure.
///
/// Why: after a failed write HDF5 keeps going, and its flush then writes dataset extents whose chunks never
/// reached the disk, so readers saw rows of zeros. With this driver nothing is written after a failure, and what
/// the failed operation had written is undone.
///
/// The file on disk is a plain HDF5 file: the driver stores nothing in the superblock, and readers (h5py, our
/// reader, SWMR readers in other processes) open it with sec2. A file property list names the driver and carries
/// the journal to report to (`use(on:journal:)`).
enum RollbackDriver {
    /// Registered once per process; HDF5 copies the class.
    static let id: Result<hid_t, HDF5Error> = Result { () throws(HDF5Error) -> hid_t in
        var driver = makeClass()
        return try HDF5.call("H5FDregister") { H5FDregister(&driver) }
    }

    /// Makes files opened with `access` go through this driver and report to `journal`, which must outlive them.
    static func use(on access: borrowing HDF5PropertyList, journal: RollbackJournal) throws(HDF5Error) {
        let driver = try id.get()
        var info = Unmanaged.passUnretained(journal).toOpaque()
        try HDF5.call("H5Pset_driver") { H5Pset_driver(access.id, driver, &info) }
    }

    // H5F_ACC_* are macros that call into the library (Swift cannot import them, and a driver callback must not
    // re-enter the API), so the values are read once, here. CREAT has no accessor in the shim; its value is fixed
    // by the file format's API (H5Fpublic.h).
    private static let accessRDWR = chdf5_acc_rdwr(), accessTrunc = chdf5_acc_trunc(), accessExcl = chdf5_acc_excl()
    private static let accessCreate: UInt32 = 0x0010

    /// `H5FD_t` first (HDF5 fills its public fields), then the retained `RollbackFile`.
    private static let stateOffset = (MemoryLayout<H5FD_t>.stride + 15) & ~15
    private static let featureFlags: UInt = UInt(
        H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA_WRITE | H5FD_FEAT_ACCUMULATE_METADATA_READ
            | H5FD_FEAT_DATA_SIEVE | H5FD_FEAT_AGGREGATE_SMALLDATA | H5FD_FEAT_POSIX_COMPAT_HANDLE
            | H5FD_FEAT_SUPPORTS_SWMR_IO | H5FD_FEAT_DEFAULT_VFD_COMPATIBLE)

    private static func file(_ handle: UnsafePointer<H5FD_t>?) -> RollbackFile {
        let raw = UnsafeRawPointer(handle!)
        return Unmanaged<RollbackFile>.fromOpaque(raw.load(fromByteOffset: stateOffset, as: UnsafeRawPointer.self))
            .takeUnretainedValue()
    }

    private static func open(_ name: UnsafePointer<CChar>?, _ flags: UInt32, _ access: hid_t) -> UnsafeMutablePointer<H5FD_t>? {
        guard let name, let info = H5Pget_driver_info(access) else { return nil }
        let journal = Unmanaged<RollbackJournal>.fromOpaque(info.load(as: UnsafeRawPointer.self)).takeUnretainedValue()
        var openFlags = O_CLOEXEC | (flags & accessRDWR != 0 ? O_RDWR : O_RDONLY)
        if flags & accessTrunc != 0 { openFlags |= O_TRUNC }
        if flags & accessCreate != 0 { openFlags |= O_CREAT }
        if flags & accessExcl != 0 { openFlags |= O_EXCL }
        let fd = Glibc.open(name, openFlags, 0o666)
        guard fd >= 0 else { return nil }
        let opened: RollbackFile
        do { opened = try RollbackFile(descriptor: fd, journal: journal) } catch {
            Glibc.close(fd)
            return nil
        }
        journal.opened(opened)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: stateOffset + MemoryLayout<UnsafeRawPointer>.size,
                                                      alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: stateOffset)
        memory.storeBytes(of: UnsafeRawPointer(Unmanaged.passRetained(opened).toOpaque()), toByteOffset: stateOffset,
                          as: UnsafeRawPointer.self)
        return memory.bindMemory(to: H5FD_t.self, capacity: 1)
    }

    private static func close(_ handle: UnsafeMutablePointer<H5FD_t>?) -> herr_t {
        let raw = UnsafeMutableRawPointer(handle!)
        let retained = Unmanaged<RollbackFile>.fromOpaque(raw.load(fromByteOffset: stateOffset, as: UnsafeRawPointer.self))
        let closing = retained.takeUnretainedValue()
        if let journal = closing.journal {
            journal.closedByHDF5(closing)
        } else {
            // The writer is gone (HDF5 closes what was left at exit): a failed file still goes back to its commit.
            if closing.isDetached { closing.restore() }
            closing.releasedByHDF5()
        }
        retained.release()
        raw.deallocate()
        return 0
    }

    private static func makeClass() -> H5FD_class_t {
        var driver = H5FD_class_t()
        driver.name = UnsafePointer(strdup("mosquito-rollback"))
        driver.maxaddr = haddr_t(Int64.max)
        driver.fc_degree = H5F_CLOSE_WEAK
        driver.fapl_size = MemoryLayout<UnsafeRawPointer>.size
        driver.open = { name, flags, access, _ in RollbackDriver.open(name, flags, access) }
        driver.close = { RollbackDriver.close($0) }
        driver.cmp = { a, b in
            let (x, y) = (RollbackDriver.file(a), RollbackDriver.file(b))
            return x.device != y.device ? (x.device < y.device ? -1 : 1) : (x.inode == y.inode ? 0 : (x.inode < y.inode ? -1 : 1))
        }
        driver.query = { _, flags in
            flags?.pointee = RollbackDriver.featureFlags
            return 0
        }
        driver.get_eoa = { handle, _ in haddr_t(RollbackDriver.file(handle).endOfAllocation) }
        driver.set_eoa = { handle, _, address in
            RollbackDriver.file(handle).endOfAllocation = UInt64(address)
            return 0
        }
        driver.get_eof = { handle, _ in haddr_t(RollbackDriver.file(handle).length) }
        driver.get_handle = { handle, _, out in
            out?.pointee = UnsafeMutableRawPointer(RollbackDriver.file(handle).descriptor)
            return 0
        }
        driver.read = { handle, _, _, address, size, buffer in
            RollbackDriver.file(handle).read(UnsafeMutableRawBufferPointer(start: buffer, count: size), at: UInt64(address)) ? 0 : -1
        }
        driver.write = { handle, _, _, address, size, buffer in
            RollbackDriver.file(handle).write(UnsafeRawBufferPointer(start: buffer, count: size), at: UInt64(address)) ? 0 : -1
        }
        driver.truncate = { handle, _, _ in RollbackDriver.file(handle).truncateToAllocation() ? 0 : -1 }
        driver.lock = { handle, exclusive in RollbackDriver.file(handle).lock(exclusive: exclusive) ? 0 : -1 }
        driver.unlock = { handle in RollbackDriver.file(handle).unlock() ? 0 : -1 }
        driver.fl_map = (H5FD_MEM_SUPER, H5FD_MEM_SUPER, H5FD_MEM_SUPER, H5FD_MEM_DRAW, H5FD_MEM_DRAW, H5FD_MEM_SUPER,
                         H5FD_MEM_SUPER)
        return driver
    }
}
