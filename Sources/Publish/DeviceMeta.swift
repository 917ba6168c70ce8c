import Crypto
import Foundation
import MWP
import Signal

/// What the retained `meta` message says about one device (docs/mqtt.md). `meta_id` is the first 8 bytes of
/// the SHA-256 of this JSON without `meta_id` (keys sorted, no spaces), in hex; every `data` message names it, so
/// a consumer knows which channels and calibration its counts belong to.
public struct DeviceMeta: Codable, Sendable, Equatable {
    public struct Channel: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var unit: String
        public var adc_bits: Int
        public var raw_min: Int32
        public var raw_max: Int32
    }
    public struct Calibration: Codable, Sendable, Equatable {
        public var channel: String
        public var degree: Int
        /// value = c0 + c1·raw + c2·raw² + c3·raw³
        public var coefficients: [Double]
        public var calibrated_at: UInt64
        public var technician: String
        public var certificate_id: String?
    }
    public struct Clock: Codable, Sendable, Equatable {
        public var uncertainty_ns: Double
        public var drift_ppm: Double
        public var exchanges_used: Int
    }

    public var format: Int = 1
    public var data_format: Int = Int(DataMessageEncoder.formatVersion)
    public var site: String
    public var serial: String
    public var design: String
    public var hardware_revision: Int
    public var firmware: String
    public var rate_hz: UInt32
    public var channels: [Channel]
    public var calibration: [Calibration]
    public var pipeline: [String]
    public var clock: Clock?
    public var software_version: String
    public var host: String
    public var meta_id: String?

    /// The device's facts in meta form; `channels` are device channel numbers, in the order data carries them.
    public init(
        site: String, identity: IdentityRecord, channels: [Int], calibrations: [CalibrationRecord?], certificates: [String?],
        rateHz: UInt32, pipeline: [String], clock: ClockMapping?, softwareVersion: String, host: String
    ) {
        self.site = site
        serial = identity.serial
        design = identity.design
        hardware_revision = Int(identity.hardwareRevision)
        firmware = identity.firmware.description
        rate_hz = rateHz
        self.channels = channels.map { c in
            let d = identity.channels[c]
            return Channel(name: d.name, kind: d.kind.description, unit: d.unit, adc_bits: Int(d.adcBits), raw_min: d.rawMin, raw_max: d.rawMax)
        }
        calibration = zip(channels.indices, channels).compactMap { i, c in
            guard let cal = calibrations[i] else { return nil }
            return Calibration(
                channel: identity.channels[c].name, degree: Int(cal.degree), coefficients: cal.coefficients,
                calibrated_at: cal.calibratedAt, technician: cal.technician, certificate_id: certificates[i])
        }
        self.pipeline = pipeline
        self.clock = clock.map { Clock(uncertainty_ns: $0.clockOffsetUncertaintyNs, drift_ppm: $0.driftPPM, exchanges_used: $0.exchangesUsed) }
        software_version = softwareVersion
        self.host = host
    }

    /// The JSON to publish, with its `meta_id`, and the 8 bytes of that id for the data header.
    public func sealed() -> (json: [UInt8], id: [UInt8]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var copy = self
        copy.meta_id = nil
        let canonical = (try? encoder.encode(copy)) ?? Data()
        let id = Array(SHA256.hash(data: canonical).prefix(8))
        copy.meta_id = id.map { String(format: "%02x", $0) }.joined()
        return (Array((try? encoder.encode(copy)) ?? Data()), id)
    }
}
