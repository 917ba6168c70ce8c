import MWP

/// Receives what an instrument sends on its own, on the session's reader thread, in arrival order.
///
/// `samples` is the hot path: the view borrows the decoder's buffer and is valid only during the call.
public protocol StreamConsumer: AnyObject, Sendable {
    func samples(_ view: SamplesView)
    func status(_ status: DeviceStatus)
    func log(level: UInt8, text: String)
    /// A chunk of bytes that should have been a frame and was not (CRC, COBS, length, version).
    func frameError(_ error: FrameError)
    /// The link is gone; nothing more will arrive.
    func linkLost(_ error: TransportError)
}

/// One PING exchange: the raw material of device→host clock mapping.
public struct PingRoundTrip: Sendable, Equatable, Codable {
    public var hostSendNs: UInt64
    public var hostReceiveNs: UInt64
    public var deviceTimeUs: UInt64
    public var roundTripNs: UInt64 { hostReceiveNs &- hostSendNs }
}

public enum DeviceError: Error, Equatable, Sendable, CustomStringConvertible {
    case transport(TransportError)
    case timeout(MessageType)
    case refused(MessageType, Status, String)
    case protocolViolation(String)
    /// A reply of the awaited type arrived and could not be read: the type (`0x80 | request`) and what is wrong.
    case malformedReply(MessageType, MessageError)
    case uri(DeviceURIError)

    public var description: String {
        switch self {
        case .transport(let e): e.description
        case .timeout(let t): "device did not answer \(t) in time"
        case .refused(let t, let s, let why): "device refused \(t) (\(s))" + (why.isEmpty ? "" : ": " + why)
        case .protocolViolation(let why): "protocol violation: \(why)"
        case .malformedReply(let type, let why): "\(Self.replyName(type)) reply is malformed: \(why)"
        case .uri(let e): e.description
        }
    }

    /// A reply as PROTOCOL.md §4.1 names it: IDENTITY, CALIBRATION and PONG have names of their own, the others
    /// are their request's reply.
    static func replyName(_ type: MessageType) -> String {
        switch type {
        case .hello.reply: "IDENTITY"
        case .getCalibration.reply: "CALIBRATION"
        case .ping.reply: "PONG"
        default: "\(type.request)"
        }
    }
}
