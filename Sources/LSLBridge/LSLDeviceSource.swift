import Acquisition
import Device
import MWP
import MosquitoModel
import Signal

/// What the bridge needs to know about one instrument to publish it: who it is, what it sends, where its frames
/// come from (a newest-wins subscription of its ``StreamOutlets``) and how its clock maps to the host's.
/// Built from a recording's ``DeviceStream`` or from a ``StreamHub``; the LSL library itself never sees a device.
public struct LSLDeviceSource: Sendable {
    public var uri: String
    public var identity: IdentityRecord
    /// Device channel numbers, in the order the frames carry them.
    public var channels: [Int]
    /// One per entry of `channels`.
    public var calibrations: [CalibrationRecord]
    /// The certificate behind each calibration, when the calibration history knows it.
    public var certificateIDs: [String?]
    public var rateHz: UInt32
    /// Applied by the bridge to the raw frames, as the recorder applies it: same spec, same values.
    public var pipeline: PipelineSpec
    public var outlets: StreamOutlets
    public var clock: ClockSync
    /// The session the bridge pings to keep `clock` fresh; nil when someone else (a recording run) already does.
    public var pingSession: DeviceSession?
    public var softwareVersion: String
    /// Read by the bridge a few times a second, to announce losses, reconnects and recordings on the Markers stream.
    public var observe: @Sendable () -> LSLDeviceObservation

    public init(
        uri: String, identity: IdentityRecord, channels: [Int], calibrations: [CalibrationRecord],
        certificateIDs: [String?], rateHz: UInt32, pipeline: PipelineSpec, outlets: StreamOutlets, clock: ClockSync,
        pingSession: DeviceSession?, softwareVersion: String, observe: @escaping @Sendable () -> LSLDeviceObservation
    ) {
        self.uri = uri
        self.identity = identity
        self.channels = channels
        self.calibrations = calibrations
        self.certificateIDs = certificateIDs
        self.rateHz = rateHz
        self.pipeline = pipeline
        self.outlets = outlets
        self.clock = clock
        self.pingSession = pingSession
        self.softwareVersion = softwareVersion
        self.observe = observe
    }

    /// One device of a recording run: the run keeps the clock mapped; its ingest says why samples were lost.
    public init(stream s: DeviceStream, outlets: StreamOutlets, pipeline: PipelineSpec, softwareVersion: String,
                certificateIDs: [String?]) {
        let ingest = s.ingest
        self.init(
            uri: s.uri, identity: s.identity, channels: s.channels, calibrations: s.calibrations,
            certificateIDs: certificateIDs, rateHz: s.rateHz, pipeline: pipeline, outlets: outlets, clock: s.clock,
            pingSession: nil, softwareVersion: softwareVersion,
            observe: {
                let snap = ingest.snapshot()
                return LSLDeviceObservation(
                    loss: snap.loss, reconnects: snap.reconnects, away: ingest.outageSinceNs != nil, triggeredAt: snap.triggeredAt)
            })
    }

    /// An instrument held by a hub (`serve`, `stream`): every channel, calibrated as the hub read it, stamped
    /// through the hub's own clock mapping (the hub keeps it fresh in every mode). `rateHz`: the rate it will
    /// stream at, when it does not stream yet.
    public init(hub: StreamHub, rateHz: UInt32? = nil, pipeline: PipelineSpec = PipelineSpec()) {
        let h = hub
        let status = hub.status()
        self.init(
            uri: hub.uri, identity: hub.identity, channels: Array(hub.identity.channels.indices),
            calibrations: hub.calibrations.enumerated().map { c, cal in cal ?? .identity(channel: UInt8(c)) },
            certificateIDs: hub.calibrations.map { _ in nil }, rateHz: rateHz ?? status.rateHz, pipeline: pipeline,
            outlets: hub.outlets, clock: hub.clock, pingSession: nil, softwareVersion: hub.softwareVersion,
            observe: {
                let s = h.status()
                return LSLDeviceObservation(
                    lossTotal: s.samplesLost, away: s.linkError != nil, recording: s.recording, mode: s.mode.rawValue)
            })
    }
}

/// What the bridge watches besides the frames.
public struct LSLDeviceObservation: Sendable, Equatable {
    /// Samples lost upstream of the subscription, by cause, when the source knows the causes.
    public var loss: LossTotals?
    /// Samples lost upstream, when only the total is known.
    public var lossTotal: UInt64?
    public var reconnects: Int
    /// The instrument's link is down (waiting for it to come back, or lost).
    public var away: Bool
    /// The file a hub records to now, if any.
    public var recording: String?
    /// A hub's mode (idle, streaming, recording).
    public var mode: String?
    /// The index at which a recording's trigger fired (`record --trigger`), once it has.
    public var triggeredAt: UInt64?

    public init(
        loss: LossTotals? = nil, lossTotal: UInt64? = nil, reconnects: Int = 0, away: Bool = false,
        recording: String? = nil, mode: String? = nil, triggeredAt: UInt64? = nil
    ) {
        self.loss = loss
        self.lossTotal = lossTotal
        self.reconnects = reconnects
        self.away = away
        self.recording = recording
        self.mode = mode
        self.triggeredAt = triggeredAt
    }
}
