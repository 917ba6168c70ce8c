import ArgumentParser
import Foundation
import LSL

/// `mosquito lsl doctor`: resolves a stream (its own, or a named one) over every path discovery can take and says
/// which work, the ports a firewall must let through, and a KnownPeers line for networks that drop multicast.
struct LSLDoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check LSL discovery: which paths reach a stream, which ports to open, a KnownPeers line.",
        discussion: """
            Without --name it publishes a small stream of its own and finds it over each path (loopback, each \
            multicast group out of each interface, broadcast, the stream's service port, its TCP data port). With \
            --name it looks for that stream, wherever it runs. Exits non-zero if no path reached the stream.
            """)

    @Option(help: "Look for this stream (by name) instead of publishing one.") var name: String?
    @Option(help: "Seconds to wait for answers on each round.") var wait = 1.5

    func validate() throws {
        guard wait > 0 && wait <= 60 else { throw ValidationError("--wait must be between 0 and 60 seconds") }
        if name?.isEmpty == true { throw ValidationError("--name must not be empty") }
    }

    func run() async throws {
        let config = try LSLCommand.config()
        var own: LSLOutlet?
        let target: String
        if let name {
            target = name
        } else {
            target = "mosquito-doctor-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
            let info = try LSLStreamInfo(name: target, type: "Doctor", channelCount: 1, nominalRate: 0, channelFormat: .string, sourceID: target)
            do throws(LSLError) { own = try await LSLOutlet.open(info, config: config) } catch { throw CLIError(error.description) }
        }
        let query = "session_id=\(LSLCommand.literal(config.sessionID)) and name=\(LSLCommand.literal(target))"
        Console.line("looking for \"\(target)\" (session \(config.sessionID), config \(config.file ?? "defaults"))")
        var answers = LSLResolver.probe(query: query, paths: LSLResolvePath.doctorDiscovery(config), wait: wait, ttl: config.multicastTTL)
        // The stream's own ports, where discovery found it (or, for our own, where we know it is).
        let found = answers.flatMap(\.streams).first
        var direct: [LSLResolvePath] = []
        if let own {
            direct += [LSLResolvePath(.udp, host: "127.0.0.1", port: own.info.v4ServicePort, label: "service port"),
                       LSLResolvePath(.tcp, host: "127.0.0.1", port: own.info.v4DataPort, label: "TCP data port")]
        } else if let found {
            direct += [LSLResolvePath(.udp, host: found.address, port: found.v4ServicePort, label: "service port"),
                       LSLResolvePath(.tcp, host: found.address, port: found.v4DataPort, label: "TCP data port")]
        }
        answers += LSLResolver.probe(query: query, paths: direct, wait: wait, ttl: config.multicastTTL)
        await own?.close()
        for a in answers {
            let verdict = !a.streams.isEmpty ? "works " : a.failure != nil ? "error " : "silent"
            Console.line("  \(verdict)  \(a.path)\(a.failure.map { ": \($0)" } ?? "")")
        }
        let lastPort = config.basePort + config.portRange - 1
        Console.line("firewall: allow UDP \(config.multicastPort) (discovery) and TCP+UDP \(config.basePort)-\(lastPort) (streams), in and out")
        let here = LSLNetworkInterface.all().filter { !$0.isLoopback && !$0.isIPv6 }.map(\.address)
        let peers = found.map { $0.address.hasPrefix("127.") ? here : [$0.address] } ?? here
        Console.line("where multicast is dropped, put in lsl_api.cfg on the other machines ([lab] section):")
        Console.line("  KnownPeers = {\(peers.joined(separator: ", "))}")
        guard answers.contains(where: { !$0.streams.isEmpty }) else {
            throw CLIError("no path reached \"\(target)\"")
        }
    }
}
