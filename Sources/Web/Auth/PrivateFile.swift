#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The POSIX calls behind the tokens file, each turned into one typed error. The file is replaced, never
/// edited, so a running server that reads it sees either the old list or the new one, never half of either.
enum PrivateFile {
    /// Identity and shape of a file: any replace (new inode) or in-place edit (size, mtime) changes it.
    struct Fingerprint: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
    }

    /// nil when the file does not exist; any other failure is an error.
    static func fingerprint(_ path: String) throws(WebError) -> Fingerprint? {
        var s = stat()
        guard stat(path, &s) == 0 else {
            if errno == ENOENT { return nil }
            throw failure("stat", path)
        }
        #if canImport(Darwin)
        let mtime = s.st_mtimespec
        #else
        let mtime = s.st_mtim
        #endif
        return Fingerprint(device: UInt64(s.st_dev), inode: UInt64(s.st_ino), size: Int64(s.st_size),
                           modifiedSeconds: Int64(mtime.tv_sec), modifiedNanoseconds: Int64(mtime.tv_nsec))
    }

    /// Writes `data` to a fresh 0600 file beside `path` (a unique name, so two writers never share it),
    /// syncs it, then renames it over `path`: rename(2) replaces atomically, there is no moment without a file.
    static func replace(_ path: String, with data: Data) throws(WebError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create", temporary) }
        var written = 0
        let ok = data.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return fsync(fd) == 0
        }
        let error = ok ? nil : failure("write", temporary)
        close(fd)
        if let error {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("rename into", path)
            unlink(temporary)
            throw error
        }
        // The rename itself lives in the directory: sync it so a crash cannot bring a revoked token back.
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// An exclusive lock on `path + ".lock"` held for the life of the value: read–modify–write cycles by two
    /// CLI invocations (create while revoking) cannot lose each other's change and resurrect a revoked token.
    struct Lock: ~Copyable {
        private let fd: Int32

        init(beside path: String) throws(WebError) {
            let lockPath = path + ".lock"
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw PrivateFile.failure("open", lockPath) }
            while flock(fd, LOCK_EX) != 0 {
                if errno == EINTR { continue }
                let error = PrivateFile.failure("lock", lockPath)
                close(fd)
                throw error
            }
            self.fd = fd
        }

        deinit { close(fd) }  // closing releases the flock
    }

    static func failure(_ operation: String, _ path: String) -> WebError {
        .badConfiguration("cannot \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
