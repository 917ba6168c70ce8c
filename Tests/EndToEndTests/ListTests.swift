import Foundation
import Testing

/// `mosquito list --probe TTY`: a simulator on its own pseudo-terminal is found and described; a path that does
/// not exist is one error line, not "no Mosquito found".
@Suite struct ListTests {
    @Test func aProbedSimulatorIsListedWithItsIdentity() throws {
        let sim = try Mosquito.Simulator(["--serial", "MQ-LIST-1", "--channels", "3"])
        defer { sim.stop() }
        let r = try Mosquito.run(["list", "--probe", sim.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let probed = try #require(found.first { $0["uri"] as? String == "serial:\(sim.path)" }, "\(r.stdout)")
        #expect(probed["serial"] as? String == "MQ-LIST-1")
        #expect(probed["channels"] as? Int == 3)

        let text = try Mosquito.run(["list", "--probe", sim.path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("serial:\(sim.path)") && $0.contains("MQ-LIST-1") },
                "\(text.stdout)")
    }

    @Test func aProbePathThatDoesNotExistIsAnError() throws {
        let path = temporaryPath("no-such-tty")
        let r = try Mosquito.run(["list", "--probe", path])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: --probe \(path): no such file"], "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
