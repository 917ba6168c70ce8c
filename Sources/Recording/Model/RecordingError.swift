/// Everything that can go wrong recording or reading a run, each with one clear line for the CLI.
public enum RecordingError: Error, Equatable, CustomStringConvertible {
    /// The output could not be created (unwritable directory, exists already, …). Nothing was left behind.
    case cannotCreate(path: String, reason: String)
    /// Writing failed mid-run (disk full, I/O error). The file holds everything up to the last flush, and
    /// nothing after it. `reason` is one short line: the system's words ("No space left on device") when the
    /// disk refused a write.
    case writeFailed(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    /// The file opened but is not a mosquito recording this version understands.
    case notARecording(path: String, reason: String)
    /// Reading an opened recording failed (damaged file, I/O error).
    case readFailed(path: String, reason: String)
    case invalidInput(String)
    /// The sink was used after `close()` or after an earlier write failure.
    case closed(path: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): "cannot create recording \(path): \(reason)"
        case let .writeFailed(path, reason): "writing \(path) failed: \(reason); the file keeps what was written up to its last flush"
        case let .cannotOpen(path, reason): "cannot open recording \(path): \(reason)"
        case let .notARecording(path, reason): "\(path) is not a mosquito recording: \(reason)"
        case let .readFailed(path, reason): "reading recording \(path) failed: \(reason)"
        case let .invalidInput(reason): "invalid recording input: \(reason)"
        case let .closed(path): "recording \(path) is already closed"
        }
    }
}
