import Foundation
import TestSupport
import Testing

/// docs/web.md's recipe for serving beyond this machine, run for real: `mosquito serve --require-tokens` on
/// loopback behind Debian's nginx terminating TLS. Without nginx this is skipped on a developer machine (the
/// skip is reported with its reason) and fails under CI (CI=… set): `make test` installs nginx-light.
@Suite("behind a TLS reverse proxy", .serialized,
       .enabled(if: TLSProxy.nginxPath != nil || Browser.required, "nginx is not installed (apt-get install -y nginx-light)"))
struct TLSProxyTests {
    @Test("an HTTPS request and a WebSocket message through nginx; anonymous reads are refused")
    func httpsAndWebSocketThroughNginx() async throws {
        _ = try #require(TLSProxy.nginxPath, TLSProxy.missing)
        let folder = NSTemporaryDirectory() + "mosquito-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let created = try TokenRevocationProcessTests.mosquito(
            ["serve", "token", "create", "--agent", "ed", "--role", "viewer", "--tokens", "t.json"], in: folder)
        #expect(created.status == 0)
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let (server, out, err) = try ServeProcessTests.start(
            ["serve", "--device", "sim?channels=4&serial=MQ-TLS", "--bind", "127.0.0.1:0", "--tokens", "t.json", "--require-tokens"],
            in: folder)
        defer { if server.isRunning { server.terminate() } }
        let port = ServeProcessTests.listeningPort(server, stdout: out)
        let upstream = try #require(port, "serve printed its URL: \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")

        let proxy = try TLSProxy(upstreamPort: upstream, in: folder)
        defer { proxy.stop() }
        let (status, output) = try TLSProxy.run(TestEnvironment.python, in: folder, [
            "Tests/WebTests/Support/through_proxy.py", "\(proxy.port)", proxy.certificate, "MQ-TLS", token,
        ])
        #expect(status == 0, "\(output)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        #expect(result["anonymous"] as? Int == 401, "--require-tokens: reads through the proxy need a token")
        #expect(result["devices"] as? [String] == ["MQ-TLS"])
        let cookie = try #require(result["session_cookie"] as? String)
        #expect(cookie.contains("Secure") && cookie.contains("HttpOnly"), "\(cookie)")
        #expect((result["upgrade"] as? String)?.hasPrefix("HTTP/1.1 101") == true, "nginx forwarded the upgrade")
        #expect(result["opcode"] as? Int == 2)
        #expect(result["magic"] as? String == "MQS1")
        #expect(result["channels"] as? Int == 4)
        let frames = try #require(result["frames"] as? Int)
        #expect(frames >= 1 && result["bytes"] as? Int == 24 + frames * (16 + 4 * 4))
        let access = try String(contentsOfFile: folder + "/access.log", encoding: .utf8)
        #expect(access.contains("GET /ws/devices/MQ-TLS"), "the stream went through nginx")
        #expect(!access.contains(token) && !access.contains(String(token.dropFirst(3))), "the token stays out of the log")
    }
}
