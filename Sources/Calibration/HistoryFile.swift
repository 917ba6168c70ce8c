#if canImport(Glibc)
import Glibc
#endif
import Device

/// The history file's only system calls: open for append, an exclusive lock for the read-check-append, fsync.
/// Each failure becomes a typed `SystemError` (EINTR retried) and every descriptor is owned, so it is closed once.
enum HistoryFile {
    @inline(__always)
    static func call(_ name: String, _ body: () -> Int32) throws(SystemError) -> Int32 {
        while true {
            let r = body()
            if r != -1 { return r }
            if errno == EINTR { continue }
            throw SystemError(call: name, errno: errno)
        }
    }

    /// Appends `line` (one JSON document and its newline) under an exclusive lock, after `check` has seen every
    /// line already there; a throwing check writes nothing. The data is on disk (fsync) when this returns.
    static func append(
        path: String, line: [UInt8], check: ([UInt8]) throws(CalibrationError) -> Void
    ) throws(CalibrationError) {
        guard let fd = try openLocked(path, O_RDWR | O_APPEND | O_CREAT, LOCK_EX) else {
            throw .history("cannot create \(path)")
        }
        let existing: [UInt8]
        do throws(SystemError) { existing = try readAll(fd) } catch { throw .history(error.description) }
        try check(existing)
        do throws(SystemError) {
            let written: Result<Void, SystemError> = line.withUnsafeBytes { b in
                Result { () throws(SystemError) in try fd.writeAll(b) }
            }
            try written.get()
            _ = try call("fsync \(path)") { fsync(fd.rawValue) }
        } catch {
            throw .history(error.description)
        }
    }

    /// The whole file, read under a shared lock; a missing file is an empty history.
    static func read(path: String) throws(CalibrationError) -> [UInt8] {
        guard let fd = try openLocked(path, O_RDONLY, LOCK_SH) else { return [] }
        do throws(SystemError) { return try readAll(fd) } catch { throw .history(error.description) }
    }

    /// nil when the file does not exist (and was not to be created).
    private static func openLocked(_ path: String, _ flags: Int32, _ lock: Int32) throws(CalibrationError) -> FileDescriptor? {
        let raw: Int32
        do throws(SystemError) {
            raw = try call("open \(path)") { Glibc.open(path, flags | O_CLOEXEC, 0o644) }
        } catch where error.errno == ENOENT && flags & O_CREAT == 0 {
            return nil
        } catch {
            throw .history(error.description)
        }
        let fd = FileDescriptor(owning: raw)
        do throws(SystemError) { _ = try call("flock \(path)") { flock(fd.rawValue, lock) } } catch {
            throw .history(error.description)
        }
        return fd
    }

    private static func readAll(_ fd: borrowing FileDescriptor) throws(SystemError) -> [UInt8] {
        _ = try call("lseek") { Int32(truncatingIfNeeded: lseek(fd.rawValue, 0, SEEK_SET)) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got: Result<Int, SystemError> = chunk.withUnsafeMutableBytes { b in
                Result { () throws(SystemError) in try fd.read(into: b) }
            }
            let n = try got.get()
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }
}
