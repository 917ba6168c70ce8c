import Foundation
import Testing
import TestSupport

/// The archive's broker session under the default protocol (MQTT 5): kept while the archive is away, so what
/// was published meanwhile reaches it when it comes back (docs/mqtt.md, "archive").
@Suite(.serialized) struct ArchiveSessionTests {
    /// The archive is killed (SIGKILL) while a `record --publish` edge (no API, so nothing is back-filled) goes on
    /// publishing, and started again with the same arguments: the broker kept its session and queued the data of
    /// the outage, so the archive's parts together lack at most what the killed archive had not flushed (about a
    /// second; after a broker restart, also the moments of reconnecting), not the outage. Without a Session Expiry
    /// Interval on CONNECT the broker drops the session at the disconnection and the outage (at least 100 data
    /// messages, about 10 s) is lost. `afterBrokerRestart`: the broker restarts first (it forgets every session),
    /// so the archive's session is the one its automatic reconnection asked for: the reconnection must carry the
    /// Session Expiry Interval too.
    @Test(arguments: [false, true]) func archiveKilledAndRestartedGetsWhatWasPublishedMeanwhile(afterBrokerRestart: Bool) throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let output = scratchPath("session-archive")
        var archive = try broker.archive(site: "lab9", output: output)
        let edgeFile = scratchPath("session-edge.h5")
        let edge = try Processes.Running(TestEnvironment.mosquito.path, [
            "record", "--device", "sim?serial=MQ-SESSION", "--duration", "24", "--rate", "1000", "--output", edgeFile,
            "--publish", broker.url(site: "lab9"), "--publish-password-file", broker.passwordFile,
        ])
        let first = archive.process
        #expect(waitFor { archive.stdout.contains("archiving MQ-SESSION:") || !first.isRunning }, "\(archive.stderrText)")
        if afterBrokerRestart {
            let log = broker.directory + "/mosquitto.log"
            broker.vanish()
            try FileManager.default.removeItem(atPath: log)
            try broker.relaunch()
            // The new broker's log names the archive's client once libmosquitto has reconnected it.
            #expect(waitFor { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(" as mosquito-archive-") })
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()

        // The outage lasts while another client receives 100 data messages (about 10 s of samples), all published
        // after the archive died.
        let witness = try Processes.Running("/usr/bin/mosquitto_sub", [
            "-h", "127.0.0.1", "-p", "\(broker.port)", "-u", TestBroker.user, "-P", TestBroker.password, "-q", "1",
            "-t", "mosquito/v1/lab9/MQ-SESSION/data", "-C", "100",
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
        #expect(edgeRows == 24000)
        let site = output + "/lab9"
        let parts = ((try? FileManager.default.contentsOfDirectory(atPath: site)) ?? []).filter { $0.hasSuffix(".h5") }
        #expect(parts.count == 2, "the killed archive's part and its continuation: \(parts)")
        let archived = try parts.map { try recordedRows(site + "/" + $0) }.reduce(0, +)
        #expect(archived <= edgeRows)
        #expect(edgeRows - archived < 5000, "archived \(archived) of \(edgeRows) samples; \(result.stdout)")
    }
}
