import CHDF5
import Foundation
import Synchronization

/// A failed HDF5 call: which C function failed and what HDF5's error stack said about it.
public struct HDF5Error: Error, Equatable, Sendable, CustomStringConvertible {
    public let operation: String
    public let message: String

    public var description: String { "\(operation) failed: \(message)" }

    /// Where it went wrong (the innermost entry of HDF5's stack, which `message` lists first), short enough for
    /// a one-line error; the whole stack is in `message`.
    public var cause: String {
        let innermost = message.components(separatedBy: "; ").first ?? message
        let line = "\(operation) failed: \(innermost)"
        return line.count <= 160 ? line : String(line.prefix(159)) + "…"
    }
}

/// The one seam every HDF5 C call goes through.
///
/// Each call and the reading of its error stack happen under one process-wide lock: a build of
/// libhdf5 without thread safety needs it, and with it the library serializes calls anyway.
enum HDF5 {
    private static let lock = Mutex(())

    /// Runs `body` (one C call) under the lock; a negative result becomes an `HDF5Error`.
    @discardableResult
    static func call<Result: BinaryInteger>(
        _ operation: String, _ body: () -> Result
    ) throws(HDF5Error) -> Result {
        if let fault = injectedFault, fault.fails(operation) {
            throw HDF5Error(operation: operation, message: "injected failure (test)")
        }
        let (result, message) = lock.withLock { _ -> (Result, String?) in
            // Errors reach callers as Swift errors; HDF5's own printing to stderr would duplicate them.
            _ = chdf5_silence_errors()
            let result = body()
            return (result, result < 0 ? currentErrorStack() : nil)
        }
        if let message {
            // One line: the CLI prints errors as a single line on stderr.
            let flat = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            throw HDF5Error(operation: operation, message: flat)
        }
        return result
    }

    /// For releasing handles in `deinit`, where nothing can be thrown.
    static func release(_ body: () -> herr_t) {
        _ = try? call("release", body)
    }

    private static func currentErrorStack() -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        let needed = chdf5_error_message(&buffer, buffer.count)
        if needed > buffer.count {
            buffer = [CChar](repeating: 0, count: needed)
            _ = chdf5_error_message(&buffer, buffer.count)
        }
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return message.isEmpty ? "no HDF5 error message" : message
    }
}
