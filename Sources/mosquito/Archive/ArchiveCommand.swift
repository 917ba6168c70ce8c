import Archive
import ArgumentParser
import Foundation
import MQTT
import MosquitoModel
import Synchronization

/// `mosquito archive`: what edges publish (`--publish`), collected into recordings (docs/mqtt.md).
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Collect every published Mosquito of a site from an MQTT broker into HDF5 recordings.",
        discussion: """
            One file per device and run, in `record`'s layout, under OUTPUT/SITE/SERIAL-START.h5; samples that never \
            arrived are gaps with cause `network`. Runs until Ctrl-C, which closes every file cleanly.
            """)

    @Option(help: "mqtt://[USER@]HOST[:PORT][/SITE] or mqtts://…; the password comes from --password-file or MOSQUITO_MQTT_PASSWORD.")
    var broker: String
    @Option(help: "Folder the recordings go to.") var output: String
    @Option(help: "Site to collect (default: the URL's, else every site).") var site: String?
    @Option(help: "Only these serials, comma-separated.") var devices: String?
    @Option(help: "File whose first line is the broker password.") var passwordFile: String?
    @Option(help: "PEM CA file the broker's certificate must chain to (mqtts).") var ca: String?
    @Option(help: "PEM client certificate.") var cert: String?
    @Option(help: "PEM key of --cert.") var key: String?
    @Option(help: "MQTT protocol: 5 (default) or 3.1.1.") var protocolVersion: String = "5"
    @Option(help: "File whose first line is the secret edges accept for back-fill (their `serve --archive-token-file`); without it, what the broker lost stays a network gap.")
    var edgeTokenFile: String?
    @OptionGroup var bounds: ArchiveBoundsOptions

    func validate() throws {
        if let site, !BrokerURL.isTopicLevel(site) { throw ValidationError("--site: letters, digits, '-', '_' and '.' only") }
        guard MQTTOptions.ProtocolVersion(rawValue: protocolVersion) != nil else {
            throw ValidationError("--protocol-version must be 5 or 3.1.1")
        }
    }

    func run() throws {
        let url: BrokerURL
        do throws(BrokerURLError) { url = try BrokerURL(parsing: broker, requireSite: false) } catch { throw CLIError("--broker: \(error)") }
        do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
            throw CLIError("cannot create \(output): \(error.localizedDescription)")
        }
        // The same archive (site, folder, devices) gets the same broker session back after a restart; two
        // different archives never take each other's.
        let identity = [url.site, site ?? "", (output as NSString).standardizingPath, devices ?? ""].joined(separator: "\u{1F}")
        let hash = identity.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        var options = MQTTOptions(clientID: "mosquito-archive-\(String(hash, radix: 16))")
        options.protocolVersion = MQTTOptions.ProtocolVersion(rawValue: protocolVersion) ?? .v5
        options.username = url.username
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw CLIError("--password-file: cannot read \(passwordFile)")
            }
            options.password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        } else if url.username != nil {
            options.password = ProcessInfo.processInfo.environment[PublishOptions.passwordVariable]
        }
        if url.usesTLS || ca != nil || cert != nil { options.tls = MQTTOptions.TLS(caFile: ca, certificateFile: cert, keyFile: key) }
        var edgeToken: String?
        if let edgeTokenFile {
            guard let text = try? String(contentsOfFile: edgeTokenFile, encoding: .utf8),
                let line = text.split(separator: "\n").first.map({ $0.trimmingCharacters(in: .whitespaces) }), !line.isEmpty
            else { throw CLIError("--edge-token-file: cannot read a secret from the first line of \(edgeTokenFile)") }
            edgeToken = line
        }
        let serials = devices.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        let chosenSite = site ?? (url.site.isEmpty ? nil : url.site)
        var settings = Archiver.Settings(broker: url, directory: output)
        settings.site = chosenSite
        settings.devices = serials
        settings.edgeToken = edgeToken
        settings.commandLine = CommandLine.arguments
        settings.softwareVersion = MosquitoVersion.string
        try bounds.apply(to: &settings)
        let archiver: Archiver
        do throws(MQTTError) {
            let hooks = Archiver.Hooks(
                report: { Console.error("archive: \($0)") },
                opened: { o in
                    Console.line("archiving \(o.serial): \(o.path)\(o.startIndex > 0 ? " (continuing the run from index \(o.startIndex))" : "")")
                },
                closed: { c in
                    let filled = c.backfilled > 0 ? ", \(c.backfilled) back-filled from the edge" : ""
                    Console.line("archived \(c.serial): \(c.path) (\(c.samples) samples, \(c.gaps) network gaps\(filled))")
                })
            archiver = try Archiver(settings: settings, options: options, hooks: hooks)
            try archiver.start()
        } catch {
            throw CLIError("--broker \(url): \(error)")
        }
        let stop = Atomic<Bool>(false)
        let interrupts = InterruptWatch { stop.store(true, ordering: .releasing) }
        defer { interrupts.cancel() }
        var announced = false
        while !stop.load(ordering: .acquiring) {
            Thread.sleep(forTimeInterval: 0.05)
            archiver.closeFinishedRuns()
            let c = archiver.counters
            // A broker that refuses or cannot be reached at start is a setup error, not an outage to sit out.
            if c.connections == 0, let why = c.lastFailure {
                archiver.stop()
                throw CLIError("--broker \(url): never connected (\(why))")
            }
            if !announced, c.subscriptionsAcknowledged > 0 {
                announced = true
                Console.line("mosquito archive: subscribed to \(url) (site \(chosenSite ?? "every"))")
            }
        }
        let counters = archiver.counters
        archiver.stop()
        if counters.connections == 0 {
            throw CLIError("--broker \(url): never connected (\(counters.lastFailure ?? "no answer"))")
        }
    }
}
