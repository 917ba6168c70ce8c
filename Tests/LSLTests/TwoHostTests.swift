import Foundation
import Testing
import TestSupport

extension LSLProcessSuites {
    /// `mosquito stream --lsl` on one host and liblsl on another, joined by a link (two network namespaces and a
    /// veth pair): the resolver may use only the site multicast group (its lsl_api.cfg overrides every other
    /// address, broadcast and loopback included), so finding the stream proves that mosquito's multicast discovery
    /// crosses a link; then samples and time correction flow over it. `mosquito lsl list` on the far host, held to
    /// the same group, finds it too.
    /// (The probe runs only when this suite is selected: the condition is evaluated lazily, the comment is fixed.)
    @Suite(.enabled(if: NetworkNamespacePair.unavailable == nil, "needs root and a kernel that lets it make network namespaces"))
    struct TwoHostTests {
        @Test func multicastDiscoveryCrossesALinkAndDataFollows() async throws {
            let hosts = try NetworkNamespacePair()
            defer { hosts.tearDown() }
            let serial = MosquitoLSLTests.serial()
            let config = MosquitoLSLTests.temporary("multicast-only.cfg")
            try "[ports]\nIPv6 = disable\n[multicast]\nAddressesOverride = {239.255.172.215}\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            let outlet = try MosquitoProcess(
                ["stream", "--device", "sim?serial=\(serial)", "--rate", "1000", "--lsl"], launcher: hosts.launcher(hosts.a))
            #expect(await outlet.stderrEventually { $0.contains("lsl: publishing") }, "\(outlet.stderr)")
            let peer = try PythonPeer(
                ["remote", serial], script: MosquitoLSLTests.script, launcher: hosts.launcher(hosts.b, environment: ["LSLAPICFG": config]))
            let r = try #require(await peer.result(), "\(peer.stderr)")
            peer.finish()
            let list = try MosquitoProcess(
                ["lsl", "list", "--json", "--wait", "5", "--predicate", "source_id='\(serial)'"],
                environment: ["LSLAPICFG": config], launcher: hosts.launcher(hosts.b))
            let listed = await list.exit()
            outlet.interrupt()
            #expect(await outlet.exit() == 0, "\(outlet.stderr)")

            // The inlet came from the other host: the outlet names its peer when it closes.
            #expect(outlet.stderr.contains("inlet 1 (\(NetworkNamespacePair.addressB):"), "\(outlet.stderr)")
            #expect((r["samples"] as? Int ?? 0) >= 1000 && r["steps_ok"] as? Bool == true, "\(r)")
            // One machine, one CLOCK_MONOTONIC: what liblsl measures across the link is the link's asymmetry only.
            #expect(abs(r["time_correction"] as? Double ?? 1) < 1e-3, "\(r)")
            #expect(listed == 0, "\(list.stderr)")
            let streams = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] ?? []
            #expect(streams.count == 1 && streams.first?["sourceID"] as? String == serial, "\(list.stdout)")
        }
    }
}
