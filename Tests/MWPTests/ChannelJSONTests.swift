import Foundation
import MosquitoModel
import MWP
import Testing

/// One channel type with two JSON spellings: the calibration history keeps an identity's kinds by number, as
/// it always has (its lines are never rewritten); every description of a channel (a recording, `inspect
/// --json`, `info --json`, the API) spells the kind by name and keeps one this version does not know.
@Suite struct ChannelJSONTests {
    static let laser = ChannelDescriptor(kind: .opticalPower, adcBits: 24, unit: "mW", name: "laser", rawMin: -5, rawMax: 7)

    @Test func theHistoryKeepsAnIdentitysKindsByNumber() throws {
        let identity = IdentityRecord(
            serial: "MQ-1", design: "MQ-FORCE", hardwareRevision: 2, firmware: FirmwareVersion(major: 1, minor: 4, patch: 2),
            maxRateHz: 1000, channels: [Self.laser])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(identity), as: UTF8.self)
        #expect(json == #"{"channels":[{"adcBits":24,"kind":4,"name":"laser","rawMax":7,"rawMin":-5,"unit":"mW"}],"design":"MQ-FORCE","firmware":{"major":1,"minor":4,"patch":2},"hardwareRevision":2,"maxRateHz":1000,"serial":"MQ-1"}"#)
        #expect(try JSONDecoder().decode(IdentityRecord.self, from: Data(json.utf8)) == identity)
    }

    @Test func aDescriptionSpellsTheKindByNameAndKeepsOneItDoesNotKnowAsWritten() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(Self.laser), as: UTF8.self)
            == #"{"adcBits":24,"kind":"optical_power","name":"laser","rawMax":7,"rawMin":-5,"unit":"mW"}"#)
        let written = #"{"adcBits":300,"kind":"made-up","name":"x","rawMax":1,"rawMin":0,"unit":"V"}"#
        let read = try JSONDecoder().decode(ChannelDescriptor.self, from: Data(written.utf8))
        #expect(read.kind == .unknown("made-up") && read.adcBits == 300)
        #expect(String(decoding: try encoder.encode(read), as: UTF8.self) == written)
        // The wire numbers no such kind: an instrument would say `other`.
        #expect(read.kind.code == ChannelKind.other.code)
    }
}
