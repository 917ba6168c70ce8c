import Foundation

/// Two hosts on one machine: two network namespaces joined by a veth pair, each end addressed in 10.99.0.0/24
/// with a route for the multicast range, so LSL discovery has to cross a real link (nothing shares a loopback).
/// Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN); the names carry this process's id and a random suffix, so runs
/// side by side and leftovers of a killed run never collide.
struct NetworkNamespacePair {
    let a: String
    let b: String
    static let addressA = "10.99.0.1"
    static let addressB = "10.99.0.2"

    /// Why namespaces cannot be made here (not root, or a container that refuses them); nil when they can.
    /// A missing `ip` is not a reason to skip: the test then fails saying so (`make test` installs iproute2).
    static let unavailable: String? = {
        guard geteuid() == 0 else { return "network namespaces need root (CI runs the tests as root)" }
        let probe = "mqprobe\(getpid())"
        guard let made = try? ip(["netns", "add", probe]) else { return nil }
        defer { _ = try? ip(["netns", "del", probe]) }
        if made.status != 0, made.stderr.contains("not permitted") || made.stderr.contains("denied") {
            return "this machine refuses network namespaces to root: \(made.stderr)"
        }
        return nil
    }()

    /// Makes both namespaces and the link; on any failure removes what it made and throws.
    init() throws {
        let tag = "\(getpid() % 10_000)\(UInt16.random(in: 0...UInt16.max))"
        a = "mqlA\(tag)"
        b = "mqlB\(tag)"
        do {
            for (ns, end, address) in [(a, "vA\(tag)", Self.addressA), (b, "vB\(tag)", Self.addressB)] {
                try Self.must(["netns", "add", ns])
                if ns == a { try Self.must(["link", "add", "vA\(tag)", "type", "veth", "peer", "name", "vB\(tag)"]) }
                try Self.must(["link", "set", end, "netns", ns])
                try Self.must(["-n", ns, "addr", "add", address + "/24", "dev", end])
                try Self.must(["-n", ns, "link", "set", "lo", "up"])
                try Self.must(["-n", ns, "link", "set", end, "up"])
                try Self.must(["-n", ns, "route", "add", "224.0.0.0/4", "dev", end])
            }
        } catch {
            tearDown()
            throw error
        }
    }

    /// The command prefix that runs a program inside `namespace`.
    func launcher(_ namespace: String, environment: [String: String] = [:]) -> [String] {
        [Self.ipPath, "netns", "exec", namespace] + (environment.isEmpty ? [] : ["env"] + environment.map { "\($0)=\($1)" })
    }

    /// Deletes both namespaces (the veth pair goes with them once their processes have ended).
    func tearDown() {
        for ns in [a, b] { _ = try? Self.ip(["netns", "del", ns]) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let ipPath = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "ip"

    private static func must(_ arguments: [String]) throws {
        let r = try ip(arguments)
        guard r.status == 0 else { throw Failure(description: "ip \(arguments.joined(separator: " ")): \(r.stderr)") }
    }

    private static func ip(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        let errors = Pipe()
        process.executableURL = URL(fileURLWithPath: ipPath)
        process.arguments = arguments
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(ipPath) (apt-get install iproute2): \(error)")
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
