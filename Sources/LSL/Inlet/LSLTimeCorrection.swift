#if canImport(Glibc)
import Glibc
#endif

/// How far an outlet's clock is from ours, measured as liblsl's time_correction measures it: `LSL:timedata`
/// probes to the stream's service port; from the probe with the shortest round trip, the offset of the remote
/// clock is ((t1 − t0) + (t2 − t3)) / 2.
public enum LSLTimeCorrection {
    public struct Estimate: Sendable, Equatable {
        /// Remote clock minus local clock, seconds: a remote stamp minus this is a local one.
        public var remoteMinusLocal: Double
        public var roundTrip: Double
    }

    public static func measure(host: String, servicePort: Int, probes: Int = 8, wait: Double = 0.5) -> Estimate? {
        guard let target = LSLSocketAddress(host: host, port: servicePort) else { return nil }
        let fd = socket(target.family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var best: Estimate?
        for wave in 1...max(1, probes) {
            let t0 = LSLClock.now()
            let probe = Array("LSL:timedata\r\n\(wave) \(LSLNumberText.timeField(t0))\r\n".utf8)
            guard target.withSockaddr({ sendto(fd, probe, probe.count, 0, $0, $1) }) == probe.count else { continue }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(wait * 1000)) == 1 else { continue }
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = recv(fd, &buffer, buffer.count, 0)
            let t3 = LSLClock.now()
            guard n > 0 else { continue }
            let words = String(decoding: buffer[0..<n], as: UTF8.self).split(whereSeparator: \.isWhitespace)
            guard words.count >= 4, Int(words[0]) == wave, let t1 = Double(words[2]), let t2 = Double(words[3]) else { continue }
            let estimate = Estimate(remoteMinusLocal: ((t1 - t0) + (t2 - t3)) / 2, roundTrip: (t3 - t0) - (t2 - t1))
            if best.map({ estimate.roundTrip < $0.roundTrip }) ?? true { best = estimate }
        }
        return best
    }
}
