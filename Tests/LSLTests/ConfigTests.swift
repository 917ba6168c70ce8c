import Foundation
import Testing

@testable import LSL

@Suite struct ConfigTests {
    @Test func defaultsAreLiblsls() {
        let c = LSLConfig()
        #expect(c.multicastPort == 16571 && c.ports == 16572...16603 && c.sessionID == "default" && c.multicastTTL == 24)
        #expect(c.discoveryAddresses == [
            "127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183", "FF02:113D:6FDD:2C17:A643:FFE2:1BD1:3CD2",
            "239.255.172.215", "FF05:113D:6FDD:2C17:A643:FFE2:1BD1:3CD2",
        ])
    }

    @Test func everyKeyThisOutletUses() throws {
        let text = """
            ; lab settings
            [ports]
            MulticastPort = 17571
            BasePort = 17572
            PortRange = 8
            IPv6 = disabled

            [multicast]
            ResolveScope = link
            TTLOverride = 3
            [lab]
            SessionID = room-4
            KnownPeers = {10.0.0.2, lab-pc.local}
            """
        let c = try LSLConfig(parsing: text, file: "lsl_api.cfg")
        #expect(c.multicastPort == 17571 && c.ports == 17572...17579 && c.ipv6 == .disable && !c.allowsIPv6)
        #expect(c.resolveScope == .link && c.multicastTTL == 3 && c.sessionID == "room-4")
        #expect(c.discoveryAddresses == ["127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183", "FF02:113D:6FDD:2C17:A643:FFE2:1BD1:3CD2"])
        #expect(c.knownPeers == ["10.0.0.2", "lab-pc.local"])
        // Written on Windows: CRLF line ends.
        #expect(try LSLConfig(parsing: "[ports]\r\nBasePort = 17000\r\n; note\r\n", file: "x").basePort == 17000)
        let machine = try LSLConfig(parsing: "[multicast]\nResolveScope = machine\nAddressesOverride = {239.1.2.3}\n", file: "x")
        #expect(machine.discoveryAddresses == ["239.1.2.3"] && machine.multicastTTL == 0)
    }

    /// Each bad input is one error naming the file and the line.
    @Test(arguments: [
        ("[ports\nBasePort = 1\n", 1, "no closing ']'"),
        ("[ports]\nBasePort 16572\n", 2, "expected key = value"),
        ("[ports]\n = 3\n", 2, "empty key"),
        ("[ports]\nBasePort =\n", 2, "empty value"),
        ("[ports]\nBasePort = 1\n\nBasePort = 2\n", 4, "set twice"),
        ("[ports]\nBasePort = many\n", 2, "expected an integer"),
        ("[ports]\nBasePort = 65530\nPortRange = 32\n", 3, "past port 65535"),
        ("[ports]\nIPv6 = maybe\n", 2, "expected disable, allow or force"),
        ("[multicast]\nResolveScope = planet\n", 2, "expected machine"),
        ("[lab]\nKnownPeers = 10.0.0.2\n", 2, "expected a set"),
        ("[multicast]\nAddressesOverride = {not-an-ip}\n", 2, "not an IP address"),
    ])
    func badFilesNameFileAndLine(_ text: String, _ line: Int, _ message: String) {
        do {
            _ = try LSLConfig(parsing: text, file: "/etc/lsl_api/lsl_api.cfg")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line && error.file == "/etc/lsl_api/lsl_api.cfg" && error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("/etc/lsl_api/lsl_api.cfg:\(line): "))
        }
    }

    @Test func searchPathIsLiblsls() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lslcfg-\(UUID().uuidString)")
        let home = dir.appendingPathComponent("home/lsl_api")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(LSLConfig.searchPath(environment: ["HOME": "/h", "LSLAPICFG": "/x.cfg"], currentDirectory: "/w")
            == ["/x.cfg", "/w/lsl_api.cfg", "/h/lsl_api/lsl_api.cfg", "/etc/lsl_api/lsl_api.cfg"])
        try "[lab]\nSessionID = from-home\n".write(to: home.appendingPathComponent("lsl_api.cfg"), atomically: true, encoding: .utf8)
        let env = ["HOME": dir.appendingPathComponent("home").path]
        #expect(try LSLConfig.load(environment: env, currentDirectory: dir.path).sessionID == "from-home")
        try "[lab]\nSessionID = from-cwd\n".write(to: dir.appendingPathComponent("lsl_api.cfg"), atomically: true, encoding: .utf8)
        #expect(try LSLConfig.load(environment: env, currentDirectory: dir.path).sessionID == "from-cwd")
        #expect(throws: LSLConfigError.self) {
            try LSLConfig.load(environment: env.merging(["LSLAPICFG": dir.appendingPathComponent("missing.cfg").path]) { $1 }, currentDirectory: dir.path)
        }
    }
}
