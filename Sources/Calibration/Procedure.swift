import Device
import MWP
import MosquitoModel

/// Where the reference values come from: a technician at a rig, or a script that drives a (simulated) one.
public protocol PointAcquirer {
    /// Brings the channel to `reference` and returns one captured point. `step` counts from 1 to `total`.
    func acquire(reference: Double, pass: Pass, step: Int, total: Int) throws(CalibrationError) -> CapturedPoint
}

/// What a calibration or verification run asks for.
public struct MeasurementPlan: Sendable, Equatable, Codable {
    public var channel: UInt8
    public var points: [Double]
    /// Also run the points back down (hysteresis).
    public var descending: Bool
    public var samplesPerPoint: Int
    public var rateHz: UInt32
    /// Explicit steps from a script; nil means the standard sequence built from `points`.
    public var steps: [PlannedStep]?

    public init(channel: UInt8, points: [Double], descending: Bool, samplesPerPoint: Int, rateHz: UInt32, steps: [PlannedStep]? = nil) {
        self.channel = channel
        self.points = points
        self.descending = descending
        self.samplesPerPoint = samplesPerPoint
        self.rateHz = rateHz
        self.steps = steps
    }

    /// The order the reference is applied in: ascending, then (optionally) descending without repeating the top;
    /// or the script's own steps.
    public var sequence: [PlannedStep] {
        if let steps { return steps }
        let up = points.sorted()
        var out = up.map { PlannedStep(reference: $0, pass: .ascending) }
        if descending && up.count > 1 { out += up.dropLast().reversed().map { PlannedStep(reference: $0, pass: .descending) } }
        return out
    }

    /// Checks the plan against the unit before anything is measured, so bad input costs nothing.
    public func validate(against identity: IdentityRecord) throws(CalibrationError) {
        guard Int(channel) < identity.channels.count else {
            throw .badInput("channel \(channel) does not exist; \(identity.serial) has \(identity.channels.count) channels (0–\(identity.channels.count - 1))")
        }
        guard !points.isEmpty, points.allSatisfy(\.isFinite) else { throw .badInput("--points must be a list of numbers") }
        guard samplesPerPoint >= 2 else { throw .badInput("--samples must be at least 2") }
        guard rateHz > 0, rateHz <= identity.maxRateHz else {
            throw .badInput("--rate \(rateHz) Hz is outside 1…\(identity.maxRateHz) Hz for \(identity.serial)")
        }
    }
}

/// One step of a procedure: the reference value the technician applies and, for a simulated rig, the physical
/// input that is truly there (a script can make the two differ, to test what an imperfect reference does).
public struct PlannedStep: Sendable, Equatable, Codable {
    public var reference: Double
    public var pass: Pass
    public var physical: Double?

    public init(reference: Double, pass: Pass, physical: Double? = nil) {
        self.reference = reference
        self.pass = pass
        self.physical = physical
    }
}

/// Runs every step of a plan through an acquirer, in order.
public func measure(_ plan: MeasurementPlan, with acquirer: some PointAcquirer) throws(CalibrationError) -> [CapturedPoint] {
    let steps = plan.sequence
    var out: [CapturedPoint] = []
    for (i, step) in steps.enumerated() {
        out.append(try acquirer.acquire(reference: step.reference, pass: step.pass, step: i + 1, total: steps.count))
    }
    return out
}

/// Applies a known physical input to the channel: the seam a simulated rig (or an automated calibrator) fills.
public protocol ReferenceRig {
    func apply(_ value: Double, channel: UInt8) throws(CalibrationError)
}

/// Non-interactive acquisition: set the rig, stream the channel from a fresh START, capture, STOP.
/// Restarting per point means no sample taken before the rig moved can reach the point.
public struct ScriptedAcquirer: PointAcquirer {
    public let session: DeviceSession
    public let plan: MeasurementPlan
    public let rig: any ReferenceRig
    /// Called after each point, for progress output.
    public var progress: (CapturedPoint, Int, Int) -> Void = { _, _, _ in }

    public init(session: DeviceSession, plan: MeasurementPlan, rig: any ReferenceRig) throws(CalibrationError) {
        self.session = session
        self.plan = plan
        self.rig = rig
        do throws(DeviceError) {
            try session.configure(rateHz: plan.rateHz, channelMask: 1 << UInt32(plan.channel))
        } catch { throw .device(error) }
    }

    public func acquire(reference: Double, pass: Pass, step: Int, total: Int) throws(CalibrationError) -> CapturedPoint {
        let planned = plan.sequence
        let physical = step <= planned.count ? planned[step - 1].physical ?? reference : reference
        try rig.apply(physical, channel: plan.channel)
        let (capture, ingest) = PointCapture.ownStream(channel: plan.channel, rateHz: plan.rateHz)
        do throws(DeviceError) { try session.start(into: ingest) } catch { throw .device(error) }
        let taken: (stats: RunningStats, lost: UInt64)
        do {
            taken = try capture.capture(samples: plan.samplesPerPoint, timeoutSeconds: captureTimeout(plan))
        } catch {
            try? session.stop()
            throw error
        }
        do throws(DeviceError) { try session.stop() } catch { throw .device(error) }
        let point = CapturedPoint(
            reference: reference, pass: pass, meanRaw: taken.stats.mean, stdRaw: taken.stats.standardDeviation,
            count: taken.stats.count, samplesLost: taken.lost)
        progress(point, step, total)
        return point
    }
}

/// Twice the time the samples should take, and never under 5 s: generous for a busy host, short for a dead link.
public func captureTimeout(_ plan: MeasurementPlan) -> Double {
    max(5, 2 * Double(plan.samplesPerPoint) / Double(plan.rateHz))
}
