import Foundation
import MWP
import MosquitoModel

/// The shared MWP/1 vectors, read from the repository (firmware-protocol/vectors), decoded once.
struct VectorFile: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        let name: String
        let type: UInt8
        let seq: UInt16
        let payload_hex: String
        let fields: [String: JSONValue]
        let wire_hex: String
    }
    struct Invalid: Decodable, Sendable {
        let name: String
        let wire_hex: String
        let error: String
    }
    let frames: [Entry]
    let invalid: [Invalid]

    static let shared: VectorFile = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("firmware-protocol/vectors/vectors.json")
        return try! JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
    }()
}

enum JSONValue: Decodable, Sendable {
    case integer(Int64), unsigned(UInt64), number(Double), string(String), array([JSONValue]),
        object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Integers first: 64-bit indices and times do not survive a trip through Double.
        if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let u = try? c.decode(UInt64.self) { self = .unsigned(u) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var int: Int64 {
        switch self {
        case .integer(let i): i
        case .unsigned(let u): Int64(u)
        default: fatalError("not an integer: \(self)")
        }
    }
    var uint: UInt64 {
        switch self {
        case .integer(let i): UInt64(i)
        case .unsigned(let u): u
        default: fatalError("not an integer: \(self)")
        }
    }
    var double: Double {
        switch self {
        case .integer(let i): Double(i)
        case .unsigned(let u): Double(u)
        case .number(let d): d
        default: fatalError("not a number: \(self)")
        }
    }
    var string: String { if case .string(let s) = self { return s }; fatalError("not a string: \(self)") }
    var array: [JSONValue] { if case .array(let a) = self { return a }; fatalError("not an array: \(self)") }
    var object: [String: JSONValue] { if case .object(let o) = self { return o }; fatalError("not an object") }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        self = bytes
    }
}

/// What a vector's `fields` mean as a `Message`, built independently of the decoder under test.
func expectedMessage(_ e: VectorFile.Entry) -> Message {
    let f = e.fields
    func status() -> Status { Status(rawValue: UInt8(f["status"]!.int))! }
    func calibration() -> CalibrationRecord {
        CalibrationRecord(
            channel: UInt8(f["channel"]!.int), degree: UInt8(f["degree"]!.int),
            coefficients: f["coefficients"]!.array.map(\.double),
            calibratedAt: f["calibrated_at"]!.uint, technician: f["technician"]!.string)
    }
    switch e.type {
    case 0x01: return .hello(hostVersion: UInt8(f["host_version"]!.int))
    case 0x81:
        let fw = f["firmware"]!.string.split(separator: ".").map { UInt8($0)! }
        let channels = f["channels"]!.array.map { c -> ChannelDescriptor in
            let o = c.object
            return ChannelDescriptor(
                kind: ChannelKind(code: UInt8(o["kind"]!.int))!, adcBits: Int(o["adc_bits"]!.int),
                unit: o["unit"]!.string, name: o["name"]!.string,
                rawMin: Int32(o["raw_min"]!.int), rawMax: Int32(o["raw_max"]!.int))
        }
        return .identity(
            status(),
            IdentityRecord(
                serial: f["serial"]!.string, design: f["design"]!.string,
                hardwareRevision: UInt16(f["hardware_revision"]!.int),
                firmware: FirmwareVersion(major: fw[0], minor: fw[1], patch: fw[2]),
                maxRateHz: UInt32(f["max_rate_hz"]!.int), channels: channels))
    case 0x02: return .configure(rateHz: UInt32(f["rate_hz"]!.int), channelMask: UInt32(f["channel_mask"]!.int))
    case 0x82: return .configureReply(status())
    case 0x03: return .start
    case 0x83: return .startReply(status())
    case 0x04: return .stop
    case 0x84: return .stopReply(status())
    case 0x05: return .getCalibration(channel: UInt8(f["channel"]!.int))
    case 0x85: return .calibration(status(), calibration())
    case 0x06: return .setCalibration(calibration())
    case 0x86: return .setCalibrationReply(status())
    case 0x07: return .ping(hostTimeNs: f["host_time_ns"]!.uint)
    case 0x87: return .pong(status(), hostTimeNs: f["host_time_ns"]!.uint, deviceTimeUs: f["device_time_us"]!.uint)
    case 0x40:
        let values = f["values"]!.array.flatMap { $0.array.map { Int32($0.int) } }
        return .samples(
            SamplesPayload(
                firstIndex: f["first_index"]!.uint, deviceTimeUs: f["device_time_us"]!.uint,
                channelMask: UInt32(f["channel_mask"]!.int), count: UInt16(f["count"]!.int), values: values))
    case 0x41:
        return .status(
            DeviceStatus(
                flags: .init(rawValue: UInt32(f["flags"]!.int)), droppedTotal: UInt32(f["dropped_total"]!.int),
                temperatureCentiC: Int16(f["temperature_centi_c"]!.int)))
    case 0x42: return .log(level: UInt8(f["level"]!.int), text: f["text"]!.string)
    default: fatalError("vector \(e.name) has unknown type \(e.type)")
    }
}
