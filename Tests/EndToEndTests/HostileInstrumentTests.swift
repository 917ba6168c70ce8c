import Foundation
import MWP
import MosquitoModel
import Testing

/// An instrument that answers with bytes no honest firmware sends gets one clear line naming what is wrong, at once.
@Suite struct HostileInstrumentTests {
    /// IDENTITY for a one-channel unit whose serial carries an ESC (0x1b) in its fourth byte.
    static let escapeInSerial: [UInt8] = {
        var w = WireWriter()
        w.u8(Status.ok.rawValue)
        IdentityRecord(
            serial: "MQ-2026-0042", design: "MQ-FORCE", hardwareRevision: 2,
            firmware: FirmwareVersion(major: 1, minor: 4, patch: 0), maxRateHz: 20_000,
            channels: [ChannelDescriptor(kind: .force, adcBits: 24, unit: "N", name: "force", rawMin: -100, rawMax: 100)]
        ).encode(into: &w)
        var payload = w.bytes
        payload[4] = 0x1B
        return payload
    }()

    @Test func infoNamesTheMalformationOfTheIdentityReply() throws {
        let instrument = try PtyInstrument { frame in
            frame.type == .hello ? FrameEncoder.wire(type: .hello.reply, seq: 0, payload: Self.escapeInSerial) : nil
        }
        defer { instrument.stop() }
        let r = try Mosquito.run(["info", "--device", "serial:" + instrument.path])
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").map(String.init) == [
            "Error: serial:\(instrument.path): IDENTITY reply is malformed: serial contains byte 0x1b",
        ])
    }
}
