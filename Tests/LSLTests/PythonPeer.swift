import Foundation
import TestSupport

/// A Python program speaking lines on stdin/stdout: the tests wait for the lines it prints (events), never for
/// time. Its stderr is kept for failure messages (liblsl logs there).
final class PythonPeer: @unchecked Sendable {
    // Invariant for @unchecked Sendable: `lines` is iterated only by the one test that owns the peer; the
    // pipes' handlers touch only `stderrText` (locked) and the stream's continuation (thread-safe).
    private let process = Process()
    private let input = Pipe()
    private var lines: AsyncStream<String>.Iterator
    private let stderrLock = NSLock()
    private var stderrData = Data()

    static let script = TestEnvironment.packageRoot + "/Tests/LSLTests/Support/lsl_peer.py"

    /// `launcher`: a command the interpreter runs under (`ip netns exec NS env …`), if any.
    init(_ arguments: [String], script: String = PythonPeer.script, launcher: [String] = []) throws {
        signal(SIGPIPE, SIG_IGN)
        let output = Pipe(), errors = Pipe()
        let (stream, continuation) = AsyncStream<String>.makeStream()
        lines = stream.makeAsyncIterator()
        let command = launcher + [TestEnvironment.python, "-u", script] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let pending = PartialLine()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            for line in pending.append(data) { continuation.yield(line) }
        }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            self?.stderrLock.withLock { self?.stderrData.append(data) }
        }
        try process.run()
    }

    /// The rest of the next line starting with `prefix` (earlier lines are skipped); nil if the peer ended first.
    func line(_ prefix: String) async -> String? {
        while let line = await lines.next() {
            if line.hasPrefix(prefix) { return String(line.dropFirst(prefix.count)) }
        }
        return nil
    }

    /// The JSON object of the peer's `result` line.
    func result() async -> [String: Any]? {
        guard let text = await line("result ") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// A peer that already died makes this a no-op (and the test fails on the missing answer) rather than a
    /// SIGPIPE that would end the whole test process.
    func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    var stderr: String { stderrLock.withLock { String(decoding: stderrData, as: UTF8.self) } }

    func finish() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Ends a peer that waits for nothing on stdin. SIGKILL: liblsl's logger catches SIGTERM, and the peer would
    /// finish its current minute-long pull first.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Bytes of stdout not yet ending in a newline.
private final class PartialLine: @unchecked Sendable {
    // Invariant: `data` is touched only under `lock`.
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) -> [String] {
        lock.withLock {
            data.append(more)
            var out: [String] = []
            while let newline = data.firstIndex(of: 0x0A) {
                out.append(String(decoding: data[data.startIndex..<newline], as: UTF8.self))
                data.removeSubrange(data.startIndex...newline)
            }
            return out
        }
    }
}
