/// Where an instrument is: what `--device` takes.
public enum DeviceURI: Sendable, Equatable, CustomStringConvertible {
    /// The built-in simulated instrument, in process; options tune it (`sim?channels=16&seed=7&serial=MQ-X`).
    case simulator(options: [String: String])
    /// Any tty: CDC-ACM, UART adapter, or a pseudo-terminal.
    case serial(path: String)
    case usb(vendorID: UInt16, productID: UInt16, serial: String?)
    /// A recording played back as a device; `speed` 1 is real time, 0 as fast as possible.
    case replay(path: String, speed: Double)

    public init(parsing text: String) throws(DeviceURIError) {
        if text == "sim" || text.hasPrefix("sim?") {
            var options: [String: String] = [:]
            if let q = text.firstIndex(of: "?") {
                for pair in text[text.index(after: q)...].split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard kv.count == 2, !kv[0].isEmpty else { throw .malformed(text, "option '\(pair)' is not key=value") }
                    options[kv[0]] = kv[1]
                }
            }
            self = .simulator(options: options)
            return
        }
        // `sim:` reads like the other schemes' `scheme:PART`, but the simulator has no part to name.
        if text.hasPrefix("sim:") {
            throw .malformed(text, "sim takes no ':' part; options go after '?', e.g. sim?channels=8")
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw .malformed(text, "expected sim, serial:PATH, usb:VID:PID[:SERIAL] or replay:FILE[:SPEED]")
        }
        let scheme = text[..<colon]
        let rest = String(text[text.index(after: colon)...])
        switch scheme {
        case "serial":
            guard rest.hasPrefix("/") else { throw .malformed(text, "serial path must be absolute") }
            self = .serial(path: rest)
        case "usb":
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, parts[0].count == 4, parts[1].count == 4,
                let vid = UInt16(parts[0], radix: 16), let pid = UInt16(parts[1], radix: 16)
            else { throw .malformed(text, "expected usb:VVVV:PPPP[:SERIAL] with 4-digit hex IDs") }
            let serial = parts.count == 3 ? parts[2] : nil
            if let s = serial, s.isEmpty { throw .malformed(text, "empty serial number") }
            self = .usb(vendorID: vid, productID: pid, serial: serial)
        case "replay":
            var path = rest
            var speed = 1.0
            if let last = rest.lastIndex(of: ":"), let s = Double(rest[rest.index(after: last)...]) {
                guard s >= 0, s.isFinite else { throw .malformed(text, "replay speed must be 0 (fastest) or positive") }
                speed = s
                path = String(rest[..<last])
            }
            guard !path.isEmpty else { throw .malformed(text, "replay needs a file") }
            self = .replay(path: path, speed: speed)
        default:
            throw .malformed(text, "unknown scheme '\(scheme)'; expected sim, serial, usb or replay")
        }
    }

    /// Which driver opens it: each registers its scheme with the ``DeviceOpener``.
    public enum Scheme: String, Sendable, Hashable {
        case simulator = "sim", serial, usb, replay
    }

    public var scheme: Scheme {
        switch self {
        case .simulator: .simulator
        case .serial: .serial
        case .usb: .usb
        case .replay: .replay
        }
    }

    public var description: String {
        switch self {
        case .simulator(let o):
            o.isEmpty ? "sim" : "sim?" + o.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        case .serial(let p): "serial:" + p
        case .usb(let v, let p, let s):
            "usb:" + hex4(v) + ":" + hex4(p) + (s.map { ":" + $0 } ?? "")
        case .replay(let p, let s): "replay:\(p):\(s)"
        }
    }
}

private func hex4(_ v: UInt16) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 4 - s.count) + s
}

public enum DeviceURIError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String, String)
    public var description: String {
        switch self {
        case .malformed(let uri, let why): "bad device URI '\(uri)': \(why)"
        }
    }
}
