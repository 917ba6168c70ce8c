import Device
import Foundation
import Testing

/// The interactive procedure on a terminal: points are captured when the reading settles, and the technician's
/// "y" writes the calibration. stdin is a pseudo-terminal, so the command sees a real tty.
@Suite struct InteractiveCLITests {
    @Test func capturesWhenStableAndWritesAfterConfirmation() throws {
        let dir = try scratchDirectory()
        let pty = try PseudoTerminal()
        // PseudoTerminal is set up raw for the serial driver; a technician's terminal is canonical (line at a time,
        // reads block until Enter).
        var t = termios()
        tcgetattr(pty.slave.rawValue, &t)
        t.c_lflag |= tcflag_t(ICANON)
        t.c_cc.6 = 1  // VMIN
        tcsetattr(pty.slave.rawValue, TCSANOW, &t)
        let p = Process()
        p.executableURL = mosquitoBinary()
        p.arguments = [
            "calibrate", "--device", "sim?serial=MQ-TTY-1", "--channel", "1", "--reference", "GB-7:0.5", "--points", "0,400,800",
            "--ascending-only", "--samples", "500", "--rate", "5000", "--technician", "tty.tech", "--history", "h.jsonl",
        ]
        p.currentDirectoryURL = dir
        p.standardInput = FileHandle(fileDescriptor: pty.slave.rawValue, closeOnDealloc: false)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let stderrText = Accumulator()
        err.fileHandleForReading.readabilityHandler = { h in stderrText.append(h.availableData) }
        let stdoutText = Accumulator()
        out.fileHandleForReading.readabilityHandler = { h in stdoutText.append(h.availableData) }
        try p.run()
        let deadline = Date(timeIntervalSinceNow: 60)
        while !stderrText.text.contains("[y/N]") && p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(stderrText.text.contains("[y/N]"), "\(stderrText.text)")
        _ = Array("y\n".utf8).withUnsafeBytes { write(pty.master.rawValue, $0.baseAddress, $0.count) }
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.1)
        err.fileHandleForReading.readabilityHandler = nil
        out.fileHandleForReading.readabilityHandler = nil
        #expect(p.terminationStatus == 0, "\(stderrText.text)")
        let log = stderrText.text
        #expect(log.contains("Step 1/3 (ascending): apply 0 um") && log.contains("Step 3/3 (ascending): apply 800.0 um"))
        #expect(log.contains("STABLE"))
        #expect(log.components(separatedBy: "captured: mean").count - 1 == 3)
        #expect(stdoutText.text.contains("Accepted: written to MQ-TTY-1 channel 1"))
        let history = try String(contentsOf: dir.appendingPathComponent("h.jsonl"), encoding: .utf8)
        #expect(history.split(separator: "\n").count == 1 && history.contains("tty.tech"))
    }
}

final class Accumulator: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ d: Data) { lock.withLock { data.append(d) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
