import ArgumentParser
import Foundation
import LSL

/// `mosquito lsl list|doctor`: the Lab Streaming Layer as this machine sees it.
struct LSLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsl", abstract: "Lab Streaming Layer: list the streams on the network, diagnose discovery.",
        subcommands: [LSLListCommand.self, LSLDoctorCommand.self])

    static func config() throws -> LSLConfig {
        do throws(LSLConfigError) { return try LSLConfig.load() } catch { throw CLIError(error.description) }
    }

    /// XPath string literal: liblsl's queries quote with single quotes; a name holding one is quoted with double.
    static func literal(_ s: String) -> String { s.contains("'") ? "\"\(s)\"" : "'\(s)'" }
}

/// `mosquito lsl list`: every LSL stream that answers discovery, as `list` does for instruments.
struct LSLListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every LSL stream on the network (any program's, not only mosquito's).")

    @Option(help: "Seconds to collect answers.") var wait = 1.0
    @Option(help: "Only streams matching this XPath predicate, e.g. \"type='EEG'\".") var predicate: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard wait > 0 && wait <= 60 else { throw ValidationError("--wait must be between 0 and 60 seconds") }
    }

    func run() throws {
        let config = try LSLCommand.config()
        var query = "session_id=\(LSLCommand.literal(config.sessionID))"
        if let predicate { query += " and (\(predicate))" }
        let streams = LSLResolver.resolve(query: query, paths: LSLResolvePath.discovery(config), wait: wait, ttl: config.multicastTTL)
            .sorted { ($0.name, $0.sourceID) < ($1.name, $1.sourceID) }
        if json {
            try Console.json(streams.map(ListedStream.init))
            return
        }
        guard !streams.isEmpty else {
            Console.line("no LSL streams answered within \(wait) s (session \(config.sessionID)); `mosquito lsl doctor` shows which paths work")
            return
        }
        for s in streams {
            let rate = s.nominalRate == 0 ? "irregular" : String(format: "%g Hz", s.nominalRate)
            Console.line("\(s.name)  type \(s.type)  \(s.channelCount) ch \(s.channelFormat)  \(rate)  source_id \(s.sourceID)  "
                + "\(s.hostname) \(s.address):\(s.v4DataPort)")
        }
    }

    struct ListedStream: Encodable {
        let name, type, channelFormat, sourceID, uid, hostname, address: String
        let channelCount, dataPort: Int
        let nominalRate: Double
        init(_ s: LSLResolvedStream) {
            (name, type, channelFormat, sourceID, uid, hostname, address) = (s.name, s.type, s.channelFormat, s.sourceID, s.uid, s.hostname, s.address)
            (channelCount, dataPort, nominalRate) = (s.channelCount, s.v4DataPort, s.nominalRate)
        }
    }
}
