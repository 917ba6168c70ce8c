import Device
import Foundation
import TestSupport
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
        p.executableURL = TestEnvironment.mosquito
        p.arguments = [
            "calibrate", "--device", "sim?serial=MQ-TTY-1", "--channel", "1", "--reference", "GB-7:0.5", "--points", "0,400,800",
            "--ascending-only", "--samples", "500", "--rate", "5000", "--technician", "tty.tech", "--history", "h.jsonl",
        ]
        p.currentDirectoryURL = dir
        p.standardInput = FileHandle(fileDescriptor: pty.slave.rawValue, closeOnDealloc: false)
        // Output goes to files: the whole of it is there once the process has exited, with no reader to drain.
        let outPath = dir.appendingPathComponent("stdout.txt"), errPath = dir.appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: outPath.path, contents: nil)
        FileManager.default.createFile(atPath: errPath.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: outPath)
        p.standardError = try FileHandle(forWritingTo: errPath)
        func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        try p.run()
        // Waits on the prompt, however long a loaded machine takes to settle three points; 300 s is only a guard.
        let deadline = Date(timeIntervalSinceNow: 300)
        while !text(errPath).contains("[y/N]") && p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let prompted = text(errPath).contains("[y/N]")
        #expect(prompted, "\(text(errPath))")
        if !prompted { p.terminate() }
        _ = Array("y\n".utf8).withUnsafeBytes { write(pty.master.rawValue, $0.baseAddress, $0.count) }
        p.waitUntilExit()
        let log = text(errPath), stdout = text(outPath)
        #expect(p.terminationStatus == 0, "\(log)")
        #expect(log.contains("Step 1/3 (ascending): apply 0 um") && log.contains("Step 3/3 (ascending): apply 800.0 um"))
        #expect(log.contains("STABLE"))
        #expect(log.components(separatedBy: "captured: mean").count - 1 == 3)
        #expect(stdout.contains("Accepted: written to MQ-TTY-1 channel 1"))
        let history = try String(contentsOf: dir.appendingPathComponent("h.jsonl"), encoding: .utf8)
        #expect(history.split(separator: "\n").count == 1 && history.contains("tty.tech"))
    }
}
