/// The `type` byte of a frame. Unknown values are representable, so a receiver can answer UNKNOWN_TYPE.
public struct MessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    // Host → device requests.
    public static let hello = MessageType(rawValue: 0x01)
    public static let configure = MessageType(rawValue: 0x02)
    public static let start = MessageType(rawValue: 0x03)
    public static let stop = MessageType(rawValue: 0x04)
    public static let getCalibration = MessageType(rawValue: 0x05)
    public static let setCalibration = MessageType(rawValue: 0x06)
    public static let ping = MessageType(rawValue: 0x07)

    // Device → host, unsolicited.
    public static let samples = MessageType(rawValue: 0x40)
    public static let status = MessageType(rawValue: 0x41)
    public static let log = MessageType(rawValue: 0x42)

    /// Every reply's type is its request's type with the high bit set.
    public var reply: MessageType { MessageType(rawValue: 0x80 | rawValue) }
    public var isReply: Bool { rawValue & 0x80 != 0 }
    public var request: MessageType { MessageType(rawValue: rawValue & 0x7F) }

    public var description: String {
        let names: [UInt8: String] = [
            0x01: "HELLO", 0x02: "CONFIGURE", 0x03: "START", 0x04: "STOP", 0x05: "GET_CALIBRATION",
            0x06: "SET_CALIBRATION", 0x07: "PING", 0x40: "SAMPLES", 0x41: "STATUS", 0x42: "LOG",
        ]
        if let name = names[rawValue] { return name }
        if isReply, let name = names[rawValue & 0x7F] { return name + "_REPLY" }
        return "0x" + String(rawValue, radix: 16)
    }
}

/// The first byte of every reply payload.
public enum Status: UInt8, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case unknownType = 1
    case badLength = 2
    case badArgument = 3
    case busy = 4
    case storageFailed = 5
    case unsupportedVersion = 6
    case notConfigured = 7

    public var description: String {
        switch self {
        case .ok: "OK"
        case .unknownType: "UNKNOWN_TYPE"
        case .badLength: "BAD_LENGTH"
        case .badArgument: "BAD_ARGUMENT"
        case .busy: "BUSY"
        case .storageFailed: "STORAGE_FAILED"
        case .unsupportedVersion: "UNSUPPORTED_VERSION"
        case .notConfigured: "NOT_CONFIGURED"
        }
    }
}

/// Why a payload could not be understood.
public enum MessageError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated
    case trailingBytes(Int)
    case unknownType(UInt8)
    case unknownStatus(UInt8)
    /// The first byte of a fixed-width string that is not allowed where it stands.
    case nonASCII(field: String, byte: UInt8)
    case stringTooLong(field: String, width: Int)
    case invalidValue(String)

    public var description: String {
        switch self {
        case .truncated: "payload truncated"
        case .trailingBytes(let n): "\(n) unexpected trailing byte" + (n == 1 ? "" : "s")
        case .unknownType(let t): "unknown message type 0x\(String(t, radix: 16))"
        case .unknownStatus(let s): "unknown status code \(s)"
        // A printable byte is refused only where the NUL padding should be.
        case .nonASCII(let f, let b) where b >= 0x20 && b < 0x7F:
            "\(f) has byte 0x\(String(b, radix: 16)) after its NUL padding"
        case .nonASCII(let f, let b): "\(f) contains byte 0x" + (b < 0x10 ? "0" : "") + String(b, radix: 16)
        case .stringTooLong(let f, let w): "\(f) longer than \(w) bytes"
        case .invalidValue(let why): why
        }
    }
}

/// Protocol constants that firmware and host must agree on.
public enum MWP {
    public static let version: UInt8 = 1
    /// Decoded frame: version, type, seq (4 bytes) + payload + CRC (4 bytes).
    public static let headerLength = 4
    public static let crcLength = 4
    public static let maxFrameLength = 4096
    public static let maxPayloadLength = maxFrameLength - headerLength - crcLength
    /// The most encoded bytes a receiver buffers for one frame before it resynchronises.
    public static let maxEncodedFrameLength = COBS.maxEncodedLength(maxFrameLength)
}
