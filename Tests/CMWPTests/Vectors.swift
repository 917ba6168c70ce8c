import Foundation

/// The shared MWP/1 test vectors (firmware-protocol/vectors/vectors.json), read from the repository so the
/// tests and the firmware authors use one file.
struct VectorFile: Decodable {
    let frames: [FrameVector]
    let invalid: [InvalidVector]

    static let shared: VectorFile = {
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

struct FrameVector: Decodable, CustomTestStringConvertibleName {
    let name: String
    let type: UInt8
    let seq: UInt16
    let payloadHex: String
    let fields: Fields
    let wireHex: String

    enum CodingKeys: String, CodingKey {
        case name, type, seq, fields
        case payloadHex = "payload_hex"
        case wireHex = "wire_hex"
    }

    var payload: [UInt8] { Hex.bytes(payloadHex) }
    var wire: [UInt8] { Hex.bytes(wireHex) }
}

struct InvalidVector: Decodable, CustomTestStringConvertibleName {
    let name: String
    let wireHex: String
    let error: String

    enum CodingKeys: String, CodingKey {
        case name, error
        case wireHex = "wire_hex"
    }

    var wire: [UInt8] { Hex.bytes(wireHex) }
}

/// Lets parameterized tests show the vector's name rather than its whole contents.
protocol CustomTestStringConvertibleName: CustomStringConvertible { var name: String { get } }
extension CustomTestStringConvertibleName { var description: String { name } }

/// Every field any MWP/1 message carries, named as in vectors.json. A message uses a subset; the rest stay nil,
/// so two messages compare equal only when they carry the same fields with the same values.
struct Fields: Codable, Equatable {
    struct Channel: Codable, Equatable {
        var kind: UInt8
        var adc_bits: UInt8
        var unit: String
        var name: String
        var raw_min: Int32
        var raw_max: Int32
    }

    var host_version: UInt8?
    var status: UInt8?
    var serial: String?
    var design: String?
    var hardware_revision: UInt16?
    var firmware: String?
    var channel_count: UInt8?
    var max_rate_hz: UInt32?
    var channels: [Channel]?
    var rate_hz: UInt32?
    var channel_mask: UInt32?
    var channel: UInt8?
    var degree: UInt8?
    var coefficients: [Double]?
    var calibrated_at: UInt64?
    var technician: String?
    var host_time_ns: UInt64?
    var device_time_us: UInt64?
    var first_index: UInt64?
    var count: UInt16?
    var values: [[Int32]]?
    var flags: UInt32?
    var dropped_total: UInt32?
    var temperature_centi_c: Int16?
    var level: UInt8?
    var text: String?
}

enum Hex {
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        precondition(digits.count.isMultiple(of: 2), "odd hex length")
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
        }
    }

    static func string(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
