import Acquisition
import Device
import Foundation
import MWP
import Signal

/// What a publisher asks of whatever owns the stream (a recording run, a stream hub) while it runs. Each is
/// cheap and never waits on the device.
public struct PublishedSource: Sendable {
    /// The device's facts for `meta`; asked at start and when the mode or the recording changes.
    public var describe: @Sendable (_ site: String) -> DeviceMeta
    /// `streaming`, `recording` or `online` (open, idle).
    public var mode: @Sendable () -> String
    /// The local recording's file name, while one is written.
    public var recordingFile: @Sendable () -> String?
    /// The session's clock: messages stamp host times through it, so they agree with the file's.
    public var clock: ClockSync
    /// Where the stream ends, when the owner knows (a run of a given duration): samples missing at the very
    /// end show as no index jump, so the publisher says them from this.
    public var endIndex: @Sendable () -> UInt64? = { nil }
    /// Where an archive fetches rows the broker lost: the base URL of the edge's `serve` (docs/mqtt.md
    /// "Back-fill"); nil when the edge serves no HTTP API. It may be known only once the server listens.
    public var api: @Sendable () -> String? = { nil }

    // Made by ``recording(_:output:softwareVersion:certificate:)`` and ``hub(_:api:)`` only, through the
    // memberwise initialiser.

    /// A device of a recording run: always recording, to `output`.
    public static func recording(
        _ stream: DeviceStream, output: String, softwareVersion: String,
        certificate: @escaping @Sendable (String, DeviceCalibration) -> String?
    ) -> PublishedSource {
        let file = (output as NSString).lastPathComponent
        return PublishedSource(
            describe: { site in
                DeviceMeta(
                    site: site, identity: stream.identity, channels: stream.channels, calibrations: stream.calibrations,
                    certificates: stream.calibrations.map { certificate(stream.identity.serial, $0) }, rateHz: stream.rateHz,
                    pipeline: ["acquire \(stream.rateHz) Hz"] + stream.pipeline.description.stages.map(\.summary),
                    clock: stream.clock.mapping, softwareVersion: softwareVersion, host: ProcessInfo.processInfo.hostName)
            },
            mode: { "recording" }, recordingFile: { file }, clock: stream.clock,
            endIndex: { stream.ingest.endIndex })
    }

    /// A device held by `mosquito serve` (or `stream`): its mode and recording follow the hub.
    public static func hub(_ hub: StreamHub, api: @escaping @Sendable () -> String? = { nil }) -> PublishedSource {
        PublishedSource(
            describe: { site in
                let rate = hub.status().rateHz
                return DeviceMeta(
                    site: site, identity: hub.identity, channels: Array(hub.identity.channels.indices),
                    calibrations: hub.calibrations, certificates: hub.calibrations.map { _ in nil }, rateHz: rate,
                    pipeline: ["acquire \(rate) Hz"], clock: hub.clock.mapping, softwareVersion: hub.softwareVersion,
                    host: ProcessInfo.processInfo.hostName)
            },
            mode: {
                let m = hub.status().mode
                return m == .idle ? "online" : m.rawValue
            },
            recordingFile: { hub.status().recording }, clock: hub.clock, api: api)
    }
}
