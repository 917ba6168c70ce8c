import Foundation
import Testing
import TestSupport

extension LSLProcessSuites {
    /// `mosquito lsl list` and `mosquito lsl doctor` against a liblsl 1.18 outlet (pylsl) and against their own.
    @Suite struct LSLCommandTests {
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

        /// `serve --lsl`: the hub's device is on LSL while it streams, and a recording started and stopped through the
        /// HTTP API is announced on its Markers stream (with the restart of the indices it causes).
        @Test func serveAnnouncesRecordingsOnTheMarkersStream() async throws {
            let serial = MosquitoLSLTests.serial()
            let (serve, port, token, _) = try await Self.serve(device: "sim?serial=\(serial)")
            let peer = try PythonPeer(["serve", serial, port, token], script: MosquitoLSLTests.script)
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            serve.interrupt()
            #expect(await serve.exit() == 0, "\(serve.stderr)")
            #expect((r["got_before"] as? Int ?? 0) > 0 && r["nominal_srate"] as? Double == 1000, "\(r)")
            #expect(r["started"] as? Int == 201 && r["stopped"] as? Int == 200, "\(r)")
            let events = (r["markers"] as? [[String: Any]] ?? []).compactMap { $0["event"] as? String }
            #expect(events.contains("restart") && events.contains("recording_start") && events.contains("recording_stop"), "\(events)")
            let start = (r["markers"] as? [[String: Any]] ?? []).first { $0["event"] as? String == "recording_start" }
            #expect(start?["file"] as? String == "lsl.h5")
            #expect(serve.stderr.contains("lsl: Mosquito \(serial) inlet 1 ("), "\(serve.stderr)")
            // The Markers stream's inlet gets its closing line too, not only the values'.
            #expect(serve.stderr.contains("lsl: Mosquito \(serial) Markers inlet "), "\(serve.stderr)")
        }

        /// `serve --lsl` while it records: an inlet that stalls loses its own oldest samples, and the status route
        /// (what the live page's status line shows) names it with its count, as the Markers stream does; a liblsl
        /// inlet beside it loses nothing (every row of the file, value for value, at the file's host times), nor
        /// does the file.
        @Test func serveStatusCountsEachInletsDrops() async throws {
            let serial = MosquitoLSLTests.serial()
            let (serve, port, token, folder) = try await Self.serve(
                device: "sim?serial=\(serial)&channels=16&max_rate=10000", rate: 10_000)
            let peer = try PythonPeer(
                [serial, port, token, folder + "/rec"], script: TestEnvironment.packageRoot + "/Tests/LSLTests/Support/serve_readers.py")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            serve.interrupt()
            #expect(await serve.exit() == 0, "\(serve.stderr)")
            #expect(r["reached_drops"] as? Bool == true, "\(r)")
            #expect((r["slow_dropped_during"] as? Int ?? 0) > 0 && r["fast_dropped_during"] as? [Int] == [0], "\(r)")
            #expect((r["slow_dropped_after"] as? [Int])?.first.map { $0 > 0 } == true && r["fast_dropped_after"] as? [Int] == [0], "\(r)")
            #expect(r["via"] as? [String] == ["lsl"])
            #expect(r["samples_lost"] as? Int == 0 && r["file_gaps"] as? Int == 0, "the file: \(r)")
            // The recording runs until the stalled inlet has lost samples, so its length depends on the machine's
            // pace; what must hold is that the fast inlet has every one of the file's rows.
            #expect((r["file_rows"] as? Int ?? 0) > 0 && r["compared"] as? Int == r["file_rows"] as? Int, "\(r)")
            #expect(r["values_equal"] as? Bool == true, "\(r)")
            #expect((r["stamp_spread_ns"] as? Int ?? .max) <= 1000, "\(r)")
            let drops = r["drop_markers"] as? [[String: Any]] ?? []
            #expect(drops.contains { $0["hostname"] as? String == "slow-reader" && ($0["dropped"] as? Int ?? 0) > 0 }, "\(drops)")
            #expect(!drops.contains { $0["hostname"] as? String != "slow-reader" }, "only the stalled inlet drops: \(drops)")
        }

        /// A `serve --lsl` on a free port with an operator token; returns once it says where it listens.
        static func serve(device: String, rate: Int = 1000) async throws -> (MosquitoProcess, port: String, token: String, folder: String) {
            let folder = MosquitoLSLTests.temporary("serve")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let create = try MosquitoProcess([
                "serve", "token", "create", "--agent", "lab", "--role", "operator", "--tokens", folder + "/t.json",
            ])
            #expect(await create.exit() == 0, "\(create.stderr)")
            let token = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let serve = try MosquitoProcess([
                "serve", "--device", device, "--rate", "\(rate)", "--bind", "127.0.0.1:0", "--tokens", folder + "/t.json",
                "--recordings", folder + "/rec", "--lsl",
            ])
            var port = ""
            let listening = await serve.stdoutEventually { text in
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("mosquito serve: http://127.0.0.1:") }) else { return false }
                port = String(line.dropFirst("mosquito serve: http://127.0.0.1:".count).prefix { $0.isNumber })
                return true
            }
            try #require(listening, "\(serve.stderr)")
            return (serve, port, token, folder)
        }
    }
}
