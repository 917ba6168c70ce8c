import Foundation
import MQTT
import Publish
import Testing
import TestSupport

/// `mosquito archive --device-queue-mib/--queue-mib/--backfill-timeout`: a bad value stops the command before it
/// creates anything, and good values reach the archive (its own lines name them).
@Suite(.serialized) struct ArchiveBoundsOptionsTests {
    /// Options that must be refused, and words the one error line must hold: the option, and why.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var says: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let refused: [Refusal] = [
        Refusal(arguments: ["--device-queue-mib", "0"], says: ["--device-queue-mib 0", "at least 1"]),
        Refusal(arguments: ["--device-queue-mib=-3"], says: ["--device-queue-mib -3", "at least 1"]),
        Refusal(arguments: ["--device-queue-mib", "lots"], says: ["'lots' is invalid", "--device-queue-mib"]),
        Refusal(arguments: ["--device-queue-mib", "1.5"], says: ["'1.5' is invalid", "--device-queue-mib"]),
        Refusal(arguments: ["--queue-mib", "0"], says: ["--queue-mib 0", "at least 1"]),
        // N MiB in bytes overflows an Int: refused, not a trap.
        Refusal(arguments: ["--queue-mib", "\(Int.max)"], says: ["--queue-mib \(Int.max)", "too large"]),
        Refusal(arguments: ["--device-queue-mib", "\(Int.max >> 19)", "--queue-mib", "\(Int.max >> 20)"], says: ["--device-queue-mib", "too large"]),
        Refusal(arguments: ["--queue-mib", "99999999999999999999"], says: ["is invalid", "--queue-mib"]),
        Refusal(arguments: ["--device-queue-mib", "8", "--queue-mib", "4"], says: ["--device-queue-mib 8 exceeds --queue-mib 4"]),
        // Above the default total (256 MiB): the total is not raised behind the operator's back.
        Refusal(arguments: ["--device-queue-mib", "512"], says: ["--device-queue-mib 512 exceeds --queue-mib 256"]),
        Refusal(arguments: ["--backfill-timeout", "0"], says: ["--backfill-timeout 0.0", "above 0"]),
        Refusal(arguments: ["--backfill-timeout=-2.5"], says: ["--backfill-timeout -2.5", "above 0"]),
        Refusal(arguments: ["--backfill-timeout", "nan"], says: ["--backfill-timeout nan", "above 0"]),
        Refusal(arguments: ["--backfill-timeout", "inf"], says: ["--backfill-timeout inf", "at most 3600"]),
        Refusal(arguments: ["--backfill-timeout", "1e400"], says: ["--backfill-timeout inf", "at most 3600"]),
        Refusal(arguments: ["--backfill-timeout", "3600.5"], says: ["--backfill-timeout 3600.5", "at most 3600"]),
        Refusal(arguments: ["--backfill-timeout", "soon"], says: ["'soon' is invalid", "--backfill-timeout"]),
    ]

    /// Each is one `Error:` line, all of stderr, naming the option; a non-zero exit; no output folder. No broker
    /// listens: the command must stop before it tries one.
    @Test(arguments: refused) func aBadValueIsOneLineAndCreatesNothing(_ bad: Refusal) throws {
        let output = scratchPath("refused-bounds")
        let result = try Processes.mosquito(
            ["archive", "--broker", "mqtt://127.0.0.1:\(try TestBroker.freePort())/lab19", "--output", output] + bad.arguments)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && result.errorLines.count == 1, "\(result.stderr)")
        for words in bad.says { #expect(result.stderr.contains(words), "\(bad.arguments): \(result.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: output), "\(bad.arguments) created \(output)")
    }

    /// `--help` states the defaults and the ceiling.
    @Test func helpStatesTheDefaults() throws {
        let help = try Processes.mosquito(["archive", "--help"])
        #expect(help.status == 0, "\(help.stderr)")
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for words in ["--device-queue-mib <mib>", "(default: 64, or --queue-mib if smaller)", "--queue-mib <mib>", "(default: 256)",
                      "--backfill-timeout <seconds>", "at most 3600", "(default: 10.0)"] {
            #expect(text.contains(words), "\(words): \(help.stdout)")
        }
    }

    /// The bounds given, and how the archive's drop line must state them in bytes: both given; only the total,
    /// below the device's default, which then takes the total.
    static let bounds: [(arguments: [String], stated: String)] = [
        (["--device-queue-mib", "1", "--queue-mib", "3"], "(1048576 bytes waiting on this device at most, 3145728 on all)"),
        (["--queue-mib", "1"], "(1048576 bytes waiting on this device at most, 1048576 on all)"),
    ]

    /// EDGE-A's back-fill is held (the 3600 s deadline lets it wait) while a data message of 1.25 MiB follows the
    /// one waiting on it: past a 1 MiB device bound, it is dropped, and the line saying so names both bounds
    /// as the command line set them.
    @Test(arguments: bounds) func theQueueBoundsReachTheArchive(_ given: (arguments: [String], stated: String)) throws {
        let site = "lab20"
        let meta = try ArchiveDeviceIsolationTests.meta(serial: "EDGE-A", site: site)
        let edgeA = try CannedHTTPServer(
            replies: [ArchiveDeviceIsolationTests.rowsReply(ArchiveDeviceIsolationTests.frames(10..<20, metaID: meta.id))], holdingFirst: true)
        let broker = try TestBroker()
        defer { broker.stop() }
        let archive = try broker.archive(
            site: site, output: scratchPath("\(site)-archive"),
            ["--edge-token-file", try Self.tokenFile(), "--backfill-timeout", "3600"] + given.arguments)
        let process = archive.process
        try #require(process.isRunning, "\(archive.stderrText)")
        let edges = try Self.edges(broker)
        defer { edges.stop() }
        let a = DeviceTopics(site: site, serial: "EDGE-A")

        Self.publish(edges, ArchiveDeviceIsolationTests.opening(a, meta: meta, edge: edgeA))
        #expect(edgeA.waitForRequest(seconds: 60), "the archive never asked EDGE-A for its rows: \(archive.stderrText)")
        let large = ArchiveDeviceIsolationTests.frames(30..<40_990, metaID: meta.id, sequence: 3)
        try #require(large.count > 1 << 20 && large.count < 2 << 20, "\(large.count)")
        Self.publish(edges, [(a.data, large)])
        #expect(waitFor { archive.stderrText.contains("EDGE-A: the archive has fallen behind") || !process.isRunning }, "\(archive.stderrText)")
        #expect(archive.stderrText.contains(given.stated), "\(archive.stderrText)")

        edgeA.release()
        process.interrupt()
        let result = archive.finish()
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// EDGE-A's edge takes the request and never answers: the back-fill gives up at the deadline the command
    /// line gave, and says which (the default would say 10.0 s).
    @Test func theBackfillTimeoutReachesTheArchive() throws {
        let site = "lab21"
        let meta = try ArchiveDeviceIsolationTests.meta(serial: "EDGE-A", site: site)
        let silent = try CannedHTTPServer(reply: nil)
        let broker = try TestBroker()
        defer { broker.stop() }
        let archive = try broker.archive(
            site: site, output: scratchPath("\(site)-archive"), ["--edge-token-file", try Self.tokenFile(), "--backfill-timeout", "2.5"])
        let process = archive.process
        try #require(process.isRunning, "\(archive.stderrText)")
        let edges = try Self.edges(broker)
        defer { edges.stop() }

        Self.publish(edges, ArchiveDeviceIsolationTests.opening(DeviceTopics(site: site, serial: "EDGE-A"), meta: meta, edge: silent))
        #expect(waitFor { archive.stderrText.contains("EDGE-A: back-fill of 10…19") || !process.isRunning }, "\(archive.stderrText)")
        #expect(archive.stderrText.contains("failed (127.0.0.1: no answer within 2.5 s)"), "\(archive.stderrText)")

        process.interrupt()
        let result = archive.finish()
        #expect(result.status == 0, "\(result.stderr)")
        // Also keeps the edge alive (and silent) to here: gone, it would close the connection instead.
        #expect(silent.requestCount == 1, "\(silent.received)")
    }

    /// The secret the archive sends edges (the canned ones accept any).
    static func tokenFile() throws -> String {
        let path = scratchPath("edge.token")
        try "archive-secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The edges' one connection to `broker`, connected: the test publishes their messages itself.
    static func edges(_ broker: TestBroker) throws -> MQTTClient {
        let edges = try MQTTClient(options: ArchiveDeviceIsolationTests.options("bounds-edges"))
        try edges.start(host: "127.0.0.1", port: broker.port)
        #expect(waitFor { edges.counters.connected }, "\(edges.counters)")
        return edges
    }

    /// Each message on its topic, in order, QoS 1.
    static func publish(_ edges: MQTTClient, _ messages: [(topic: String, bytes: [UInt8])]) {
        for m in messages { edges.publish(topic: m.topic, bytes: m.bytes, qos: .atLeastOnce) }
    }
}
