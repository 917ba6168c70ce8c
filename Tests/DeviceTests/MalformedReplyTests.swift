import Foundation
import MWP
import MosquitoModel
import Testing
@testable import Device

/// A reply that cannot be read ends its request at once with what is wrong with it, instead of being dropped and
/// turned into "did not answer in time". The session's timeout here is a last guard far longer than any run
/// needs, so a session that dropped the reply and waited would fail on the message, not on a clock.
@Suite struct MalformedReplyTests {
    static let guardMs = 30_000

    /// One malformation of an IDENTITY payload and what the error must say about it.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let payload: [UInt8]
        let says: String
        var testDescription: String { name }
    }

    /// A well-formed OK IDENTITY payload: status, then the record (PROTOCOL.md §5.1) with one channel.
    static let good: [UInt8] = {
        var w = WireWriter()
        w.u8(Status.ok.rawValue)
        IdentityRecord(
            serial: "MQ-2026-0042", design: "MQ-FORCE", hardwareRevision: 2,
            firmware: FirmwareVersion(major: 1, minor: 4, patch: 0), maxRateHz: 20_000,
            channels: [ChannelDescriptor(kind: .force, adcBits: 24, unit: "N", name: "force", rawMin: -8_388_608, rawMax: 8_388_607)]
        ).encode(into: &w)
        return w.bytes
    }()

    // Offsets in the IDENTITY payload: status 0, serial 1, design 17, hardware 33, firmware 35, channel count 38,
    // max rate 39, channel 0 at 43 (kind 43, adc bits 44, unit 45, name 53, raw min 69, raw max 73).
    static func good(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var p = good
        change(&p)
        return p
    }

    static let identityCases: [Case] = [
        Case(name: "control byte in the serial", payload: good { $0[4] = 0x1B }, says: "serial contains byte 0x1b"),
        Case(name: "non-ASCII byte in the design", payload: good { $0[19] = 0xC3 }, says: "design contains byte 0xc3"),
        Case(name: "text after the serial's NUL padding", payload: good { $0[15] = 0x41 },
             says: "serial has byte 0x41 after its NUL padding"),
        Case(name: "control byte in a channel unit", payload: good { $0[45] = 0x07 }, says: "channel 0 unit contains byte 0x07"),
        Case(name: "non-ASCII byte in a channel name", payload: good { $0[53] = 0xFF }, says: "channel 0 name contains byte 0xff"),
        Case(name: "unknown channel kind", payload: good { $0[43] = 7 }, says: "channel 0 has unknown kind 7"),
        Case(name: "ADC bits out of range", payload: good { $0[44] = 0 }, says: "channel 0 adc_bits 0 is outside 1-32"),
        Case(name: "raw range upside down", payload: good { $0[69...76] = [10, 0, 0, 0, 0xF6, 0xFF, 0xFF, 0xFF] },
             says: "channel 0 raw_min > raw_max"),
        Case(name: "more channels than a mask holds", payload: good { $0[38] = 33 },
             says: "identity declares 33 channels; at most 32"),
        Case(name: "channel count beyond the payload", payload: good { $0[38] = 2 }, says: "payload truncated"),
        Case(name: "record cut short", payload: Array(good.dropLast()), says: "payload truncated"),
        Case(name: "header cut short", payload: Array(good.prefix(20)), says: "payload truncated"),
        Case(name: "no status byte", payload: [], says: "payload truncated"),
        Case(name: "trailing byte after the record", payload: good + [0], says: "1 unexpected trailing byte"),
        Case(name: "unknown status", payload: [9], says: "unknown status code 9"),
        Case(name: "refusal with bytes after its status", payload: [Status.unsupportedVersion.rawValue, 0, 0],
             says: "2 unexpected trailing bytes"),
    ]

    /// A session whose device answers `request` with `payload` as the reply frame, and everything else well.
    static func session(answering request: MessageType, with payload: [UInt8]) -> DeviceSession {
        let transport = ScriptedTransport { frame in
            let payload = frame.type == request ? payload : frame.type == .hello ? good : [Status.ok.rawValue]
            return FrameEncoder.wire(type: frame.type.reply, seq: 0, payload: payload)
        }
        return DeviceSession(transport: transport, requestTimeoutMs: guardMs)
    }

    @Test(arguments: identityCases)
    func malformedIdentitySaysWhatIsWrong(_ c: Case) throws {
        let session = Self.session(answering: .hello, with: c.payload)
        defer { session.close() }
        do throws(DeviceError) {
            let record = try session.identify()
            Issue.record("accepted as \(record)")
        } catch {
            #expect(error.description == "IDENTITY reply is malformed: \(c.says)")
        }
    }

    @Test func theWellFormedPayloadTheCasesStartFromIsAccepted() throws {
        let session = Self.session(answering: .hello, with: Self.good)
        defer { session.close() }
        #expect(try session.identify().serial == "MQ-2026-0042")
    }

    /// Every reply is held to the same rule, named as PROTOCOL.md §4.1 names it.
    @Test(arguments: [
        (MessageType.configure, "CONFIGURE"), (.start, "START"), (.stop, "STOP"), (.getCalibration, "CALIBRATION"),
        (.setCalibration, "SET_CALIBRATION"), (.ping, "PONG"),
    ])
    func everyReplyWithAnUnknownStatusSaysSo(_ request: MessageType, _ name: String) throws {
        let session = Self.session(answering: request, with: [9])
        defer { session.close() }
        try session.identify()
        do throws(DeviceError) {
            switch request {
            case .configure: try session.configure(rateHz: 1000, channelMask: 1)
            case .start: try session.start(into: NullConsumer())
            case .stop: try session.stop()
            case .getCalibration: _ = try session.readCalibration(channel: 0)
            case .setCalibration:
                try session.writeCalibration(
                    CalibrationRecord(channel: 0, degree: 1, coefficients: [0, 1], calibratedAt: 0, technician: "t"))
            default: _ = try session.ping()
            }
            Issue.record("\(request) accepted a reply with status 9")
        } catch {
            #expect(error.description == "\(name) reply is malformed: unknown status code 9")
        }
    }
}

final class NullConsumer: StreamConsumer, @unchecked Sendable {
    func samples(_ view: SamplesView) {}
    func status(_ status: DeviceStatus) {}
    func log(level: UInt8, text: String) {}
    func frameError(_ error: FrameError) {}
    func linkLost(_ error: TransportError) {}
}
