import Foundation
import TestSupport
import Testing

/// A real `mosquitto` for one suite: its own config in a fresh directory, a password file made with
/// `mosquitto_passwd -b`, a plain listener and a TLS listener whose CA and server certificate `openssl` makes
/// here, on free loopback ports. Ready when both ports accept connections; stopped (and its directory removed)
/// with `stop()` or when it goes away.
final class TestBroker: @unchecked Sendable {
    static let user = "edge"
    static let password = "s3cret-edge"

    let directory: String
    let port: Int
    let tlsPort: Int
    /// The throwaway CA the TLS listener's certificate chains to.
    var caFile: String { directory + "/ca.crt" }
    /// A file holding `password`, for `--publish-password-file`.
    var passwordFile: String { directory + "/edge.password" }
    private var process = Process()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mosquito-broker-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.makeCertificates(in: directory, name: "ca")
        try Self.run("/usr/bin/mosquitto_passwd", ["-b", "-c", directory + "/passwd", Self.user, Self.password])
        port = try Self.freePort()
        tlsPort = try Self.freePort()
        try (Self.password + "\n").write(toFile: directory + "/edge.password", atomically: true, encoding: .utf8)
        let config = """
            per_listener_settings false
            allow_anonymous false
            password_file \(directory)/passwd
            persistence false
            user root
            log_dest file \(directory)/mosquitto.log
            log_type all
            listener \(port) 127.0.0.1
            listener \(tlsPort) 127.0.0.1
            cafile \(directory)/ca.crt
            certfile \(directory)/server.crt
            keyfile \(directory)/server.key

            """
        try config.write(toFile: directory + "/mosquitto.conf", atomically: true, encoding: .utf8)
        try launch()
    }

    deinit { stop() }

    private func launch() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        process.arguments = ["-c", directory + "/mosquitto.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let child = process, port = port, tlsPort = tlsPort
        guard waitFor({ !child.isRunning || (Self.accepts(port) && Self.accepts(tlsPort)) }), child.isRunning else {
            let log = (try? String(contentsOfFile: directory + "/mosquitto.log", encoding: .utf8)) ?? ""
            throw BrokerDidNotStart(log: log)
        }
    }

    /// The broker vanishes (SIGKILL: its clients see the connection drop) and a new one listens on the same ports.
    func restart() throws {
        vanish()
        try relaunch()
    }

    /// SIGKILL: an outage begins (the ports refuse until ``relaunch()``).
    func vanish() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A new broker on the same ports, with the same users; it remembers nothing of the one before.
    func relaunch() throws { try launch() }

    /// SIGKILL, not SIGTERM: the child inherits the test runner's signal mask, in which SIGTERM is blocked, and
    /// mosquitto keeps that mask outside its wait; a broker with persistence off loses nothing it was asked to keep.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A second CA that signed nothing the broker presents: a client trusting only it must refuse the broker.
    func unknownCA() throws -> String {
        let dir = directory + "/other"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.makeCertificates(in: dir, name: "ca")
        return dir + "/ca.crt"
    }

    struct BrokerDidNotStart: Error { let log: String }
    struct CommandFailed: Error { let command: String }

    /// A CA, and a server certificate for 127.0.0.1/localhost signed by it (EC keys: fast to make).
    static func makeCertificates(in dir: String, name: String) throws {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run("/usr/bin/openssl", ["req", "-x509"] + ec + ["-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).crt", "-days", "2", "-subj", "/CN=Mosquito test CA"])
        try run("/usr/bin/openssl", ["req"] + ec + ["-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr", "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: "\(dir)/san.ext", atomically: true, encoding: .utf8)
        try run("/usr/bin/openssl", [
            "x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/\(name).crt", "-CAkey", "\(dir)/\(name).key",
            "-CAcreateserial", "-out", "\(dir)/server.crt", "-days", "2", "-extfile", "\(dir)/san.ext",
        ])
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CommandFailed(command: ([tool] + arguments).joined(separator: " ")) }
    }

    /// A loopback port nothing listens on right now (the kernel's choice, released at once).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CommandFailed(command: "bind 127.0.0.1:0") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Waits until `condition` holds, looking every 20 ms; `seconds` is only the last guard against a hang.
func waitFor(seconds: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while !condition() {
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return true
}

extension TestBroker {
    /// The broker URL an edge or an archive of `site` is given.
    func url(site: String) -> String { "mqtt://\(TestBroker.user)@127.0.0.1:\(port)/\(site)" }

    /// `mosquito archive` of `site` into `output` (with `extra` options), subscribed when this returns.
    func archive(site: String, output: String, _ extra: [String] = []) throws -> Processes.Running {
        let running = try Processes.Running(
            TestEnvironment.mosquito.path,
            ["archive", "--broker", url(site: site), "--output", output, "--password-file", passwordFile] + extra)
        let process = running.process
        #expect(waitFor { running.stdout.contains("subscribed") || !process.isRunning }, "\(running.stderrText)")
        return running
    }
}
