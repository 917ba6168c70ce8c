/// A writer's hold on the files HDF5 opens for it through `RollbackDriver`: commit after every successful flush
/// (and after a successful close); after any failure, `abandon`, let HDF5 release the file, then `restore`, and
/// the file reads back exactly as it was at the last commit.
///
/// It speaks for every descriptor HDF5 opened with it: HDF5 may open a file more than once while creating it.
final class RollbackJournal {
    let disk: any RecordingDisk
    private var files: [RollbackFile] = []
    /// The first write the disk refused: the cause a user needs to hear ("No space left on device").
    private(set) var failure: DiskError?
    private var restoreError: DiskError?

    init(disk: any RecordingDisk) { self.disk = disk }

    func opened(_ file: RollbackFile) { files.append(file) }

    /// A detached file is restored as soon as HDF5 has written its last byte to it. A changed one stays until the
    /// journal commits or restores: a failing `H5Fclose` closes its file before it reports the failure.
    func closedByHDF5(_ file: RollbackFile) {
        file.releasedByHDF5()
        if file.isDetached, let error = file.restore(), restoreError == nil { restoreError = error }
        if !file.hasChanged || file.isRestored { drop(file) }
    }

    func record(_ error: DiskError) {
        if failure == nil { failure = error }
    }

    /// Makes the current content the state to return to, unless a write failed meanwhile (HDF5 was told it
    /// succeeded: see `RollbackFile`).
    func commit() throws(DiskError) {
        if let failure { throw failure }
        for file in files { file.commit() }
        for file in files where !file.isOpenInHDF5 { drop(file) }
    }

    /// From now on the disk takes nothing more; HDF5 can still finish and close against its own writes.
    func abandon() {
        for file in files { file.detach() }
    }

    /// Puts every file back at its last commit (those HDF5 has released were already). Returns what stopped a restore.
    func restore() -> DiskError? {
        for file in files {
            if let error = file.restore(), restoreError == nil { restoreError = error }
        }
        for file in files where !file.isOpenInHDF5 { drop(file) }
        return restoreError
    }

    private func drop(_ file: RollbackFile) {
        file.closeDescriptor()
        files.removeAll { $0 === file }
    }
}
