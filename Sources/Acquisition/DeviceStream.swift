import Device
import MWP
import MosquitoModel
import Signal
import Synchronization

/// Everything the run keeps for one instrument: its session, its stream, its processing and its clock.
/// Unchecked: `pipeline` (stateful filters) is run by the recorder thread only; the session is behind a Mutex.
public final class DeviceStream: @unchecked Sendable {
    public let uri: String
    /// Replaced when a followed instrument comes back after an outage.
    public var session: DeviceSession { sessionBox.withLock { $0 } }
    private let sessionBox: Mutex<DeviceSession>
    public let identity: IdentityRecord
    /// Device channel numbers recorded, ascending (the order SAMPLES carries them in).
    public let channels: [Int]
    public let calibrations: [CalibrationRecord]
    public let rateHz: UInt32
    public let ring: FrameRing
    public let ingest: StreamIngest
    public let pipeline: Pipeline
    /// The subscribers' clock when they are given (one mapping per instrument), else the run's own.
    public let clock: ClockSync

    var channelMask: UInt32 { channels.reduce(0) { $0 | (1 << UInt32($1)) } }

    /// Takes over a reopened session of the same instrument: same serial, configured as before. The old
    /// session is closed.
    func adopt(_ replacement: DeviceSession) throws(AcquisitionError) {
        guard let id = replacement.identity, id.serial == identity.serial else {
            throw .device(uri, "a different instrument answered (\(replacement.identity?.serial ?? "unknown"))")
        }
        do throws(DeviceError) {
            try replacement.configure(rateHz: rateHz, channelMask: channelMask)
        } catch {
            throw .device(uri, error.description)
        }
        let old = sessionBox.withLock { box in
            let old = box
            box = replacement
            return old
        }
        old.close()
    }

    /// Opens nothing: the session is already identified. Configures the device, reads its calibration and
    /// builds the processing; any refusal is thrown before a file exists.
    init(
        uri: String, session: DeviceSession, rateHz: UInt32, channels requested: [Int]?, spec: PipelineSpec,
        durationSeconds: Double?, ringCapacity: Int, follow: Bool = false, outlets: StreamOutlets? = nil,
        trigger: TriggerSpec? = nil
    ) throws(AcquisitionError) {
        guard let identity = session.identity else { throw .device(uri, "instrument not identified") }
        let channels = requested ?? Array(identity.channels.indices)
        for c in channels where !identity.channels.indices.contains(c) {
            throw .badRequest("\(uri): no channel \(c) (the instrument has \(identity.channels.count): 0-\(identity.channels.count - 1))")
        }
        guard !channels.isEmpty else { throw .badRequest("no channels selected") }
        guard rateHz > 0 else { throw .badRequest("rate must be positive") }
        if let outlets, outlets.channelCount != channels.count {
            throw .badRequest("\(uri): subscribers take \(outlets.channelCount) channels; \(channels.count) selected")
        }
        self.uri = uri
        clock = outlets?.clock ?? ClockSync()
        sessionBox = Mutex(session)
        self.identity = identity
        self.channels = channels.sorted()
        self.rateHz = rateHz
        var calibrations: [CalibrationRecord] = []
        do throws(DeviceError) {
            for c in self.channels { calibrations.append(try session.readCalibration(channel: UInt8(c))) }
            try session.configure(rateHz: rateHz, channelMask: self.channels.reduce(0) { $0 | (1 << UInt32($1)) })
        } catch {
            throw .device(uri, error.description)
        }
        self.calibrations = calibrations
        let polynomials = calibrations.map(\.polynomial)
        do throws(PipelineSpecError) {
            pipeline = try Pipeline(spec: spec, calibration: polynomials, inputRate: Double(rateHz))
        } catch {
            throw .badRequest(error.description)
        }
        ring = FrameRing(capacity: ringCapacity, channelCount: self.channels.count, policy: .lossless)
        let length = durationSeconds.map { UInt64(($0 * Double(rateHz)).rounded()) }
        var gate: TriggerGate?
        if let trigger {
            guard let column = self.channels.firstIndex(of: trigger.channel) else {
                throw .badRequest("\(uri): the trigger's channel \(trigger.channel) is not among the recorded channels")
            }
            gate = TriggerGate(spec: trigger, column: column, polynomial: polynomials[column], runLength: length)
        }
        ingest = StreamIngest(
            channelMask: self.channels.reduce(0) { $0 | (1 << UInt32($1)) }, rateHz: rateHz, rings: [ring],
            endIndex: length, follow: follow, outlets: outlets, trigger: gate)
    }
}

public enum AcquisitionError: Error, Equatable, Sendable, CustomStringConvertible {
    case badRequest(String)
    case device(String, String)
    case recording(String)

    public var description: String {
        switch self {
        case .badRequest(let why): why
        case .device(let uri, let why): "\(uri): \(why)"
        case .recording(let why): why
        }
    }
}
