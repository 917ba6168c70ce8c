import Foundation
import NIOCore
import Testing

@testable import LSL

extension LSLProcessSuites {
    /// The outlet against liblsl 1.18 itself (pylsl): resolving, metadata, data and timestamps, time correction,
    /// slow and fast inlets, every path a shortinfo query can take, and pugixml's verdict on the XPath table.
    /// Serialized: the tests share the discovery port with the Python peers' resolvers and one machine's two cores.
    @Suite struct LSLPeerTests {
        static func open(_ info: LSLStreamInfo, options: LSLOutletOptions = .init()) async throws -> LSLOutlet {
            try await LSLOutlet.open(info, config: LSLConfig(), options: options)
        }

        static func unique(_ stem: String) -> String { "\(stem)-\(UUID().uuidString.prefix(8))" }

        @Test func resolvedByEveryPropertyWithItsDescription() async throws {
            let name = Self.unique("Mosquito"), source = Self.unique("MQ")
            let outlet = try await Self.open(Fixtures.info(name: name, sourceID: source))
            let peer = try PythonPeer(["resolve", name, "EEG", source])
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            await outlet.close()
            #expect(r["uid"] as? String == outlet.info.uid)
            #expect(r["name"] as? String == name && r["type"] as? String == "EEG" && r["source_id"] as? String == source)
            #expect(r["channel_count"] as? Int == 4 && r["nominal_srate"] as? Double == 250 && r["channel_format"] as? Int == 1)
            #expect(r["session_id"] as? String == "default" && r["version"] as? Int == 110 && r["hostname"] as? String == outlet.info.hostname)
            #expect(r["by_type"] as? Bool == true && r["by_source"] as? Bool == true && r["in_all"] as? Bool == true)
            #expect(r["by_pred"] as? Bool == true && (r["by_bad_pred"] as? [String])?.isEmpty == true)
            let channels = r["channels"] as? [[String: String]]
            #expect(channels?.map { $0["label"] } == ["a", "b", "c", "d"] && channels?.allSatisfy { $0["unit"] == "mV" } == true)
            #expect(r["manufacturer"] as? String == "SENSORICA" && r["serial"] as? String == "MQ-7")
        }

        /// Values equal, stamps within 1 µs of what was pushed, across pushes, jitter and a gap; time correction
        /// near zero (same host, same clock).
        @Test func pullChunkReturnsWhatWasPushed() async throws {
            let name = Self.unique("Mosquito")
            let outlet = try await Self.open(Fixtures.info(name: name))
            let peer = try PythonPeer(["stream", name])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            var sentValues: [Float] = [], sentStamps: [Double] = []
            func push(_ indices: [UInt64], stamp: (UInt64) -> Double) throws {
                let values = indices.flatMap { i in (0..<4).map { Float(i) + Float($0) / 8 } }
                let stamps = indices.map(stamp)
                try outlet.push(.float32(values), timestamps: stamps, indices: indices)
                sentValues += values
                sentStamps += stamps
            }
            let base = LSLClock.now()
            try push(Array(0..<100)) { base + Double($0) / 250 }
            try push(Array(100..<200)) { base + Double($0) / 250 }
            // A device clock 60 ppm fast: most stamps must travel, none may be off by more than the tolerance.
            try push(Array(200..<300)) { base + Double($0) / 250 * (1 - 60e-6) }
            // A transport gap: indices 350..<360 never came, and the host times say so.
            try push(Array(300..<350) + Array(360..<400)) { base + Double($0) / 250 }
            peer.send("done \(sentStamps.count)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            await outlet.close()
            let values = (r["values"] as? [[String]])?.flatMap { $0 }
            let stamps = (r["stamps"] as? [String])?.compactMap(Double.init)
            #expect(values == sentValues.map { "\($0)" })
            #expect(stamps?.count == sentStamps.count)
            let worst = zip(stamps ?? [], sentStamps).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-6, "largest stamp error \(worst) s")
            let correction = try #require(r["time_correction"] as? Double)
            #expect(abs(correction) < 1e-3, "time correction \(correction) s")
        }

        /// An inlet that stops reading loses its oldest samples, counted, while a fast inlet loses none; the slow
        /// one's next sample after each loss carries its own stamp.
        @Test func slowInletDropsAreCountedAndFastInletLosesNothing() async throws {
            let name = Self.unique("Mosquito")
            let total = 400_000
            var info = try LSLStreamInfo(name: name, type: "EEG", channelCount: 16, nominalRate: 1000, channelFormat: .float32, sourceID: name)
            info.desc = Fixtures.desc()
            let outlet = try await Self.open(info, options: LSLOutletOptions(maxQueuedSamplesPerInlet: 500_000))
            let peer = try PythonPeer(["slowfast", name])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            var next = 0
            while next < total {
                // 333 per push against the slow inlet's 500: losses start inside pushes, where stamps are deduced.
                let indices = (next..<min(total, next + 333)).map { UInt64($0) }
                let values = indices.flatMap { i in (0..<16).map { Float(i) + Float($0) / 64 } }
                try outlet.push(.float32(values), timestamps: indices.map { 1000.0 + Double($0) / 1000.0 }, indices: indices)
                next += indices.count
            }
            await outlet.waitForPushesQueued()
            let inlets = outlet.inlets
            let slow = try #require(inlets.first { $0.hostname == "slow-reader" })
            let fast = try #require(inlets.first { $0.hostname != "slow-reader" })
            #expect(slow.capacity == 500 && slow.samplesDropped > 0)
            #expect(fast.samplesDropped == 0)
            peer.send("done \(total) \(slow.samplesDropped)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            #expect(r["fast_received"] as? Int == total && r["fast_bad"] as? Int == 0)
            #expect(r["slow_received"] as? Int == total - Int(slow.samplesDropped) && r["slow_last_index"] as? Int == total - 1)
            #expect(r["slow_restamped_after_drop"] as? Bool == true && r["slow_stamps_wrong"] as? Int == 0)
            let after = outlet.inlets.first { $0.id == slow.id }
            #expect(after?.samplesSent == UInt64(total) - slow.samplesDropped)
            await outlet.close()
        }

        /// An inlet opened with recovery (LabRecorder's way) finds the stream again when the outlet restarts with a
        /// new uid and the same source_id: the old uid gets 404, the recovery query resolves the new outlet.
        @Test func inletRecoversWhenTheOutletRestarts() async throws {
            let name = Self.unique("Mosquito"), source = Self.unique("MQ")
            let first = try await Self.open(Fixtures.info(name: name, sourceID: source))
            let peer = try PythonPeer(["recover", name])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            try first.push(.float32([1, 0, 0, 0]), timestamps: [LSLClock.now()])
            #expect(await peer.line("got ") == "1.0")
            await first.close()
            let second = try await Self.open(Fixtures.info(name: name, sourceID: source))
            #expect(second.info.uid != first.info.uid)
            try await second.waitForConsumers()
            try second.push(.float32([2, 0, 0, 0]), timestamps: [LSLClock.now()])
            #expect(await peer.line("got ") == "2.0", "\(peer.stderr)")
            peer.stop()
            await second.close()
            await #expect(throws: LSLError.closed) { try await second.waitForConsumers() }
        }

        /// shortinfo on the service port, the discovery port and the data port; fullinfo on the data port; the
        /// same over IPv6 where the host has it.
        @Test func shortinfoOnAllThreePathsAndFullinfo() async throws {
            let name = Self.unique("Mosquito")
            let outlet = try await Self.open(Fixtures.info(name: name))
            let i = outlet.info
            let hasIPv6 = ((try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)) ?? "").contains("lo")
            #expect((i.v6DataPort != 0) == hasIPv6 && i.v6DataPort == i.v6ServicePort)
            // Multicast and broadcast need an interface that carries them (a loopback-only sandbox has none).
            let multicast = ((try? System.enumerateDevices()) ?? []).contains {
                $0.multicastSupported && $0.address?.protocol == .inet && $0.address?.ipAddress?.hasPrefix("127.") == false
            }
            let peer = try PythonPeer(["paths", name, "\(i.v4DataPort)", "\(i.v4ServicePort)", "16571", "\(i.v6DataPort)", multicast ? "1" : "0"])
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            await outlet.close()
            #expect(r["service"] as? Bool == true && r["discovery"] as? Bool == true)
            #expect(r["tcp_shortinfo"] as? String == i.shortinfo)
            #expect(r["tcp_shortinfo_nomatch"] as? String == "")
            #expect(r["tcp_fullinfo"] as? String == i.fullinfo)
            #expect(i.fullinfo.contains("<serial_number>MQ-7</serial_number>") && i.v4DataPort == i.v4ServicePort)
            if multicast {
                #expect(r["multicast_site"] as? Bool == true && r["multicast_link"] as? Bool == true && r["broadcast"] as? Bool == true)
            }
            if hasIPv6 {
                #expect(r["service_v6"] as? Bool == true && r["discovery_v6"] as? Bool == true)
                #expect(r["tcp_v6_fullinfo"] as? String == i.fullinfo)
            }
        }

        /// Every channel format reaches a liblsl inlet: its test patterns (checked by the inlet, which refuses the
        /// connection on any difference; 130 int8 channels make the pattern wrap) and its values. The string case is
        /// the Markers stream: irregular rate, one channel, a marker longer than 255 bytes and one in Greek.
        @Test(arguments: [
            (LSLSamples.double64([1.5, -2.25, 1e300, 4, 5, 6]), 3, 250.0),
            (.int32([1, -2, .max, 4, 5, .min]), 3, 250), (.int16([1, -2, .max, 4, 5, .min]), 3, 250),
            (.int8((0..<260).map { Int8(truncatingIfNeeded: $0) }), 130, 250),
            (.int64([1, -2, 5_000_000_000, 4, 5, .min]), 3, 250),
            (.string(["gap 120 5 transport", String(repeating: "long ", count: 60), "Δt"]), 1, 0),
        ])
        func everyFormatReachesLiblsl(_ values: LSLSamples, _ channels: Int, _ rate: Double) async throws {
            let name = Self.unique("Format-\(values.format.rawValue)")
            let info = try LSLStreamInfo(name: name, type: rate == 0 ? "Markers" : "EEG", channelCount: channels, nominalRate: rate, channelFormat: values.format, sourceID: name)
            let outlet = try await Self.open(info)
            let peer = try PythonPeer(["stream", name])
            _ = try #require(await peer.line("open"), "\(peer.stderr)")
            let count = values.valueCount / channels
            let stamps = (0..<count).map { 77.0 + Double($0) * 0.5 }
            try outlet.push(values, timestamps: stamps)
            peer.send("done \(count)")
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            await outlet.close()
            let expected: [String] = switch values {
            case .double64(let v): v.map { "\($0)" }
            case .int32(let v): v.map { "\($0)" }
            case .int16(let v): v.map { "\($0)" }
            case .int8(let v): v.map { "\($0)" }
            case .int64(let v): v.map { "\($0)" }
            case .string(let v): v
            case .float32(let v): v.map { "\($0)" }
            }
            #expect((r["values"] as? [[String]])?.flatMap { $0 } == expected)
            #expect((r["stamps"] as? [String])?.compactMap(Double.init) == stamps)
        }

        /// The same queries against this outlet and a liblsl outlet with the same description: pugixml and this
        /// evaluator must pick the same streams.
        @Test func xpathAgreesWithLiblsl() async throws {
            let name = Self.unique("Judge")
            let queries = [
                "name='\(name)'", "desc/channels/channel/label='b'", "desc/channels/channel/label='zz'",
                "nominal_srate=250", "nominal_srate='250'", "nominal_srate>100 and nominal_srate<=250",
                "channel_count='4' and type='EEG' and channel_format='float32'", "starts-with(source_id,'judge-')",
                "contains(name,'Judge') and not(type='Markers')", "desc/acquisition/serial_number='MQ-7'",
                "count(desc/channels/channel)=4", "channel_count='4.0'", "name='x' or desc/channels/channel/unit='mV'",
                "desc/channels/channel/label!='a'",
            ].map { "name='\(name)' and (\($0))" }
            var info = try LSLStreamInfo(name: name, type: "EEG", channelCount: 4, nominalRate: 250, channelFormat: .float32, sourceID: "judge-mosquito")
            info.desc = Fixtures.desc()
            let outlet = try await Self.open(info)
            let peer = try PythonPeer(["judge", name] + queries)
            _ = try #require(await peer.line("ready"), "\(peer.stderr)")
            for q in queries {
                let verdict = try #require(await peer.line("match "), "\(peer.stderr)").split(separator: " ")
                #expect(verdict[0] == verdict[1], "\(q): mosquito \(verdict[0]), liblsl \(verdict[1])")
                #expect(verdict[0] == (outlet.info.matches(q) ? "1" : "0"), "\(q)")
            }
            peer.finish()
            await outlet.close()
        }
    }
}
