import Foundation
import Testing
import TestSupport

/// `mosquito lsl list` and `mosquito lsl doctor` against a liblsl 1.18 outlet (pylsl) and against their own.
@Suite(.serialized) struct LSLCommandTests {
    @Test func listShowsALiblslStreamWithItsFields() async throws {
        let name = "judge-" + UUID().uuidString.prefix(8)
        let peer = try PythonPeer(["outlet", name], script: MosquitoLSLTests.script)
        _ = try #require(await peer.line("ready"), "\(peer.stderr)")
        let list = try MosquitoProcess(["lsl", "list", "--json", "--predicate", "name='\(name)'"])
        let status = await list.exit()
        peer.finish()
        #expect(status == 0, "\(list.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8))
        let streams = try #require(parsed as? [[String: Any]], "\(list.stdout)")
        #expect(streams.count == 1, "\(streams)")
        let s = try #require(streams.first)
        #expect(s["name"] as? String == name && s["sourceID"] as? String == name + "-liblsl" && s["type"] as? String == "JudgeEEG")
        #expect(s["channelCount"] as? Int == 4 && s["nominalRate"] as? Double == 250 && s["channelFormat"] as? String == "float32")
        #expect((s["dataPort"] as? Int ?? 0) >= 16572 && !(s["uid"] as? String ?? "").isEmpty)
    }

    /// Each path is named with its verdict: a liblsl outlet on this host answers discovery and its own service
    /// and data ports; the ports and a KnownPeers line are printed. (Loopback itself is not asserted: a unicast
    /// datagram to port 16571 reaches only one of the processes sharing it, and tests run side by side.)
    @Test func doctorFindsANamedLiblslStreamOverEachLocalPath() async throws {
        let name = "judge-" + UUID().uuidString.prefix(8)
        let peer = try PythonPeer(["outlet", name], script: MosquitoLSLTests.script)
        _ = try #require(await peer.line("ready"), "\(peer.stderr)")
        let doctor = try MosquitoProcess(["lsl", "doctor", "--name", name, "--wait", "5"])
        let status = await doctor.exit()
        peer.finish()
        #expect(status == 0, "\(doctor.stdout)\(doctor.stderr)")
        let lines = doctor.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("  works   multicast") || $0.hasPrefix("  works   loopback") || $0.hasPrefix("  works   broadcast") }, "\(doctor.stdout)")
        // At the address the answer came from: loopback, or this host's interface when multicast answered first.
        #expect(lines.contains { $0.hasPrefix("  works   service port (udp ") }, "\(doctor.stdout)")
        #expect(lines.contains { $0.hasPrefix("  works   TCP data port (tcp ") }, "\(doctor.stdout)")
        #expect(lines.contains { $0.contains("UDP 16571 (discovery) and TCP+UDP 16572-16603") })
        #expect(lines.contains { $0.hasPrefix("  KnownPeers = {") })
    }

    @Test func doctorFindsItsOwnStreamAndFailsOnAMissingOne() async throws {
        let own = try MosquitoProcess(["lsl", "doctor", "--wait", "5"])
        #expect(await own.exit() == 0, "\(own.stdout)\(own.stderr)")
        #expect(own.stdout.contains("  works   multicast") || own.stdout.contains("  works   loopback"), "\(own.stdout)")
        for path in ["service port (udp 127.0.0.1:", "TCP data port (tcp 127.0.0.1:"] {
            #expect(own.stdout.contains("  works   " + path), "\(path): \(own.stdout)")
        }
        let missing = try MosquitoProcess(["lsl", "doctor", "--name", "absent-" + UUID().uuidString.prefix(8), "--wait", "0.5"])
        #expect(await missing.exit() == 1)
        #expect(missing.stderr.hasPrefix("Error: no path reached"), "\(missing.stderr)")
        #expect(missing.stdout.contains("  silent  loopback"))
    }
}
