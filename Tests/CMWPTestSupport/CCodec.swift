public import CMWP

/// A C codec call that did not return MWP_OK, named as in mwp_result_name ("crc", "field", ...).
public struct CCodecError: Error, Equatable, CustomStringConvertible {
    public let result: mwp_result
    public init(result: mwp_result) { self.result = result }
    public var description: String { String(cString: mwp_result_name(result)) }
}

/// Test-side seam over the C codec: every C call goes through `check`, and fixed-size C arrays are converted
/// to and from Swift values here only.
public enum CCodec {
    public static func check(_ result: mwp_result) throws {
        guard result == MWP_OK else { throw CCodecError(result: result) }
    }

    /// Runs a C encoder against a payload-sized buffer and returns the bytes it wrote.
    public static func encoding(
        capacity: Int = Int(MWP_MAX_PAYLOAD_LEN),
        _ body: (UnsafeMutablePointer<UInt8>, Int, UnsafeMutablePointer<Int>) -> mwp_result
    ) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: capacity)
        var length = 0
        let result = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count, &length) }
        try check(result)
        return Array(buffer[..<length])
    }

    public static func frame(type: UInt8, seq: UInt16, payload: [UInt8]) throws -> [UInt8] {
        try encoding(capacity: Int(MWP_MAX_WIRE_LEN)) { wire, cap, length in
            payload.withUnsafeBufferPointer { mwp_frame_encode(type, seq, $0.baseAddress, $0.count, wire, cap, length) }
        }
    }

    public static func cobsEncode(_ bytes: [UInt8]) throws -> [UInt8] {
        try encoding(capacity: bytes.count + bytes.count / 254 + 1) { dst, cap, length in
            bytes.withUnsafeBufferPointer { mwp_cobs_encode($0.baseAddress, $0.count, dst, cap, length) }
        }
    }

    public static func cobsDecode(_ bytes: [UInt8], capacity: Int = Int(MWP_MAX_FRAME_LEN)) throws -> [UInt8] {
        try encoding(capacity: capacity) { dst, cap, length in
            bytes.withUnsafeBufferPointer { mwp_cobs_decode($0.baseAddress, $0.count, dst, cap, length) }
        }
    }

    public static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { mwp_crc32c($0.baseAddress, $0.count) }
    }
}

// MARK: Fixed-width C strings

public enum CString {
    /// Copies `value` into a C `char[N]` tuple; the C encoder validates it.
    public static func store<T>(_ value: String, into field: inout T) {
        withUnsafeMutableBytes(of: &field) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            let bytes = Array(value.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
        }
    }

    public static func load<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

// MARK: Records

extension mwp_calibration {
    public init(_ f: Fields) {
        self.init()
        channel = f.channel!
        degree = f.degree!
        let c = f.coefficients!
        coefficients = (c[0], c[1], c[2], c[3])
        calibrated_at = f.calibrated_at!
        CString.store(f.technician!, into: &technician)
    }

    public func store(into f: inout Fields) {
        f.channel = channel
        f.degree = degree
        f.coefficients = [coefficients.0, coefficients.1, coefficients.2, coefficients.3]
        f.calibrated_at = calibrated_at
        f.technician = CString.load(technician)
    }
}

extension mwp_identity {
    public init(_ f: Fields) {
        self.init()
        CString.store(f.serial!, into: &serial)
        CString.store(f.design!, into: &design)
        hardware_revision = f.hardware_revision!
        let version = f.firmware!.split(separator: ".").map { UInt8($0)! }
        (fw_major, fw_minor, fw_patch) = (version[0], version[1], version[2])
        channel_count = f.channel_count!
        max_rate_hz = f.max_rate_hz!
        let records = f.channels!
        withUnsafeMutableBytes(of: &channels) { raw in
            let slots = raw.bindMemory(to: mwp_channel.self)
            for (i, c) in records.enumerated() where i < slots.count {
                var ch = mwp_channel()
                ch.kind = c.kind
                ch.adc_bits = c.adc_bits
                CString.store(c.unit, into: &ch.unit)
                CString.store(c.name, into: &ch.name)
                ch.raw_min = c.raw_min
                ch.raw_max = c.raw_max
                slots[i] = ch
            }
        }
    }

    public func store(into f: inout Fields) {
        f.serial = CString.load(serial)
        f.design = CString.load(design)
        f.hardware_revision = hardware_revision
        f.firmware = "\(fw_major).\(fw_minor).\(fw_patch)"
        f.channel_count = channel_count
        f.max_rate_hz = max_rate_hz
        let count = Int(channel_count)
        f.channels = withUnsafeBytes(of: channels) { raw in
            raw.bindMemory(to: mwp_channel.self).prefix(count).map { ch in
                Fields.Channel(
                    kind: ch.kind, adc_bits: ch.adc_bits, unit: CString.load(ch.unit), name: CString.load(ch.name),
                    raw_min: ch.raw_min, raw_max: ch.raw_max)
            }
        }
    }
}

// MARK: Messages

extension CCodec {
    /// Encodes a message's fields to its payload with the matching C encoder.
    public static func encodePayload(type: UInt8, _ f: Fields) throws -> [UInt8] {
        switch type {
        case 0x01:
            return try encoding { mwp_encode_hello(f.host_version!, $0, $1, $2) }
        case 0x02:
            var c = mwp_configure(rate_hz: f.rate_hz!, channel_mask: f.channel_mask!)
            return try encoding { mwp_encode_configure(&c, $0, $1, $2) }
        case 0x03, 0x04:
            return []
        case 0x05:
            return try encoding { mwp_encode_get_calibration(f.channel!, $0, $1, $2) }
        case 0x06:
            var cal = mwp_calibration(f)
            return try encoding { mwp_encode_set_calibration(&cal, $0, $1, $2) }
        case 0x07:
            return try encoding { mwp_encode_ping(f.host_time_ns!, $0, $1, $2) }
        case 0x81:
            if f.status != 0 { return try encoding { mwp_encode_identity(f.status!, nil, $0, $1, $2) } }
            var id = mwp_identity(f)
            return try encoding { mwp_encode_identity(0, &id, $0, $1, $2) }
        case 0x82, 0x83, 0x84, 0x86:
            return try encoding { mwp_encode_status_reply(f.status!, $0, $1, $2) }
        case 0x85:
            if f.status != 0 { return try encoding { mwp_encode_calibration_reply(f.status!, nil, $0, $1, $2) } }
            var cal = mwp_calibration(f)
            return try encoding { mwp_encode_calibration_reply(0, &cal, $0, $1, $2) }
        case 0x87:
            if f.status != 0 { return try encoding { mwp_encode_pong(f.status!, nil, $0, $1, $2) } }
            var pong = mwp_pong(host_time_ns: f.host_time_ns!, device_time_us: f.device_time_us!)
            return try encoding { mwp_encode_pong(0, &pong, $0, $1, $2) }
        case 0x40:
            var h = mwp_samples_header(
                first_index: f.first_index!, device_time_us: f.device_time_us!, channel_mask: f.channel_mask!,
                count: f.count!)
            let values = f.values!.flatMap { $0 }
            return try encoding { buf, cap, len in
                values.withUnsafeBufferPointer { mwp_encode_samples(&h, $0.baseAddress, $0.count, buf, cap, len) }
            }
        case 0x41:
            var s = mwp_device_status(
                flags: f.flags!, dropped_total: f.dropped_total!, temperature_centi_c: f.temperature_centi_c!)
            return try encoding { mwp_encode_device_status(&s, $0, $1, $2) }
        case 0x42:
            let text = Array(f.text!.utf8)
            return try encoding { buf, cap, len in
                text.withUnsafeBufferPointer { t in
                    t.withMemoryRebound(to: CChar.self) { mwp_encode_log(f.level!, $0.baseAddress, $0.count, buf, cap, len) }
                }
            }
        default:
            throw CCodecError(result: MWP_ERR_TYPE)
        }
    }

    /// Decodes a payload of the given type with the matching C decoder.
    public static func decodePayload(type: UInt8, _ payload: [UInt8]) throws -> Fields {
        try payload.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress
            let n = buffer.count
            var f = Fields()
            switch type {
            case 0x01:
                var v: UInt8 = 0
                try check(mwp_decode_hello(p, n, &v))
                f.host_version = v
            case 0x02:
                var c = mwp_configure()
                try check(mwp_decode_configure(p, n, &c))
                f.rate_hz = c.rate_hz
                f.channel_mask = c.channel_mask
            case 0x03, 0x04:
                try check(mwp_decode_empty(p, n))
            case 0x05:
                var channel: UInt8 = 0
                try check(mwp_decode_get_calibration(p, n, &channel))
                f.channel = channel
            case 0x06:
                var cal = mwp_calibration()
                try check(mwp_decode_set_calibration(p, n, &cal))
                cal.store(into: &f)
            case 0x07:
                var t: UInt64 = 0
                try check(mwp_decode_ping(p, n, &t))
                f.host_time_ns = t
            case 0x81:
                var status: UInt8 = 0xFF
                var id = mwp_identity()
                try check(mwp_decode_identity(p, n, &status, &id))
                f.status = status
                if status == 0 { id.store(into: &f) }
            case 0x82, 0x83, 0x84, 0x86:
                var status: UInt8 = 0xFF
                try check(mwp_decode_status_reply(p, n, &status))
                f.status = status
            case 0x85:
                var status: UInt8 = 0xFF
                var cal = mwp_calibration()
                try check(mwp_decode_calibration_reply(p, n, &status, &cal))
                f.status = status
                if status == 0 { cal.store(into: &f) }
            case 0x87:
                var status: UInt8 = 0xFF
                var pong = mwp_pong()
                try check(mwp_decode_pong(p, n, &status, &pong))
                f.status = status
                if status == 0 {
                    f.host_time_ns = pong.host_time_ns
                    f.device_time_us = pong.device_time_us
                }
            case 0x40:
                var h = mwp_samples_header()
                var values = [Int32](repeating: 0, count: Int(MWP_MAX_SAMPLE_VALUES))
                try values.withUnsafeMutableBufferPointer {
                    try check(mwp_decode_samples(p, n, &h, $0.baseAddress, $0.count))
                }
                let width = Int(mwp_popcount32(h.channel_mask))
                f.first_index = h.first_index
                f.device_time_us = h.device_time_us
                f.channel_mask = h.channel_mask
                f.count = h.count
                f.values = (0..<Int(h.count)).map { Array(values[$0 * width..<($0 + 1) * width]) }
            case 0x41:
                var s = mwp_device_status()
                try check(mwp_decode_device_status(p, n, &s))
                f.flags = s.flags
                f.dropped_total = s.dropped_total
                f.temperature_centi_c = s.temperature_centi_c
            case 0x42:
                var level: UInt8 = 0
                var text: UnsafePointer<CChar>?
                var length = 0
                try check(mwp_decode_log(p, n, &level, &text, &length))
                f.level = level
                f.text = text.map { t in
                    t.withMemoryRebound(to: UInt8.self, capacity: length) {
                        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                    }
                } ?? ""
            default:
                throw CCodecError(result: MWP_ERR_TYPE)
            }
            return f
        }
    }
}

// MARK: Streaming receiver

/// What a receiver reports, in order.
public enum ReceiverEvent: Equatable, CustomStringConvertible, Sendable {
    case frame(type: UInt8, seq: UInt16, payload: [UInt8])
    case error(String)

    public var description: String {
        switch self {
        case .frame(let type, let seq, let payload): "frame(0x\(String(type, radix: 16)) seq \(seq), \(payload.count) B)"
        case .error(let name): "error(\(name))"
        }
    }
}

/// Owns one heap-allocated mwp_receiver (4 KiB; too large to move around by value).
public final class CReceiver {
    private let rx: UnsafeMutablePointer<mwp_receiver>

    public init() {
        rx = .allocate(capacity: 1)
        mwp_receiver_init(rx)
    }

    deinit { rx.deallocate() }

    public func feed(_ bytes: some Collection<UInt8>) -> [ReceiverEvent] {
        var events: [ReceiverEvent] = []
        Array(bytes).withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                var event = mwp_event()
                offset += mwp_receiver_feed(rx, buffer.baseAddress! + offset, buffer.count - offset, &event)
                switch event.kind {
                case MWP_EVENT_FRAME:
                    let f = event.frame
                    let payload = Array(UnsafeBufferPointer(start: f.payload, count: f.payload_len))
                    events.append(.frame(type: f.type, seq: f.seq, payload: payload))
                case MWP_EVENT_ERROR:
                    events.append(.error(CCodecError(result: event.error).description))
                default:
                    break
                }
            }
        }
        return events
    }
}
