import Acquisition
import ArgumentParser
import Device
import Foundation
import MQTT
import MosquitoModel
import Publish

/// `--publish URL` and its companions, for every command that holds a live stream (`record`, `serve`,
/// `stream`): each device's stream goes to an MQTT broker as well (docs/mqtt.md). Attached with one call;
/// nothing here can slow the acquisition.
struct PublishOptions: ParsableArguments {
    @Option(name: .customLong("publish"), help: """
        Publish every device's stream to an MQTT broker: mqtt://[USER@]HOST[:PORT]/SITE or mqtts://… (TLS). \
        The password comes from --publish-password-file or MOSQUITO_MQTT_PASSWORD, never from the URL.
        """)
    var url: String?
    @Option(name: .customLong("publish-password-file"), help: "File whose first line is the broker password.")
    var passwordFile: String?
    @Option(name: .customLong("publish-ca"), help: "PEM CA file the broker's certificate must chain to (mqtts; default: the system's CAs).")
    var caFile: String?
    @Option(name: .customLong("publish-cert"), help: "PEM client certificate, for brokers that authenticate clients by certificate.")
    var certificateFile: String?
    @Option(name: .customLong("publish-key"), help: "PEM key of --publish-cert.")
    var keyFile: String?
    @Option(name: .customLong("publish-qos"), help: "QoS of data messages: 1 (acknowledged, default) or 0.")
    var qos: Int32 = 1
    @Option(name: .customLong("publish-protocol"), help: "MQTT protocol: 5 (default) or 3.1.1.")
    var protocolVersion: String = "5"
    @Option(name: .customLong("publish-queue"), help: "Messages per device waiting for the broker before new ones are dropped (counted in events).")
    var queue: Int = 1000

    static let passwordVariable = "MOSQUITO_MQTT_PASSWORD"

    func validate() throws {
        guard let url else { return }
        do throws(BrokerURLError) { _ = try BrokerURL(parsing: url) } catch { throw ValidationError("--publish: \(error)") }
        guard qos == 0 || qos == 1 else { throw ValidationError("--publish-qos must be 0 or 1") }
        guard MQTTOptions.ProtocolVersion(rawValue: protocolVersion) != nil else {
            throw ValidationError("--publish-protocol must be 5 or 3.1.1")
        }
        guard queue > 0 else { throw ValidationError("--publish-queue must be positive") }
    }

    /// `record`: subscribes a publisher to each device of `plan` (set into `plan.outlets`) before the run
    /// exists, so it misses no frame. Start it with ``Publishing/start(_:)`` once the run has started.
    func attach(to plan: inout AcquisitionPlan, sessions: [(uri: String, session: DeviceSession)]) throws -> Publishing? {
        guard url != nil else { return nil }
        var publishers: [(String, DevicePublisher)] = []
        for (uri, session) in sessions {
            guard let identity = session.identity else { continue }
            let outlets = StreamOutlets(channelCount: plan.channels?.count ?? identity.channels.count)
            plan.outlets[uri] = outlets
            publishers.append((uri, try publisher(serial: identity.serial, outlets: outlets)))
        }
        let publishing = Publishing(options: self, broker: try broker(), output: plan.output, certificate: plan.certificateLookup)
        publishing.publishers = publishers.map { (uri: $0.0, publisher: $0.1) }
        return publishing
    }

    /// `serve` and `stream`: the publishers to come, one per hub given to ``Publishing/attach(_:)`` before the
    /// hub starts streaming (so its first sample is published too); nil without `--publish`.
    func publishing() throws -> Publishing? {
        guard url != nil else { return nil }
        return Publishing(options: self, broker: try broker(), output: "", certificate: { _, _ in nil })
    }

    private func broker() throws -> BrokerURL {
        do throws(BrokerURLError) { return try BrokerURL(parsing: url ?? "") } catch { throw CLIError("--publish: \(error)") }
    }

    func publisher(serial: String, outlets: StreamOutlets) throws -> DevicePublisher {
        let broker = try broker()
        var options = MQTTOptions(clientID: "")
        options.protocolVersion = MQTTOptions.ProtocolVersion(rawValue: protocolVersion) ?? .v5
        options.username = broker.username
        options.password = try password(for: broker)
        options.maxQueuedMessages = queue
        if broker.usesTLS || caFile != nil || certificateFile != nil {
            options.tls = MQTTOptions.TLS(caFile: caFile, certificateFile: certificateFile, keyFile: keyFile)
        }
        do throws(MQTTError) {
            return try DevicePublisher(
                broker: broker, serial: serial, outlets: outlets, options: options, softwareVersion: MosquitoVersion.string,
                dataQoS: qos == 0 ? .atMostOnce : .atLeastOnce)
        } catch {
            throw CLIError("--publish \(broker): \(error)")
        }
    }

    private func password(for broker: BrokerURL) throws -> String? {
        if let passwordFile {
            guard broker.username != nil else {
                throw CLIError("--publish-password-file needs a user name in the URL: mqtt://USER@\(broker.host)/\(broker.site)")
            }
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw CLIError("--publish-password-file: cannot read \(passwordFile)")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        guard broker.username != nil else { return nil }
        return ProcessInfo.processInfo.environment[Self.passwordVariable]
    }
}

/// The publishers of one command, started with their source and stopped together at the end.
final class Publishing {
    fileprivate(set) var publishers: [(uri: String, publisher: DevicePublisher)] = []
    let broker: BrokerURL
    private let options: PublishOptions
    private let output: String
    private let certificate: @Sendable (String, DeviceCalibration) -> String?

    init(
        options: PublishOptions, broker: BrokerURL, output: String,
        certificate: @escaping @Sendable (String, DeviceCalibration) -> String?
    ) {
        self.options = options
        self.broker = broker
        self.output = output
        self.certificate = certificate
    }

    /// `record`: after `run.start()`, so `meta` carries the clock mapping the first samples were taken with.
    func start(_ run: AcquisitionRun) throws {
        for (uri, p) in publishers {
            guard let stream = run.streams.first(where: { $0.uri == uri }) else { continue }
            try started(p, .recording(stream, output: output, softwareVersion: MosquitoVersion.string, certificate: certificate))
        }
    }

    /// `serve`, `stream`: publishes `hub` from now on, following its mode and recordings.
    /// `api`: the edge's HTTP API for an archive's back-fill, once it listens (`serve`; nil for `stream`).
    func attach(_ hub: StreamHub, api: @escaping @Sendable () -> String? = { nil }) throws {
        let p = try options.publisher(serial: hub.id, outlets: hub.outlets)
        publishers.append((hub.uri, p))
        try started(p, .hub(hub, api: api))
    }

    func started(_ p: DevicePublisher, _ source: PublishedSource) throws {
        do throws(MQTTError) { try p.start(source) } catch { throw CLIError("--publish \(broker): \(error)") }
    }

    /// Sends what is left and disconnects; one line each on stderr says what reached the broker. A broker
    /// never reached is an error (the local recording is complete regardless).
    func finish() throws {
        var never: [String] = []
        for (_, p) in publishers {
            let r = p.stop()
            Console.error(
                "published \(p.serial) to \(broker): \(r.framesSent) samples sent, \(r.framesDropped) dropped, "
                    + "\(r.client.delivered)/\(r.client.published) messages acknowledged, \(r.client.disconnections) disconnections")
            if r.client.connections == 0 { never.append("\(p.serial): \(r.client.lastFailure ?? "no answer")") }
        }
        if !never.isEmpty {
            throw CLIError("--publish \(broker): never connected (\(never.joined(separator: "; ")))")
        }
    }
}
