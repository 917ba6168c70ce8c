import Acquisition
import ArgumentParser
import Calibration
import Device
import Foundation
import Ledger
import MosquitoModel
import Synchronization
import Web

/// `mosquito serve`: the web dashboard and HTTP/WebSocket API over the devices, recordings, calibration
/// history and ledger. `mosquito serve token create|list|revoke` manages its bearer tokens.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web dashboard and the HTTP/WebSocket API (loopback only unless --bind says otherwise).",
        subcommands: [TokenCommand.self])

    @Option(name: .long, help: "A device to open (repeatable): sim, sim?channels=16, serial:/dev/ttyACM0, usb:…")
    var device: [String] = []
    @Option(name: .long, help: "Ledger: a SQLite file or postgres:// URL.")
    var ledger: String?
    @Flag(name: .long, help: "Fill an empty ledger with the demo network first.")
    var demoLedger = false
    @Option(name: .long, help: "HOST:PORT to listen on.")
    var bind = "127.0.0.1:8080"
    @Option(name: .long, help: "Folder recordings are written to and downloaded from.")
    var recordings = "recordings"
    @Option(name: .long, help: "Bearer tokens file (see `mosquito serve token create`).")
    var tokens: String?
    @Option(name: .long, help: "Calibration history file.")
    var calibrationHistory: String?
    @Option(name: .long, help: "Sampling rate streamed from each device at start, Hz.")
    var rate: UInt32 = 1000
    @Flag(name: .long, help: "Every request needs a token even on loopback: behind a reverse proxy, all clients arrive from loopback.")
    var requireTokens = false
    @Flag(name: .long, help: "Open the devices but do not start streaming.")
    var idle = false
    @Option(name: .long, help: "An MQTT archive's folder (`mosquito archive --output`): its recordings are listed and read beside the local ones, as archive.SITE.FILE.h5.")
    var archive: String?
    @Option(name: .long, help: "File whose first line is a secret an archive presents to back-fill rows (GET /api/recordings/NAME/rows); tokens of --tokens work too.")
    var archiveTokenFile: String?
    @Option(name: .long, help: "Base URL archives reach this server at, published in each device's MQTT status (default: http://BIND-HOST:PORT).")
    var advertiseURL: String?
    @OptionGroup var lsl: LSLOptions
    @OptionGroup var publish: PublishOptions

    func run() async throws {
        let (host, port) = try Self.parseBind(bind)
        let tokenStore: TokenFile
        do throws(WebError) { tokenStore = try TokenFile(path: tokens ?? TokenStore.defaultPath()) } catch {
            throw CLIError(error.description)
        }
        let loopback = WebServer.isLoopback(host)
        if !loopback {
            FileHandle.standardError.write(Data("warning: serving on \(host), beyond this machine: every request needs a bearer token\n".utf8))
        }
        if !loopback || requireTokens {
            guard !tokenStore.isEmpty else {
                let why = loopback ? "--require-tokens" : "binding to \(host)"
                throw CLIError("\(why) needs tokens; create one with `mosquito serve token create --agent ID --role viewer`")
            }
        }
        let opener = Openers.standard
        var devices: [StreamHub] = []
        let publishing = try publish.publishing()
        let advertised = AdvertisedURL()
        var archiveToken: String?
        if let archiveTokenFile {
            guard let text = try? String(contentsOfFile: archiveTokenFile, encoding: .utf8),
                let line = text.split(separator: "\n").first.map({ $0.trimmingCharacters(in: .whitespaces) }), line.count >= 16
            else { throw CLIError("--archive-token-file: \(archiveTokenFile) must hold a secret of at least 16 characters on its first line") }
            archiveToken = line
        }
        for uri in device {
            do {
                let session = try opener.openSession(uri)
                let live = try StreamHub(uri: uri, session: session, softwareVersion: MosquitoVersion.string)
                try publishing?.attach(live, api: { advertised.value })
                if !idle { try live.startStreaming(rateHz: rate) }
                devices.append(live)
            } catch let error as DeviceError {
                throw CLIError.opening(uri, error)
            } catch let error as StreamHub.Refusal {
                throw CLIError(error.description)
            }
        }
        let published = try await lsl.attach(devices)
        var ledgerHandle: Ledger?
        if ledger != nil || demoLedger {
            do throws(LedgerError) {
                let l = try await Ledger.open(ledger)
                if demoLedger, try await l.store.agents().isEmpty { _ = try await l.runDemo() }
                ledgerHandle = l
            } catch {
                throw CLIError(error.description)
            }
        }
        let folder: RecordingsFolder
        do throws(WebError) { folder = try RecordingsFolder(directory: recordings, archive: archive) } catch { throw CLIError(error.description) }
        let server = WebServer(
            configuration: .init(
                host: host, port: port, requireTokensForReads: !loopback || requireTokens, archiveToken: archiveToken),
            devices: devices,
            ledger: ledgerHandle, tokens: tokenStore, recordings: folder,
            calibrationHistory: CalibrationHistory(path: calibrationHistory ?? CalibrationHistory.defaultPath()))
        let serials = devices.map(\.id).joined(separator: ", ")
        let advertise = advertiseURL
        try await server.runUntilSignalled { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            let reachable = host == "0.0.0.0" || host == "::" ? ProcessInfo.processInfo.hostName : shown
            advertised.value = advertise ?? "http://\(reachable):\(port)"
            FileHandle.standardOutput.write(Data("mosquito serve: http://\(shown):\(port)/ (\(serials))\n".utf8))
        }
        await published?.finish()
        await ledgerHandle?.close()
        try publishing?.finish()
    }

    /// The server's own URL for the publishers' `status`, known once it listens.
    final class AdvertisedURL: Sendable {
        private let box = Mutex<String?>(nil)
        var value: String? {
            get { box.withLock { $0 } }
            set { box.withLock { $0 = newValue } }
        }
    }

    static func parseBind(_ text: String) throws -> (String, Int) {
        var host = text, portText = ""
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[text.index(after: close)...].drop { $0 == ":" })
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw CLIError("--bind must be HOST:PORT, e.g. 127.0.0.1:8080")
        }
        return (host, port)
    }
}
