import Calibration
import Device
import Foundation

/// An instrument whose input the host sets (the in-process simulator's physical world) as the calibration rig.
struct SimulatorRig: ReferenceRig {
    let input: any PhysicalInput
    func apply(_ value: Double, channel: UInt8) throws(CalibrationError) {
        input.apply(physical: value, channel: Int(channel))
    }
}

/// The scripted acquirer for `--script`: only the in-process simulator can be told its true input.
func scriptedAcquirer(session: DeviceSession, plan: MeasurementPlan) throws -> ScriptedAcquirer {
    guard let input = session.transport.physicalInput else {
        throw CLIError("--script drives the reference only on the in-process simulator (--device sim…); on a real unit run interactively")
    }
    var acquirer = try calibrationStep { () throws(CalibrationError) in
        try ScriptedAcquirer(session: session, plan: plan, rig: SimulatorRig(input: input))
    }
    acquirer.progress = { p, step, total in
        Console.error(String(
            format: "  [%d/%d] %@ %@: mean %.2f counts, s %.3f, n %d%@", step, total, p.pass.rawValue, formatNumber(p.reference),
            p.meanRaw, p.stdRaw, p.count, p.samplesLost > 0 ? ", \(p.samplesLost) samples lost" : ""))
    }
    return acquirer
}

/// The technician at the bench: one prompt per point, the live reading and its stability, capture when the reading
/// has settled or on Enter.
final class InteractiveAcquirer: PointAcquirer {
    let session: DeviceSession
    let plan: MeasurementPlan
    let unit: String
    /// Live readings are shown through the calibration the device holds now.
    let display: (Double) -> Double
    let capture: PointCapture
    let keys = EnterKey()
    /// On the in-process simulator nobody can hang a weight on the sensor: the prompt applies the reference there.
    let simulatedRig: SimulatorRig?

    init(session: DeviceSession, plan: MeasurementPlan, unit: String, display: @escaping (Double) -> Double) throws {
        simulatedRig = session.transport.physicalInput.map(SimulatorRig.init)
        self.session = session
        self.plan = plan
        self.unit = unit
        self.display = display
        let (capture, ingest) = PointCapture.ownStream(
            channel: plan.channel, rateHz: plan.rateHz, blockSize: max(10, Int(plan.rateHz) / 10))
        self.capture = capture
        do throws(DeviceError) {
            try session.configure(rateHz: plan.rateHz, channelMask: 1 << UInt32(plan.channel))
            try session.start(into: ingest)
        } catch { throw CLIError(error.description) }
    }

    func finish() { try? session.stop() }

    func acquire(reference: Double, pass: Pass, step: Int, total: Int) throws(CalibrationError) -> CapturedPoint {
        Console.error("\nStep \(step)/\(total) (\(pass.rawValue)): apply \(formatNumber(reference)) \(unit), then wait. "
            + "Capture starts when the reading is stable, or press Enter to capture now.")
        if let simulatedRig { try simulatedRig.apply(reference, channel: plan.channel) }
        capture.resetStability()
        keys.clear()
        var stableSince: UInt64?
        while true {
            Thread.sleep(forTimeInterval: 0.2)
            let pressed = keys.takePress()
            guard let live = capture.live else {
                if pressed { break }
                continue
            }
            let now = MonotonicClock.nowNs()
            stableSince = live.isStable ? (stableSince ?? now) : nil
            let state = live.isStable ? "STABLE" : "settling"
            let status = String(
                format: "\r\u{1B}[K  reading %@ %@   raw %.1f ± %.1f   %@", formatNumber(display(live.meanRaw), digits: 6), unit,
                live.meanRaw, live.stdRaw, state)
            FileHandle.standardError.write(Data(status.utf8))
            // Stable for a full second (ten blocks' worth of time) counts as settled.
            if pressed || (stableSince.map { now - $0 >= 1_000_000_000 } ?? false) { break }
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K  capturing \(plan.samplesPerPoint) samples…".utf8))
        let taken = try capture.capture(samples: plan.samplesPerPoint, timeoutSeconds: captureTimeout(plan))
        let p = CapturedPoint(
            reference: reference, pass: pass, meanRaw: taken.stats.mean, stdRaw: taken.stats.standardDeviation,
            count: taken.stats.count, samplesLost: taken.lost)
        Console.error(String(format: "\r\u{1B}[K  captured: mean %.2f counts, s %.3f, n %d → %@ %@", p.meanRaw, p.stdRaw, p.count,
            formatNumber(display(p.meanRaw), digits: 6), unit))
        return p
    }
}

/// Enter presses from the terminal, read on a thread of their own so the live display keeps running.
/// Unchecked: `presses`, `answers` and `closed` are guarded by `lock`.
final class EnterKey: @unchecked Sendable {
    private let lock = NSCondition()
    private var presses = 0
    private var answers: [String] = []
    private var closed = false

    init() {
        let thread = Thread { [weak self] in
            while let line = readLine() {
                guard let self else { return }
                self.lock.withLock { self.presses += 1; self.answers.append(line); self.lock.broadcast() }
            }
            self?.lock.withLock { self?.closed = true; self?.lock.broadcast() }
        }
        thread.start()
    }

    func clear() { lock.withLock { presses = 0; answers.removeAll() } }
    func takePress() -> Bool { lock.withLock { defer { presses = 0 }; return presses > 0 } }

    /// Asks a yes/no question; anything but y/yes (or end of input) is no.
    func confirm(_ question: String) -> Bool {
        clear()
        Console.error(question + " [y/N]")
        let answer: String? = lock.withLock {
            while answers.isEmpty && !closed { lock.wait() }
            return answers.isEmpty ? nil : answers.removeFirst()
        }
        guard let answer else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
