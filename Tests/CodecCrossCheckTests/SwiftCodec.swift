import CMWPTestSupport
import MWP
import MosquitoModel

/// Test-side seam over the Swift codec, speaking the same `Fields` as the C seam so the two can be compared.
enum SwiftCodec {
    struct Unrepresentable: Error, CustomStringConvertible {
        let description: String
    }

    /// Encodes one frame with `FrameEncoder`.
    static func frame(type: UInt8, seq: UInt16, _ f: Fields) throws -> [UInt8] {
        var encoder = FrameEncoder(firstSeq: seq)
        var out: [UInt8] = []
        try encoder.encode(try message(type: type, f), into: &out)
        return out
    }

    /// Decodes a payload with `Message.decode`.
    static func decodePayload(type: UInt8, _ payload: [UInt8]) throws -> Fields {
        let message = try payload.withUnsafeBytes { p throws(MessageError) in
            try Message.decode(type: MessageType(rawValue: type), payload: p)
        }
        return fields(message)
    }

    /// Feeds `chunks` to one `FrameDecoder` and reports what it saw, in the C receiver's vocabulary.
    static func receive(_ chunks: [ArraySlice<UInt8>]) -> [ReceiverEvent] {
        var decoder = FrameDecoder()
        var events: [ReceiverEvent] = []
        for chunk in chunks {
            decoder.append(Array(chunk))
            loop: while true {
                switch decoder.next() {
                case .needMoreData: break loop
                case .frame(let f): events.append(.frame(type: f.type.rawValue, seq: f.seq, payload: Array(f.payload)))
                case .error(let e): events.append(.error(name(e)))
                }
            }
        }
        return events
    }

    static func name(_ error: FrameError) -> String {
        switch error {
        case .cobs: "cobs"
        case .crc: "crc"
        case .version: "version"
        case .length: "length"
        case .oversize: "oversize"
        }
    }

    static func status(_ raw: UInt8?) throws -> Status {
        guard let raw, let s = Status(rawValue: raw) else { throw Unrepresentable(description: "status \(String(describing: raw))") }
        return s
    }

    static func message(type: UInt8, _ f: Fields) throws -> Message {
        switch type {
        case 0x01: return .hello(hostVersion: f.host_version!)
        case 0x81:
            let s = try status(f.status)
            return .identity(s, s == .ok ? try identity(f) : nil)
        case 0x02: return .configure(rateHz: f.rate_hz!, channelMask: f.channel_mask!)
        case 0x82: return .configureReply(try status(f.status))
        case 0x03: return .start
        case 0x83: return .startReply(try status(f.status))
        case 0x04: return .stop
        case 0x84: return .stopReply(try status(f.status))
        case 0x05: return .getCalibration(channel: f.channel!)
        case 0x85:
            let s = try status(f.status)
            return .calibration(s, s == .ok ? calibration(f) : nil)
        case 0x06: return .setCalibration(calibration(f))
        case 0x86: return .setCalibrationReply(try status(f.status))
        case 0x07: return .ping(hostTimeNs: f.host_time_ns!)
        case 0x87: return .pong(try status(f.status), hostTimeNs: f.host_time_ns ?? 0, deviceTimeUs: f.device_time_us ?? 0)
        case 0x40:
            return .samples(
                SamplesPayload(
                    firstIndex: f.first_index!, deviceTimeUs: f.device_time_us!, channelMask: f.channel_mask!,
                    count: f.count!, values: f.values!.flatMap { $0 }))
        case 0x41:
            return .status(
                DeviceStatus(
                    flags: .init(rawValue: f.flags!), droppedTotal: f.dropped_total!,
                    temperatureCentiC: f.temperature_centi_c!))
        case 0x42: return .log(level: f.level!, text: f.text!)
        default: throw Unrepresentable(description: "type \(type)")
        }
    }

    static func identity(_ f: Fields) throws -> IdentityRecord {
        let v = f.firmware!.split(separator: ".").map { UInt8($0)! }
        return IdentityRecord(
            serial: f.serial!, design: f.design!, hardwareRevision: f.hardware_revision!,
            firmware: FirmwareVersion(major: v[0], minor: v[1], patch: v[2]), maxRateHz: f.max_rate_hz!,
            channels: try f.channels!.map { c in
                guard let kind = ChannelKind(code: c.kind) else { throw Unrepresentable(description: "kind \(c.kind)") }
                return ChannelDescriptor(
                    kind: kind, adcBits: Int(c.adc_bits), unit: c.unit, name: c.name, rawMin: c.raw_min, rawMax: c.raw_max)
            })
    }

    static func calibration(_ f: Fields) -> CalibrationRecord {
        CalibrationRecord(
            channel: f.channel!, degree: f.degree!, coefficients: f.coefficients!, calibratedAt: f.calibrated_at!,
            technician: f.technician!)
    }

    static func fields(_ m: Message) -> Fields {
        var f = Fields()
        switch m {
        case .hello(let v): f.host_version = v
        case .identity(let s, let record):
            f.status = s.rawValue
            if let r = record {
                f.serial = r.serial
                f.design = r.design
                f.hardware_revision = r.hardwareRevision
                f.firmware = r.firmware.description
                f.channel_count = UInt8(r.channels.count)
                f.max_rate_hz = r.maxRateHz
                f.channels = r.channels.map {
                    Fields.Channel(
                        kind: $0.kind.code, adc_bits: UInt8($0.adcBits), unit: $0.unit, name: $0.name, raw_min: $0.rawMin,
                        raw_max: $0.rawMax)
                }
            }
        case .configure(let rate, let mask):
            f.rate_hz = rate
            f.channel_mask = mask
        case .configureReply(let s), .startReply(let s), .stopReply(let s), .setCalibrationReply(let s),
            .errorReply(_, let s):
            f.status = s.rawValue
        case .start, .stop: break
        case .getCalibration(let c): f.channel = c
        case .calibration(let s, let record):
            f.status = s.rawValue
            if let r = record { store(r, into: &f) }
        case .setCalibration(let r): store(r, into: &f)
        case .ping(let t): f.host_time_ns = t
        case .pong(let s, let t, let d):
            f.status = s.rawValue
            if s == .ok {
                f.host_time_ns = t
                f.device_time_us = d
            }
        case .samples(let b):
            f.first_index = b.header.firstIndex
            f.device_time_us = b.header.deviceTimeUs
            f.channel_mask = b.header.channelMask
            f.count = b.header.count
            let width = b.header.channelCount
            f.values = (0..<Int(b.header.count)).map { Array(b.values[$0 * width..<($0 + 1) * width]) }
        case .status(let s):
            f.flags = s.flags.rawValue
            f.dropped_total = s.droppedTotal
            f.temperature_centi_c = s.temperatureCentiC
        case .log(let level, let text):
            f.level = level
            f.text = text
        }
        return f
    }

    private static func store(_ r: CalibrationRecord, into f: inout Fields) {
        f.channel = r.channel
        f.degree = r.degree
        f.coefficients = r.coefficients
        f.calibrated_at = r.calibratedAt
        f.technician = r.technician
    }
}
