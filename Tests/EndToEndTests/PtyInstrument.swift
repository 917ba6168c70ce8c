import Foundation
import MWP

#if canImport(Glibc)
import Glibc
#endif

/// A hostile instrument on a serial port: the far end of a pseudo-terminal, answering each MWP/1 request the
/// program under test sends with whatever bytes `answer` gives (nil: silence).
final class PtyInstrument: @unchecked Sendable {
    let path: String
    private let master: Int32
    private let slave: Int32
    private let stopped = NSCondition()
    private var stopping = false
    private var running = true

    init(answer: @escaping @Sendable (Frame) -> [UInt8]?) throws {
        var m: Int32 = -1, s: Int32 = -1
        guard openpty(&m, &s, nil, nil, nil) == 0, let name = ttyname(s) else { throw PtyFailed(errno: errno) }
        master = m
        slave = s  // held, so the master never reads EIO between the program's open and close
        path = String(cString: name)
        var t = termios()
        tcgetattr(s, &t)
        cfmakeraw(&t)
        tcsetattr(s, TCSANOW, &t)
        let thread = Thread { [self] in serve(answer) }
        thread.start()
    }

    deinit {
        stop()
        close(master)
        close(slave)
    }

    func stop() {
        stopped.withLock {
            stopping = true
            while running { stopped.wait() }
        }
    }

    private func serve(_ answer: (Frame) -> [UInt8]?) {
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !stopped.withLock({ stopping }) {
            // A short poll only so that `stop` is noticed; requests are answered as soon as they arrive.
            var fd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&fd, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard n > 0 else { continue }
            decoder.append(Array(buffer[0..<n]))
            drain: while true {
                switch decoder.next() {
                case .needMoreData: break drain
                case .error: continue
                case .frame(let frame):
                    if let reply = answer(frame) { _ = reply.withUnsafeBytes { write(master, $0.baseAddress, $0.count) } }
                }
            }
        }
        stopped.withLock {
            running = false
            stopped.broadcast()
        }
    }

    struct PtyFailed: Error { let errno: Int32 }
}
