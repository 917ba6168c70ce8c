import Foundation

/// The shared MWP/1 test vectors (firmware-protocol/vectors/vectors.json), read from the repository so the
/// tests and the firmware authors use one file.
public struct VectorFile: Decodable, Sendable {
    public let frames: [FrameVector]
    public let invalid: [InvalidVector]

    public static let shared: VectorFile = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("firmware-protocol/vectors/vectors.json")
        do {
            return try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()
}

public struct FrameVector: Decodable, Sendable, NamedVector {
    public let name: String
    public let type: UInt8
    public let seq: UInt16
    public let payloadHex: String
    public let fields: Fields
    public let wireHex: String

    enum CodingKeys: String, CodingKey {
        case name, type, seq, fields
        case payloadHex = "payload_hex"
        case wireHex = "wire_hex"
    }

    public var payload: [UInt8] { Hex.bytes(payloadHex) }
    public var wire: [UInt8] { Hex.bytes(wireHex) }
}

public struct InvalidVector: Decodable, Sendable, NamedVector {
    public let name: String
    public let wireHex: String
    public let error: String

    enum CodingKeys: String, CodingKey {
        case name, error
        case wireHex = "wire_hex"
    }

    public var wire: [UInt8] { Hex.bytes(wireHex) }
}

/// Lets parameterized tests show the vector's name rather than its whole contents.
public protocol NamedVector: CustomStringConvertible { var name: String { get } }
extension NamedVector { public var description: String { name } }

/// Every field any MWP/1 message carries, named as in vectors.json. A message uses a subset; the rest stay nil,
/// so two messages compare equal only when they carry the same fields with the same values.
public struct Fields: Codable, Equatable, Sendable {
    public struct Channel: Codable, Equatable, Sendable {
        public var kind: UInt8
        public var adc_bits: UInt8
        public var unit: String
        public var name: String
        public var raw_min: Int32
        public var raw_max: Int32

        public init(kind: UInt8, adc_bits: UInt8, unit: String, name: String, raw_min: Int32, raw_max: Int32) {
            (self.kind, self.adc_bits, self.unit, self.name, self.raw_min, self.raw_max) =
                (kind, adc_bits, unit, name, raw_min, raw_max)
        }
    }

    public var host_version: UInt8?
    public var status: UInt8?
    public var serial: String?
    public var design: String?
    public var hardware_revision: UInt16?
    public var firmware: String?
    public var channel_count: UInt8?
    public var max_rate_hz: UInt32?
    public var channels: [Channel]?
    public var rate_hz: UInt32?
    public var channel_mask: UInt32?
    public var channel: UInt8?
    public var degree: UInt8?
    public var coefficients: [Double]?
    public var calibrated_at: UInt64?
    public var technician: String?
    public var host_time_ns: UInt64?
    public var device_time_us: UInt64?
    public var first_index: UInt64?
    public var count: UInt16?
    public var values: [[Int32]]?
    public var flags: UInt32?
    public var dropped_total: UInt32?
    public var temperature_centi_c: Int16?
    public var level: UInt8?
    public var text: String?

    public init() {}
}

public enum Hex {
    public static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        precondition(digits.count.isMultiple(of: 2), "odd hex length")
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
        }
    }

    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
