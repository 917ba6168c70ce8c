import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tmpfs of a chosen size mounted for one test: a disk that really fills up. Mounting needs root (CI runs as
/// root); where it is impossible `mount` returns nil and the caller runs its injected-failure variant instead, so
/// the test never silently skips.
public final class SmallTmpfs {
    public let directory: String
    private var isMounted = true

    /// Mounts a fresh tmpfs of `bytes` (rounded up to whole pages) on a new directory under the temporary directory.
    public static func mount(bytes: Int) -> SmallTmpfs? {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mosquito-tmpfs-\(UUID().uuidString)").path
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil
        else { return nil }
        guard Glibc.mount("tmpfs", directory, "tmpfs", 0, "size=\(bytes),mode=0755") == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            return nil
        }
        return SmallTmpfs(directory: directory)
    }

    private init(directory: String) { self.directory = directory }

    deinit { unmount() }

    /// Detaches the tmpfs (lazily if a file on it is still open) and removes the mount point.
    public func unmount() {
        guard isMounted else { return }
        isMounted = false
        if umount(directory) != 0 { _ = umount2(directory, Int32(MNT_DETACH)) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
