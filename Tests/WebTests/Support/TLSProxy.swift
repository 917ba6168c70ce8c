#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing

/// Debian's nginx terminating TLS on loopback in front of `mosquito serve`, with the config docs/web.md gives
/// and a self-signed certificate made by openssl for the test. Runs in the foreground in a temporary prefix,
/// so it needs no root, touches no system config, and never listens beyond 127.0.0.1.
final class TLSProxy {
    static let nginxPath: String? = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let missing: Comment = "nginx is not installed (apt-get install -y nginx-light)"

    let folder: String
    let port: Int
    let certificate: String
    private let process: Process

    /// Proxies https://127.0.0.1:`port`/ (and wss://) to http://127.0.0.1:`upstreamPort`.
    init(upstreamPort: Int, in folder: String) throws {
        self.folder = folder
        certificate = folder + "/cert.pem"
        let (status, output) = try Self.run("/usr/bin/openssl", in: folder, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", folder + "/key.pem", "-out", certificate,
        ])
        try #require(status == 0, "openssl: \(output)")
        port = try Self.freePort()
        let config = Self.config(listen: port, upstream: upstreamPort, folder: folder)
        try Data(config.utf8).write(to: URL(fileURLWithPath: folder + "/nginx.conf"))
        process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.nginxPath, Self.missing))
        process.arguments = ["-p", folder, "-c", folder + "/nginx.conf", "-e", folder + "/error.log"]
        process.standardOutput = FileHandle.nullDevice
        // Startup complaints (before error_log is open) go to stderr: keep them for the failure message.
        _ = FileManager.default.createFile(atPath: folder + "/error.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: folder + "/error.log")
        try process.run()
        // Until nginx accepts (or dies); the deadline is only a last guard.
        let deadline = Date().addingTimeInterval(ServeProcessTests.lastGuardSeconds)
        while !Self.accepts(port), Date() < deadline, process.isRunning { usleep(20_000) }
        let log = (try? String(contentsOfFile: folder + "/error.log", encoding: .utf8)) ?? ""
        try #require(process.isRunning && Self.accepts(port), "nginx did not start: \(log)")
    }

    /// SIGTERM (nginx's fast shutdown); SIGKILL after the last guard so a stuck proxy cannot hang the suite.
    func stop() {
        if process.isRunning { process.terminate() }
        #expect(ServeProcessTests.wait(process), "nginx stops on SIGTERM")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The server block of docs/web.md ("Beyond this machine"), plus what running in a temporary prefix needs
    /// (foreground, every path inside the prefix). Not `master_process off`: a single nginx process keeps the
    /// signal mask it inherits from the test runner's thread, with SIGTERM blocked, and never stops; the master
    /// sets its own mask.
    static func config(listen: Int, upstream: Int, folder: String) -> String {
        """
        daemon off;
        pid \(folder)/nginx.pid;
        error_log \(folder)/error.log info;
        events { worker_connections 64; }
        http {
            # $uri, not $request: a browser's WebSocket carries its token in the query string.
            log_format mosquito '$remote_addr [$time_local] "$request_method $uri" $status';
            access_log \(folder)/access.log mosquito;
            client_body_temp_path \(folder)/body; proxy_temp_path \(folder)/proxy;
            fastcgi_temp_path \(folder)/fastcgi; uwsgi_temp_path \(folder)/uwsgi; scgi_temp_path \(folder)/scgi;
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            server {
                listen 127.0.0.1:\(listen) ssl;
                ssl_certificate \(folder)/cert.pem;
                ssl_certificate_key \(folder)/key.pem;
                location / {
                    proxy_pass http://127.0.0.1:\(upstream);
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_read_timeout 1h;
                    proxy_buffering off;
                }
            }
        }
        """
    }

    /// Output to a file, not a pipe: another test's child (chromium, nginx) inheriting the pipe's write end
    /// would hold EOF back until it exits.
    static func run(_ path: String, in folder: String, _ arguments: [String]) throws -> (Int32, String) {
        let output = folder + "/output-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: TestEnvironment.packageRoot)
        p.standardOutput = FileHandle(forWritingAtPath: output)
        p.standardError = FileHandle(forWritingAtPath: output)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOfFile: output, encoding: .utf8))
    }

    /// A port the kernel just handed out on loopback; nginx cannot be told "any port" and report it back.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
