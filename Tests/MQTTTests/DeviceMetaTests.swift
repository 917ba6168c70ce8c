import Foundation
import MWP
import MosquitoModel
import Publish
import Signal
import Testing

@Suite struct DeviceMetaTests {
    static let identity = IdentityRecord(
        serial: "MQ-0042", design: "mosquito-4ch", hardwareRevision: 3, firmware: FirmwareVersion(major: 1, minor: 4, patch: 2),
        maxRateHz: 10_000,
        channels: [
            ChannelDescriptor(kind: .voltage, adcBits: 24, unit: "V", name: "ain0", rawMin: -8_388_608, rawMax: 8_388_607),
            ChannelDescriptor(kind: .temperature, adcBits: 16, unit: "degC", name: "temp", rawMin: 0, rawMax: 65_535),
        ])

    static func meta() throws -> DeviceMeta {
        let clock = try JSONDecoder().decode(ClockMapping.self, from: Data("""
            {"deviceReferenceUs": 5, "hostReferenceNs": 1e9, "hostNsPerDeviceUs": 1000.002, \
            "clockOffsetUncertaintyNs": 120.5, "exchangesUsed": 7}
            """.utf8))
        let cal = CalibrationRecord(channel: 1, degree: 1, coefficients: [0.5, 0.01, 0, 0], calibratedAt: 1_700_000_000, technician: "ana")
        return DeviceMeta(
            site: "lab", identity: identity, channels: [1, 0], calibrations: [cal, nil], certificates: ["MQ-0042-7", nil],
            rateHz: 1_000, pipeline: ["acquire 1000 Hz"], clock: clock, softwareVersion: "0.1.0", host: "edge-1")
    }

    /// The message docs/mqtt.md documents, byte for byte: snake_case keys, sorted, the channels in data order, and
    /// its `meta_id` (a consumer's cached id stays valid across versions that publish the same facts).
    @Test func sealedJSONIsTheDocumentedMessage() throws {
        let (json, id) = try Self.meta().sealed()
        #expect(String(decoding: json, as: UTF8.self) == Self.documented)
        #expect(id == [0x20, 0x49, 0x11, 0x94, 0x23, 0x49, 0x76, 0x16])
    }

    /// What an archive reads back is what the edge described: channels as the one descriptor, the id it sealed.
    @Test func decodesWhatItSeals() throws {
        let meta = try Self.meta()
        let read = try #require(DeviceMeta.decode(Data(meta.sealed().json)))
        #expect(read.metaId == "2049119423497616")
        #expect(read.channels == [Self.identity.channels[1], Self.identity.channels[0]])
        var unsealed = read
        unsealed.metaId = nil
        #expect(unsealed == meta)
    }

    /// The counts a data message carries are calibrated by the meta's polynomial of their channel, by name;
    /// a channel without one keeps its counts.
    @Test func polynomialsFollowTheDataOrder() throws {
        let meta = try Self.meta()
        #expect(meta.polynomials == [CalibrationPolynomial(c0: 0.5, c1: 0.01), .identity])
        var malformed = meta
        malformed.calibration[0].coefficients = [1, 2, 3, 4, 5]
        #expect(malformed.polynomials == [.identity, .identity])
    }

    /// A revision no instrument could send (the wire's is 16 bits), or a message of another shape, is refused.
    @Test func refusesWhatNoEdgeSends() throws {
        let outOfRange = Self.documented.replacingOccurrences(of: "\"hardware_revision\":3", with: "\"hardware_revision\":70000")
        #expect(DeviceMeta.decode(Data(outOfRange.utf8)) == nil)
        let noChannels = Self.documented.replacingOccurrences(of: "\"channels\"", with: "\"chans\"")
        #expect(DeviceMeta.decode(Data(noChannels.utf8)) == nil)
        #expect(DeviceMeta.decode(Data("[]".utf8)) == nil)
    }

    static let documented = #"{"calibration":[{"calibrated_at":1700000000,"certificate_id":"MQ-0042-7","channel":"temp","coefficients":[0.5,0.01,0,0],"degree":1,"technician":"ana"}],"channels":[{"adc_bits":16,"kind":"temperature","name":"temp","raw_max":65535,"raw_min":0,"unit":"degC"},{"adc_bits":24,"kind":"voltage","name":"ain0","raw_max":8388607,"raw_min":-8388608,"unit":"V"}],"clock":{"drift_ppm":2.0000000000575113,"exchanges_used":7,"uncertainty_ns":120.5},"data_format":1,"design":"mosquito-4ch","firmware":"1.4.2","format":1,"hardware_revision":3,"host":"edge-1","meta_id":"2049119423497616","pipeline":["acquire 1000 Hz"],"rate_hz":1000,"serial":"MQ-0042","site":"lab","software_version":"0.1.0"}"#
}
