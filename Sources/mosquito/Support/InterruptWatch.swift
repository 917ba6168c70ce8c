import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a clean stop instead of a killed process with a half-written file.
final class InterruptWatch {
    private let sources: [any DispatchSourceSignal]

    init(onInterrupt: @escaping @Sendable () -> Void) {
        ProcessSignals.restoreDefaults([SIGINT, SIGTERM])
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler(handler: onInterrupt)
            source.resume()
            return source
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

enum ProcessSignals {
    /// Default dispositions and an unblocked mask, whatever the parent left us with.
    static func restoreDefaults(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals {
            signal(s, SIG_DFL)
            sigaddset(&set, s)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// A write past the file-size limit (`ulimit -f`) raises SIGXFSZ, whose default action kills the process
    /// before it can say anything and leaves a CSV cut mid-line. Ignored, the write fails with EFBIG instead,
    /// and the write-failure handling stops the run with one `Error:` line and a file as of its last flush.
    static func ignoreFileSizeLimitSignal() {
        signal(SIGXFSZ, SIG_IGN)
    }
}
