import Foundation
import Testing
import TestSupport

/// The archive's broker session under the default protocol (MQTT 5): kept while the archive is away, so what
/// was published meanwhile reaches it when it comes back (docs/mqtt.md, "archive").
@Suite(.serialized) struct ArchiveSessionTests {
    /// The archive is killed (SIGKILL) while a `record --publish` edge (no API, so nothing is back-filled) goes on
    /// publishing, and started again with the same arguments: the broker kept its session and queued the data of
    /// the outage, so the archive's parts together lack at most what the killed archive had not flushed (about a
    /// second), not the outage. Without a Session Expiry Interval on CONNECT the broker drops the session at the
    /// disconnection and the outage (at least 60 data messages, about 6 s) is lost.
    @Test func archiveKilledAndRestartedGetsWhatWasPublishedMeanwhile() throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("session-archive")
        var archive = try broker.archive(site: "lab9", output: output)
        let edgeFile = scratchPath("session-edge.h5")
        let edge = try Processes.Running(TestEnvironment.mosquito.path, [
            "record", "--device", "sim?serial=MQ-SESSION", "--duration", "14", "--rate", "1000", "--output", edgeFile,
            "--publish", broker.url(site: "lab9"), "--publish-password-file", broker.passwordFile,
        ])
        let first = archive.process
        #expect(waitFor { archive.stdout.contains("archiving MQ-SESSION:") || !first.isRunning }, "\(archive.stderrText)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()

        // The outage lasts while another client receives 60 data messages (about 6 s of samples), all published
        // after the archive died.
        let witness = try Processes.Running("/usr/bin/mosquitto_sub", [
            "-h", "127.0.0.1", "-p", "\(broker.port)", "-u", TestBroker.user, "-P", TestBroker.password, "-q", "1",
            "-t", "mosquito/v1/lab9/MQ-SESSION/data", "-C", "60",
        ])
        #expect(witness.finish().status == 0)

        archive = try broker.archive(site: "lab9", output: output)
        let second = archive.process
        #expect(edge.finish().status == 0)
        #expect(waitFor { archive.stdout.contains("archived MQ-SESSION:") || !second.isRunning }, "\(archive.stdout) \(archive.stderrText)")
        second.interrupt()
        let result = archive.finish()
        #expect(result.status == 0, "\(result.stderr)")

        let edgeRows = try recordedRows(edgeFile)
        #expect(edgeRows == 14000)
        let site = output + "/lab9"
        let parts = ((try? FileManager.default.contentsOfDirectory(atPath: site)) ?? []).filter { $0.hasSuffix(".h5") }
        #expect(parts.count == 2, "the killed archive's part and its continuation: \(parts)")
        let archived = try parts.map { try recordedRows(site + "/" + $0) }.reduce(0, +)
        #expect(archived <= edgeRows)
        #expect(edgeRows - archived < 3000, "archived \(archived) of \(edgeRows) samples; \(result.stdout)")
    }
}
