/// A writer's hold on the files HDF5 opens for it through `RollbackDriver`: commit after every successful flush
/// (and after a successful close), abandon after any failure, and the file reads back exactly as it was at the
/// last commit.
///
/// It speaks for every descriptor HDF5 opened with it: HDF5 may open a file more than once while creating it.
final class RollbackJournal {
    let disk: any RecordingDisk
    private var files: [RollbackFile] = []
    /// The first write the disk refused: the cause a user needs to hear ("No space left on device").
    private(set) var failure: DiskError?

    init(disk: any RecordingDisk) { self.disk = disk }

    func opened(_ file: RollbackFile) { files.append(file) }

    func closedByHDF5(_ file: RollbackFile) {
        file.releasedByHDF5()
        // Kept while it may still have to be rolled back (a failing close reports its failure after this).
        if !file.hasChanged || file.isRolledBack { drop(file) }
    }

    func record(_ error: DiskError) {
        if failure == nil { failure = error }
    }

    /// Makes the current content the state to return to. Refuses if a write failed meanwhile: HDF5 swallows some
    /// failed writes (a chunk it fails to evict is retried later), and then the flush did not put everything on disk.
    func commit() throws(DiskError) {
        if let failure { throw failure }
        for file in files { file.commit() }
        for file in files where !file.isOpenInHDF5 { drop(file) }
    }

    /// Returns every file to its last commit; no later write reaches the disk. Returns what stopped the restore.
    func abandon() -> DiskError? {
        var restoreError: DiskError?
        for file in files {
            if let error = file.rollBack(), restoreError == nil { restoreError = error }
        }
        for file in files where !file.isOpenInHDF5 { drop(file) }
        return restoreError
    }

    private func drop(_ file: RollbackFile) {
        file.closeDescriptor()
        files.removeAll { $0 === file }
    }
}
