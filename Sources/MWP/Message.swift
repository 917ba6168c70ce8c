/// Every MWP/1 message as a value. The control path uses this; the sample hot path uses `SamplesView`.
public enum Message: Sendable, Equatable {
    case hello(hostVersion: UInt8)
    /// A reply with a non-OK status carries no record.
    case identity(Status, IdentityRecord?)
    case configure(rateHz: UInt32, channelMask: UInt32)
    case configureReply(Status)
    case start
    case startReply(Status)
    case stop
    case stopReply(Status)
    case getCalibration(channel: UInt8)
    case calibration(Status, CalibrationRecord?)
    case setCalibration(CalibrationRecord)
    case setCalibrationReply(Status)
    case ping(hostTimeNs: UInt64)
    /// With a non-OK status only the status is on the wire; the times read back as 0.
    case pong(Status, hostTimeNs: UInt64, deviceTimeUs: UInt64)
    case samples(SamplesPayload)
    case status(DeviceStatus)
    case log(level: UInt8, text: String)
    /// A reply to a request the device did not know (or any other bare-status reply of an unknown type).
    case errorReply(MessageType, Status)

    public var type: MessageType {
        switch self {
        case .hello: .hello
        case .identity: .hello.reply
        case .configure: .configure
        case .configureReply: .configure.reply
        case .start: .start
        case .startReply: .start.reply
        case .stop: .stop
        case .stopReply: .stop.reply
        case .getCalibration: .getCalibration
        case .calibration: .getCalibration.reply
        case .setCalibration: .setCalibration
        case .setCalibrationReply: .setCalibration.reply
        case .ping: .ping
        case .pong: .ping.reply
        case .samples: .samples
        case .status: .status
        case .log: .log
        case .errorReply(let t, _): t
        }
    }

    /// A host-to-device request: what a device acts on (``FirmwareWire`` answers anything else itself).
    public var isRequest: Bool {
        switch self {
        case .hello, .configure, .start, .stop, .getCalibration, .setCalibration, .ping: true
        default: false
        }
    }

    /// Checks what the wire format cannot carry, before anything is encoded.
    public func validate() throws(MessageError) {
        switch self {
        case .identity(let s, let record):
            guard (s == .ok) == (record != nil) else {
                throw .invalidValue("an identity reply carries a record exactly when its status is OK")
            }
            try record?.validate()
        case .calibration(let s, let record):
            guard (s == .ok) == (record != nil) else {
                throw .invalidValue("a calibration reply carries a record exactly when its status is OK")
            }
            try record?.validate()
        case .setCalibration(let record): try record.validate()
        case .samples(let block): try block.validate()
        case .log(_, let text):
            guard text.utf8.count <= MWP.maxPayloadLength - 1 else { throw .invalidValue("log text too long") }
        default: break
        }
    }

    public func encodePayload(into w: inout WireWriter) {
        switch self {
        case .hello(let v): w.u8(v)
        case .identity(let s, let record):
            w.u8(s.rawValue)
            record?.encode(into: &w)
        case .configure(let rate, let mask):
            w.u32(rate)
            w.u32(mask)
        case .configureReply(let s), .startReply(let s), .stopReply(let s), .setCalibrationReply(let s),
            .errorReply(_, let s):
            w.u8(s.rawValue)
        case .start, .stop: break
        case .getCalibration(let c): w.u8(c)
        case .calibration(let s, let record):
            w.u8(s.rawValue)
            record?.encode(into: &w)
        case .setCalibration(let record): record.encode(into: &w)
        case .ping(let t): w.u64(t)
        case .pong(let s, let t, let d):
            // An error reply is its status byte alone: a refused PING has no time to echo.
            w.u8(s.rawValue)
            if s == .ok {
                w.u64(t)
                w.u64(d)
            }
        case .samples(let block): block.encode(into: &w)
        case .status(let st):
            w.u32(st.flags.rawValue)
            w.u32(st.droppedTotal)
            w.i16(st.temperatureCentiC)
        case .log(let level, let text):
            w.u8(level)
            w.bytes.append(contentsOf: text.utf8)
        }
    }

    public static func decode(type: MessageType, payload: UnsafeRawBufferPointer) throws(MessageError) -> Message {
        // A frame cannot carry more; a parser called on raw bytes must not accept what no frame could hold.
        guard payload.count <= MWP.maxPayloadLength else {
            throw .invalidValue("payload of \(payload.count) bytes exceeds \(MWP.maxPayloadLength)")
        }
        var r = WireReader(payload)
        let message: Message
        switch type {
        case .hello: message = .hello(hostVersion: try r.u8())
        case .hello.reply:
            let s = try status(&r)
            message = .identity(s, s == .ok ? try IdentityRecord.decode(&r) : nil)
        case .configure: message = .configure(rateHz: try r.u32(), channelMask: try r.u32())
        case .configure.reply: message = .configureReply(try status(&r))
        case .start: message = .start
        case .start.reply: message = .startReply(try status(&r))
        case .stop: message = .stop
        case .stop.reply: message = .stopReply(try status(&r))
        case .getCalibration: message = .getCalibration(channel: try r.u8())
        case .getCalibration.reply:
            let s = try status(&r)
            message = .calibration(s, s == .ok ? try CalibrationRecord.decode(&r) : nil)
        case .setCalibration: message = .setCalibration(try CalibrationRecord.decode(&r))
        case .setCalibration.reply: message = .setCalibrationReply(try status(&r))
        case .ping: message = .ping(hostTimeNs: try r.u64())
        case .ping.reply:
            let s = try status(&r)
            message = s == .ok ? .pong(s, hostTimeNs: try r.u64(), deviceTimeUs: try r.u64()) : .pong(s, hostTimeNs: 0, deviceTimeUs: 0)
        case .samples: return .samples(SamplesPayload(try SamplesView(payload: payload)))
        case .status:
            message = .status(
                DeviceStatus(
                    flags: .init(rawValue: try r.u32()), droppedTotal: try r.u32(), temperatureCentiC: try r.i16()))
        case .log:
            let level = try r.u8()
            let text = r.rest()
            guard let s = String(validating: text, as: UTF8.self) else { throw .invalidValue("log text is not UTF-8") }
            return .log(level: level, text: s)
        default:
            guard type.isReply else { throw .unknownType(type.rawValue) }
            message = .errorReply(type, try status(&r))
        }
        try r.expectEnd()
        return message
    }

    private static func status(_ r: inout WireReader) throws(MessageError) -> Status {
        let raw = try r.u8()
        guard let s = Status(rawValue: raw) else { throw .unknownStatus(raw) }
        return s
    }
}
