import Crypto
import Foundation
import MWP
import MosquitoModel
import Signal

/// What the retained `meta` message says about one device (docs/mqtt.md). `meta_id` is the first 8 bytes of
/// the SHA-256 of this JSON without `meta_id` (keys sorted, no spaces), in hex; every `data` message names it, so
/// a consumer knows which channels and calibration its counts belong to.
///
/// The message spells its keys in snake_case; the Swift names are those keys in camelCase, converted by the
/// coders below, so a channel is the one `ChannelDescriptor` a recording and the API describe.
public struct DeviceMeta: Codable, Sendable, Equatable {
    public struct Calibration: Codable, Sendable, Equatable {
        public var channel: String
        public var degree: Int
        /// value = c0 + c1·raw + c2·raw² + c3·raw³
        public var coefficients: [Double]
        public var calibratedAt: UInt64
        public var technician: String
        public var certificateId: String?
    }
    public struct Clock: Codable, Sendable, Equatable {
        public var uncertaintyNs: Double
        public var driftPpm: Double
        public var exchangesUsed: Int
    }

    public var format: Int = 1
    public var dataFormat: Int = Int(DataMessageEncoder.formatVersion)
    public var site: String
    public var serial: String
    public var design: String
    public var hardwareRevision: UInt16
    public var firmware: String
    public var rateHz: UInt32
    public var channels: [ChannelDescriptor]
    public var calibration: [Calibration]
    public var pipeline: [String]
    public var clock: Clock?
    public var softwareVersion: String
    public var host: String
    public var metaId: String?

    /// The device's facts in meta form; `channels` are device channel numbers, in the order data carries them.
    public init(
        site: String, identity: IdentityRecord, channels: [Int], calibrations: [CalibrationRecord?], certificates: [String?],
        rateHz: UInt32, pipeline: [String], clock: ClockMapping?, softwareVersion: String, host: String
    ) {
        self.site = site
        serial = identity.serial
        design = identity.design
        hardwareRevision = identity.hardwareRevision
        firmware = identity.firmware.description
        self.rateHz = rateHz
        self.channels = channels.map { identity.channels[$0] }
        calibration = zip(channels.indices, channels).compactMap { i, c in
            guard let cal = calibrations[i] else { return nil }
            return Calibration(
                channel: identity.channels[c].name, degree: Int(cal.degree), coefficients: cal.coefficients,
                calibratedAt: cal.calibratedAt, technician: cal.technician, certificateId: certificates[i])
        }
        self.pipeline = pipeline
        self.clock = clock.map { Clock(uncertaintyNs: $0.clockOffsetUncertaintyNs, driftPpm: $0.driftPPM, exchangesUsed: $0.exchangesUsed) }
        self.softwareVersion = softwareVersion
        self.host = host
    }

    /// Each channel's calibration, in the order data carries them; raw counts unchanged for a channel the meta
    /// gives none (or not the four coefficients the message always carries).
    public var polynomials: [CalibrationPolynomial] {
        channels.map { ch in
            guard let cal = calibration.first(where: { $0.channel == ch.name }), cal.coefficients.count == 4 else { return .identity }
            return CalibrationPolynomial(coefficients: cal.coefficients)
        }
    }

    /// A meta message as it arrives; nil for one that is not JSON of this shape.
    public static func decode(_ json: Data) -> DeviceMeta? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(DeviceMeta.self, from: json)
    }

    /// The JSON to publish, with its `meta_id`, and the 8 bytes of that id for the data header.
    public func sealed() -> (json: [UInt8], id: [UInt8]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var copy = self
        copy.metaId = nil
        let canonical = (try? encoder.encode(copy)) ?? Data()
        let id = Array(SHA256.hash(data: canonical).prefix(8))
        copy.metaId = id.map { String(format: "%02x", $0) }.joined()
        return (Array((try? encoder.encode(copy)) ?? Data()), id)
    }
}
